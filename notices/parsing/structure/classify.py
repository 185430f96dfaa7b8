"""What each heading of the outline is: a part of the notice, a category, a problem, a measure.

First the top-level parts, by title and then by content: the committee's own
work (整改工作组织情况, 履行主体责任情况, 迅速部署… — never issues), the problem
list (one part, or one per status: 已完成整改的问题 / 正在整改的问题), 立行立改,
a summary table, the next steps (下一步工作打算 — never issues, whatever
numbering they reuse).

Inside the problem list the headings form levels (a marker style at a depth).
Category levels come first: headings that name an area (…方面, 反馈问题：…,
第一类问题) or are bare titles leading straight to the level below.  The
problems are taken at the finest level that reads as findings: the level that
carries the 整改情况 / 整改状态 labels, or, going down, a level whose headings
name shortcomings (不到位, 不足, 关于“…”问题…) under most headings above it.
When no level reads as findings the problems are the first level below the
categories (their titles may be written as goals: 「严格落实…」).  Deeper
headings are parts of a problem.

Every decision keeps a short Chinese reason; doubts go to the reviewer.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from .details import classify_status, status_of_section_title
from .lines import Line
from .outline import Node
from .wording import action_words, category_words, opens_with_action, part_of_notice, shortcoming_words, strong_shortcoming

_ISSUE_LABEL_RE = re.compile(
    r"(?:^|[。;；\s])[【\[]?(?:整改|问题|落实|进展|完成|推进)[\u4e00-\u9fff]{0,6}(?:情况|措施|状态|进度|进展|结果|成效|举措|时限|描述|表现)"
    r"(?:及成效|及结果|和成效)?\s*(?::|】|\])"
)
_TITLE_CUT_RE = re.compile(r"[。;；!?]")
_CONTAINER_RE = re.compile(r"反馈(?:的)?(?:意见|问题)|问题(?:的)?整改|整改(?:落实|进展|推进|完成|工作)?(?:情况|进展)|整改任务|具体问题|问题清单|整改事项")
_INTRO_RE = re.compile(r"^(?:针对|围绕|对照|按照|根据|截至|截止|经过|通过|巡察|巡视|其中|共)|\d+\s*(?:个|项)|[一二三四五六七八九十]+(?:个|项)")


@dataclass
class Level:
    style: str
    rank: int
    nodes: list[Node] = field(default_factory=list)

    @property
    def label(self) -> str:
        names = {"L1": "「一、」", "L2": "「（一）」", "L3": "「1.」", "L4": "「（1）」", "L5": "「①」", "Q": "「问题一：」",
                 "C": "「第一类」", "PART": "「第一部分」", "Y": "「一是」", "P": "「问题：」", "B": "「【…】」"}
        return names.get(self.style, self.style)


@dataclass
class Classified:
    issues: list[Node] = field(default_factory=list)
    category_of: dict[int, Node] = field(default_factory=dict)  # id(issue) → its category heading
    categories: list[Node] = field(default_factory=list)  # category headings in order (those seen in the list)
    parts: dict[str, list[Node]] = field(default_factory=lambda: defaultdict(list))
    intros: list[Line] = field(default_factory=list)  # text about the list (declared counts live here)
    unplaced: list[Line] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    empty_categories: list[Node] = field(default_factory=list)
    level_reason: str = ""


def title_of(node: Node) -> str:
    """A heading's title: its line after the marker, up to the first full stop or label."""
    if node.line is None:
        return ""
    rest = node.line.rest if node.style != "T" else node.line.match
    label = _ISSUE_LABEL_RE.search(rest)
    cut = _TITLE_CUT_RE.search(rest)
    end = min(x.start() for x in (label, cut) if x) if (label or cut) else len(rest)
    title = rest[:end].strip().rstrip(":：,，")
    # a heading that is only a label (「一、整改情况：」) is read by its label; no title is longer than 200
    return (title or rest.strip().rstrip("。:："))[:200]


