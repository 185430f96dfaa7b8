"""The outline: numbered headings as a tree, levels taken from the document itself.

A marker opens a heading only when it fits a sequence that is open at that
point: 「（二）」 continues the 「（一）」 above it, 「5.」 continues 「4.」 (even
when 「4.」 sat under the previous category: numbering may run on across
parents), and a 「1.」 starts a new sequence under the heading just opened.
A marker that fits nothing (「3、下一步打算」 after issue 14, a 「2.」 in a
sentence) is text — unless its words name a part of the notice, when it opens
that part at the top.  When a number fits two open sequences (a list inside an
issue numbered like the issues, catching up with them), the heading goes with
the sequence whose first heading it resembles.

Short unnumbered titles that name a part of the notice (「三、」 missing before
「下一步工作打算」, 「已完成整改的问题（2个）」 between a category and its issues)
are headings too (style ``T``).  Every heading keeps ``how`` it was placed.

Building is one pass over the lines with a stack no deeper than the number
of marker styles, so it stays linear in the text.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .lines import Line
from .wording import category_words, reads_as_finding, reads_as_measure

_LABEL_RE = re.compile(r"(?:整改|问题|落实|进展|措施|成效|结果|完成|状态|进度)[\u4e00-\u9fff]{0,6}(?::|】)")


@dataclass(eq=False)
class Node:
    line: Line | None  # the heading line; None for the root
    style: str  # "ROOT", "T" (an unnumbered title) or the marker style of the line
    num: int
    parent: Node | None
    depth: int
    start: int  # index of the heading line (0 for the root)
    end: int = 0  # one past the last line of the subtree
    children: list[Node] = field(default_factory=list)
    how: str = ""  # continue / run-on / start / gap / repeat / title
    part: str = ""  # for a title that names a part of the notice: next, immediate, status, summary, org, problems
    shape: tuple = ()  # what the heading looks like, to tell which sequence a number continues
    role: str = ""  # set by the classifier
    reason: str = ""  # why the classifier chose the role, in Chinese
    skipped: list = field(default_factory=list)  # (root only) marker lines that fit no sequence

    def last_child(self, style: str) -> Node | None:
        for child in reversed(self.children):
            if child.style == style:
                return child
        return None

    def walk(self):
        """This node and every node below it, in document order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    @property
    def title_line(self) -> str:
        return self.line.rest if self.line is not None else ""


PartOf = Callable[[Line, bool], "str | None"]


def build_outline(lines: list[Line], stop: int, part_of: PartOf) -> Node:
    """The tree of headings over ``lines[:stop]``.

    ``part_of(line, at_top)`` names the part of the notice (next / immediate /
    status / summary / org / problems) that a line fitting no sequence opens by
    its words, or None; ``at_top`` says that no heading is open yet."""
    root = Node(None, "ROOT", 0, None, 0, 0)
    stack = [root]
    # the last heading of each style under a parent of a given style and depth
    last_under: dict[tuple[str, str, int], Node] = {}
    for pos, ln in enumerate(lines[:stop]):
        placed = part = None
        if ln.kind and ln.num is not None:
            placed = _place(stack, ln, lines[pos + 1] if pos + 1 < stop else None, last_under)
        if placed is None:
            part = part_of(ln, len(stack) == 1)
            if not part:
                if ln.kind and ln.kind != "Y":
                    root.skipped.append((ln, stack[-1]))
                continue  # text of the heading above
            placed = (_title_container(stack, part, pos), "title")
        parent, how = placed[:2]
        while stack[-1] is not parent:
            stack.pop()
        style = "T" if part else (placed[2] if len(placed) > 2 else ln.kind)
        node = Node(ln, style, 0 if part else ln.num, parent, parent.depth + 1, pos, how=how, part=part or "",
                    shape=_shape(ln, lines[pos + 1] if pos + 1 < stop else None))
        parent.children.append(node)
        stack.append(node)
        if not part:
            last_under[(style, parent.style, parent.depth)] = node
    _set_ends(root, stop)
    return root