def owns_label(node: Node, lines: list[Line]) -> bool:
    """Does the heading carry its own 整改情况 / 整改状态 (on its line or before its first sub-heading)?"""
    end = node.children[0].start if node.children else node.end
    own = [node.line.match] + [ln.match for ln in lines[node.start + 1:end]]
    return any(_ISSUE_LABEL_RE.search(("。" + t) if i else t[node.line.off:]) for i, t in enumerate(own[:8]))


def classify(root: Node, lines: list[Line]) -> Classified:
    out = Classified()
    region = _top_parts(root, lines, out)
    if not region:
        out.doubts.append("未找到问题清单")
        return out
    members = _members(region, out)
    levels = _levels(members)
    if not levels:
        out.doubts.append("问题清单标题下没有找到编号的问题（可能只是节选或分页）")
        _collect_text(region, set(), out, lines)
        return out
    cat_levels, problem_level, reason, doubt = _choose(levels, lines)
    out.level_reason = reason
    if doubt:
        out.doubts.append(doubt)
    issues = _refine(_issue_nodes(problem_level, members, cat_levels), lines)
    cat_set = {id(n) for lv in cat_levels[:1] for n in lv.nodes}
    sub_cats = {id(n) for lv in cat_levels[1:] for n in lv.nodes}
    for node in members:
        if id(node) in cat_set:
            node.role, node.reason = "category", f"{_why_category(node)}"
        elif id(node) in sub_cats:
            node.role, node.reason = "problem_group", "类别下的分组标题"
    issue_ids = {id(n) for n in issues}
    for node in issues:
        node.role = "problem"
        node.reason = node.reason if node.reason.endswith("（写明不足）") else reason
        anc = node.parent
        while anc is not None and id(anc) not in cat_set:
            anc = anc.parent
        if anc is not None:
            out.category_of[id(node)] = anc
        for below in node.walk():
            if below is not node:
                below.role = below.role or ("sub_problem" if shortcoming_words(title_of(below)) else "measure")
    for node in issues:
        for anc in _ancestors(node):
            if anc.role == "" and anc.line is not None:
                anc.role, anc.reason = "problem_group", "具体问题的上一级分组标题"
    out.issues = issues
    seen = []
    for node in issues:
        cat = out.category_of.get(id(node))
        if cat is not None and cat not in seen:
            seen.append(cat)
    out.categories = seen
    out.empty_categories = [n for lv in cat_levels[:1] for n in lv.nodes if n not in seen]
    _check_sequence(issues, out)
    _check_skipped(root, issues, problem_level, out)
    _collect_text(region, issue_ids, out, lines)
    return out


# ------------------------------------------------------------------ top-level parts
def _top_parts(root: Node, lines: list[Line], out: Classified) -> list[Node]:
    region: list[Node] = []
    seen_problems = False
    tops = [n for n in root.children]
    if not tops:
        return []
    for node in tops:
        title = title_of(node)
        if node.style == "T":
            part, why = node.part, f"标题「{title}」"
        else:
            got = part_of_notice(title, after_issues=seen_problems)
            part, why = (got[0], f"标题含「{got[1]}」") if got else (None, "")
        if part in (None, "problems", "org"):
            by_content = _part_by_content(node, lines, seen_problems)
            if part is None:
                part, why = by_content
            elif part == "org" and by_content[0] == "issue":
                part, why = "problems", by_content[1]
        if part == "issue":
            part = "problems"
        node.role = {"problems": "problem_list", "status": "status_group", "org": "org_work", "next": "next_steps",
                     "immediate": "immediate", "summary": "summary", "other": "text"}.get(part, "text")
        node.reason = why
        out.parts[part].append(node)
        if part in ("problems", "status"):
            region.append(node)
            seen_problems = True
        if part in ("next", "org", "immediate", "summary", "other"):
            for below in node.walk():
                if below is not node and not below.role:
                    below.role = {"next": "next_steps", "org": "org_work"}.get(part, node.role)
    return region


def _part_by_content(node: Node, lines: list[Line], seen_problems: bool) -> tuple[str, str]:
    """A top-level heading whose title names no part: decide from what is under it."""
    title = title_of(node)
    if owns_label(node, lines) or shortcoming_words(title):
        return "issue", "标题本身是一个问题（带整改情况或写明不足）"
    if category_words(title):
        return "problems", f"标题是问题类别（「{category_words(title)}」）"
    below = [n for n in node.walk() if n is not node and n.style not in ("Y", "T")]
    labels = sum(1 for n in below if owns_label(n, lines))
    findings = sum(1 for n in below if shortcoming_words(title_of(n)))
    actions = sum(1 for n in below if action_words(title_of(n)))
    if labels or findings > actions:
        return "problems", f"下级标题中{labels}个带整改情况、{findings}个写明不足"
    if actions:
        return ("next" if seen_problems else "org"), f"下级标题多为工作举措（{actions}个）"
    if not seen_problems and below:
        return "problems", "下级有编号标题"
    if action_words(title):
        return ("next" if seen_problems else "org"), f"标题是工作举措（「{action_words(title)}」）"
    return "other", "未能归类的部分"


def _is_container(node: Node) -> bool:
    if node.style == "T" or node.role in ("status_group",):
        return True
    title = title_of(node)
    return bool(_CONTAINER_RE.search(title)) and not shortcoming_words(title) and not category_words(title)


def _members(region: list[Node], out: Classified) -> list[Node]:
    """Headings inside the problem list that may be categories or problems (document order)."""
    members: list[Node] = []
    for top in region:
        stack = [top]
        while stack:
            node = stack.pop()
            if node is not top or not _is_container(node):
                if node.style == "T":
                    pass  # a status title between items: an annotation, not a level
                elif status_of_section_title(title_of(node)):
                    node.role, node.reason = "status_group", f"按整改状态分组（「{title_of(node)}」）"
                elif node is not top and part_of_notice(title_of(node)) and part_of_notice(title_of(node))[0] == "next":
                    node.role, node.reason = "next_steps", "标题为下一步打算"
                    for below in node.walk():
                        below.role = below.role or "next_steps"
                    out.parts["next"].append(node)
                    continue
                else:
                    members.append(node)
            stack.extend(reversed(node.children))
    return members


def _rank(node: Node, members_ids: set[int]) -> int:
    rank = 0
    anc = node.parent
    while anc is not None:
        if id(anc) in members_ids:
            rank += 1
        anc = anc.parent
    return rank


def _levels(members: list[Node]) -> list[Level]:
    ids = {id(n) for n in members}
    by_key: dict[tuple[str, int], Level] = {}
    for node in members:
        key = (node.style, _rank(node, ids))
        if key not in by_key:
            by_key[key] = Level(*key)
        by_key[key].nodes.append(node)
    return sorted(by_key.values(), key=lambda lv: (lv.rank, members.index(lv.nodes[0])))


# ------------------------------------------------------------------ choosing the levels
def _stats(level: Level, lines: list[Line], counted: frozenset[str]) -> dict[str, float]:
    """Shares of a level's headings that carry labels, name shortcomings, actions, areas…

    ``counted``: the marker styles whose headings count as a level below (「一是」
    only when such items read as problems somewhere in the list)."""
    n = len(level.nodes)
    titles = [title_of(x) for x in level.nodes]
    strong = [bool(strong_shortcoming(t)) and not category_words(t) for t in titles]
    return {
        "n": n,
        "label": sum(owns_label(x, lines) for x in level.nodes) / n,
        "finding": sum(strong) / n,
        "measure": sum(bool(action_words(t)) for t in titles) / n,
        "opens": sum(bool(opens_with_action(t)) for t in titles) / n,
        "category": sum(bool(category_words(t)) or x.style == "C" for x, t in zip(level.nodes, titles)) / n,
        "bare_parent": sum(bool(x.children) and "。" not in x.line.rest.rstrip("。") and len(t) <= 80
                           for x, t in zip(level.nodes, titles)) / n,
        "parents": sum(bool([c for c in x.children if c.style in counted]) for x in level.nodes) / n,
    }