def _place(stack: list[Node], ln: Line, nxt: Line | None, last_under) -> tuple[Node, str] | None:
    style, n = ln.kind, ln.num
    continuing: list[Node] = []
    weaker: list[tuple[Node, str]] = []
    for parent in reversed(stack):
        last = parent.last_child(style)
        if last is not None:
            if n == last.num + 1:
                continuing.append(parent)
            elif n == last.num + 2:
                weaker.append((parent, "gap"))
            elif n == last.num and n > 0:
                weaker.append((parent, "repeat"))
        elif parent.style != "ROOT":
            g = last_under.get((style, parent.style, parent.depth))
            if g is not None and g.parent is not parent and n == g.num + 1:
                weaker.insert(0, (parent, "run-on"))
            elif g is not None and g.parent is not parent and parent is stack[-1] and n > g.num + 1:
                weaker.append((parent, "jump"))  # 「7.」 opening a category after 「2.」: numbers skipped
    if continuing:
        if len(continuing) == 1:
            return continuing[0], "continue"
        shape = _shape(ln, nxt)
        scores = [(_likeness(shape, p.last_child(style)), i) for i, p in enumerate(continuing)]
        top = max(s for s, _ in scores)
        # equally alike: the innermost sequence (the list just opened) takes it
        best = next(continuing[i] for s, i in scores if s == top)
        return best, "continue"
    if n == 1 and not any(how == "run-on" for _, how in weaker):
        return stack[-1], "start"
    shape = _shape(ln, nxt)
    for parent, how in weaker:
        if how == "run-on":
            return parent, how
        sibling = parent.last_child(style) or last_under.get((style, parent.style, parent.depth))
        alike = _likeness(shape, sibling)
        if how in ("gap", "jump") and alike >= 5:
            return parent, "gap"
        if how == "repeat" and alike >= 5 and shape[3] and sibling.shape[3]:
            return parent, how
    # 「5.」 among 「（4）」「（6）」: one list printed two ways (the same numerals, other brackets)
    for parent in reversed(stack):
        for other in _SAME_NUMERALS.get(style, ()):
            sibling = parent.last_child(other)
            if sibling is not None and n == sibling.num + 1 and _likeness(shape, sibling) >= 5:
                return parent, "mixed", other
    return None


_SAME_NUMERALS = {"L3": ("L4", "L5"), "L4": ("L3", "L5"), "L5": ("L3", "L4"), "L1": ("L2",), "L2": ("L1",)}


def _shape(ln: Line, nxt: Line | None) -> tuple:
    rest = ln.rest
    title = re.split(r"[。;；]", rest, maxsplit=1)[0]
    labelled = bool(_LABEL_RE.search(rest)) or (nxt is not None and not nxt.kind and bool(_LABEL_RE.match(nxt.match)))
    return (
        bool(category_words(title)),
        reads_as_finding(title),
        reads_as_measure(title),
        labelled,
        len(title) <= 40 and "。" not in rest.rstrip("。"),
        nxt is not None and nxt.kind is not None and nxt.kind != "Y",
    )


def _likeness(shape: tuple, sibling: Node | None) -> int:
    if sibling is None or not sibling.shape:
        return 0
    return sum(a == b for a, b in zip(shape, sibling.shape))


def _title_container(stack: list[Node], part: str, pos: int) -> Node:
    if part != "status":
        return stack[0]  # next steps, 立行立改, a summary: a part of the whole notice
    top = stack[-1]
    if top.children or top.style in ("ROOT", "T"):
        container = top
    else:
        # an item of a list with its text already read: the title goes beside it
        has_body = pos > top.start + 1 or len(top.title_line) > 40
        siblings = top.parent is not None and any(
            c is not top and c.style == top.style for c in top.parent.children)
        container = top.parent if has_body and siblings else top
    if container.style == "T" and container.part == "status" and container.parent is not None:
        container = container.parent  # 「正在整改的问题」 after 「已完成整改的问题」: beside it, not inside
    return container


def _set_ends(node: Node, end: int) -> None:
    node.end = end
    for i, child in enumerate(node.children):
        _set_ends(child, node.children[i + 1].start if i + 1 < len(node.children) else end)