def _choose(levels: list[Level], lines: list[Line]):
    # 「一是…」 items are measures, unless somewhere they read as problems (labelled, or naming shortcomings)
    plain = frozenset(lv.style for lv in levels if lv.style not in ("Y", "T"))
    y_problems = False
    for lv in levels:
        if lv.style == "Y":
            probe = _stats(lv, lines, plain)
            y_problems = y_problems or probe["label"] >= 0.5 or probe["finding"] >= 0.6
    counted = plain | ({"Y"} if y_problems else frozenset())
    stats = {id(lv): _stats(lv, lines, counted) for lv in levels}
    ranks = sorted({lv.rank for lv in levels})
    main = [max((lv for lv in levels if lv.rank == r), key=lambda lv: len(lv.nodes)) for r in ranks]
    cats: list[Level] = []
    i = 0
    while i < len(main) - 1:
        lv, s = main[i], stats[id(main[i])]
        catty = lv.style == "C" or ((s["category"] >= 0.5 or s["bare_parent"] >= 0.5) and s["parents"] >= 0.5)
        if catty and s["label"] < 0.5 and s["finding"] < 0.5 and lv.style != "Y":
            cats.append(lv)
            i += 1
            continue
        break
    candidates = [lv for lv in main[i:] if lv.style != "Y" or y_problems] or main[i:]
    chosen = candidates[0]
    s = stats[id(chosen)]
    reason = f"{chosen.label}一级"
    doubt = ""
    if s["label"] >= 0.5:
        reason += f"：{round(s['label'] * s['n'])}个标题带整改情况/状态"
    elif s["finding"] >= 0.5:
        reason += f"：{round(s['finding'] * s['n'])}个标题写明不足"
    for deeper in candidates[1:]:
        d, c = stats[id(deeper)], stats[id(chosen)]
        if deeper.style == "P" or not _splits(chosen, deeper):
            break  # 「问题：…」 under a numbered heading, or one item per heading: parts of it, not a finer list
        labelled = d["label"] >= 0.5 and c["label"] < 0.3
        finer = (d["finding"] >= 0.6 and d["opens"] <= 0.2 and c["parents"] >= 0.6 and c["label"] < 0.5)
        if labelled or finer:
            chosen = deeper
            reason = (f"{deeper.label}一级：{round(d['label'] * d['n'])}个标题带整改情况/状态" if labelled else
                      f"{deeper.label}一级：最细的一级写明不足（{round(d['finding'] * d['n'])}个）")
            continue
        if d["finding"] >= 0.5 and 0.2 < c["parents"] < 0.6 and c["label"] < 0.5:
            doubt = "问题层级不明确：部分问题下还有写明不足的下级条目"
        break
    s = stats[id(chosen)]
    if s["label"] < 0.5 and s["finding"] < 0.5:
        reason = f"{chosen.label}一级：按位置取{'类别下' if cats else '问题清单下'}的第一级编号"
        if s["measure"] >= 0.5 and s["n"] >= 2 and not cats:
            # under categories, problems written as goals are common (「严格落实…」); with
            # nothing above them, a list of actions is more likely the committee's own work
            doubt = doubt or "问题层级不明确：问题标题多读作整改措施，请核对"
    return cats, chosen, reason, doubt


def _splits(upper: Level, lower: Level) -> bool:
    """Does the lower level divide the upper one's headings (some heading holds two or more)?"""
    per_parent: dict[int, int] = defaultdict(int)
    for node in lower.nodes:
        per_parent[id(node.parent)] += 1
    return any(count >= 2 for count in per_parent.values())


def _why_category(node: Node) -> str:
    words = category_words(title_of(node))
    if len(words) > 12:
        words = words[:5] + "…" + words[-5:]
    return f"问题类别（「{words}」）" if words else "问题类别：下一级是编号的问题"


def _issue_nodes(level: Level, members: list[Node], cat_levels: list[Level]) -> list[Node]:
    """The chosen level's headings, and the same style elsewhere in the list that sits under no problem."""
    chosen = {id(n) for n in level.nodes}
    cats = {id(n) for lv in cat_levels for n in lv.nodes}
    out = []
    inside = set()
    for node in members:
        if id(node) in inside:
            continue
        if id(node) in chosen or (node.style == level.style and id(node) not in cats and _under_containers(node, cats)):
            out.append(node)
            inside.update(id(x) for x in node.walk())
    return out


_LABEL_ONLY_RE = re.compile(r"^[【\[]?(?:整改|落实|完成|问题|进展|推进|阶段性|下一步)[\u4e00-\u9fff]{0,8}[】\]]?$")


def _refine(issues: list[Node], lines: list[Line]) -> list[Node]:
    """Problems are taken at the finest level that reads as findings, heading by heading:
    a topic (「1.关于“…”问题的整改」) whose own sub-items are findings (labelled, or
    naming shortcomings) gives way to them; a topic without such items stays."""
    out: list[Node] = []
    for node in issues:
        subs = [c for c in node.children if c.style not in ("T",) and c.line is not None]
        styles = {c.style for c in subs}
        if len(styles) != 1 or "P" in styles or owns_label(node, lines):
            out.append(node)
            continue
        titles = [title_of(c) for c in subs]
        if any(_LABEL_ONLY_RE.match(t) for t in titles):
            out.append(node)  # 「（1）整改措施：」: parts of the problem, not problems
            continue
        labelled = sum(owns_label(c, lines) for c in subs) / len(subs)
        findings = sum(bool(strong_shortcoming(t)) for t in titles) / len(subs)
        actions = sum(bool(opens_with_action(t)) for t in titles) / len(subs)
        if (labelled >= 0.5 and findings >= 0.5) or (findings >= 0.6 and actions <= 0.2 and len(subs) >= 2):
            for child in subs:
                child.reason = f"{title_of(node)[:20]}下的具体问题（写明不足）"
            node.role, node.reason = "problem_group", "下级条目才是具体问题"
            out.extend(subs)
        else:
            out.append(node)
    return out


def _under_containers(node: Node, cats: set[int]) -> bool:
    anc = node.parent
    while anc is not None and anc.style != "ROOT":
        if id(anc) not in cats and not _is_container(anc) and anc.role not in ("problem_list", "status_group"):
            return False
        anc = anc.parent
    return True


# ------------------------------------------------------------------ checks and leftovers
def _check_sequence(issues: list[Node], out: Classified) -> None:
    for prev, node in zip([None] + issues, issues):
        if node.how == "gap":
            out.gaps.append(f"{prev.num if prev else '?'}→{node.num}")
        elif node.how == "repeat":
            out.gaps.append(f"{node.num}重复")


def _check_skipped(root: Node, issues: list[Node], level: Level, out: Classified) -> None:
    """A marker of the problems' own style that fit no sequence (「7.」 after 「2.」) inside a
    problem: an issue may have been lost there, or the numbering is wrong."""
    inside = {id(n) for issue in issues for n in issue.walk()}
    lo = min((n.start for n in issues), default=0)
    hi = max((n.end for n in issues), default=0)
    for ln, holder in root.skipped:
        if ln.kind == level.style and lo <= ln.idx < hi and len(ln.rest) <= 120:
            before = holder
            while id(before) in inside and before not in issues:
                before = before.parent
            out.gaps.append(f"{before.num if before is not None else '?'}→{ln.num}")


_INTRO_MAX = 150  # a paragraph introducing a list; longer text in a list heading's body is doubted


def _collect_text(region: list[Node], issue_ids: set[int], out: Classified, lines: list[Line]) -> None:
    """Text in the problem list outside every problem: an intro, or text nobody placed."""
    for top in region:
        for node in top.walk():
            if id(node) in issue_ids:
                continue
            if any(id(a) in issue_ids for a in _ancestors(node)):
                continue
            end = node.children[0].start if node.children else node.end
            empty = node.role == "category" and not node.children  # its text may be an unnumbered problem
            for ln in lines[node.start + 1:end]:
                if (len(ln.match) <= _INTRO_MAX and not ln.kind and not empty) or _INTRO_RE.search(ln.match) \
                        or len(ln.match) < 6 \
                        or status_of_section_title(ln.match.strip()) or classify_status(ln.match):
                    out.intros.append(ln)
                else:
                    out.unplaced.append(ln)
            if node.line is not None and node.role not in ("category", "problem_group", "problem_list",
                                                           "status_group", "next_steps") and node.style != "T" \
                    and id(node) not in issue_ids and node is not top:
                out.unplaced.append(node.line)


def _ancestors(node: Node):
    anc = node.parent
    while anc is not None:
        yield anc
        anc = anc.parent
