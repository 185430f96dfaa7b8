"""Logical lines with their numbering marker, and where the closing starts.

A line's marker is read on the match view: 「一、」 L1, 「（一）」 L2, 「1.」「1、」
L3, 「（1）」 L4, 「①」 L5, 「问题一：」 Q, 「第一类问题：」 C, 「第一部分」 PART,
「一是」 Y (a list item written as words), a heading in brackets alone on its
line 「【…方面】」 B and an unnumbered 「问题：」 P (both numbered in order of appearance).  Whether a marker really opens a heading is decided
later by the outline, from the sequence it continues.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import is_date_only
from .normalize import CLOSING_START_RE, MEASURE_START_RE, SIGNATURE_RE, Document, marker_of
from .numerals import int_to_cn, to_int

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PROBLEM_LINE_RE = re.compile(r"^(?:[【\[])?(?:存在的?|反馈的?|巡[察视]反馈的?)?问题(?:描述|表现)?\s*(?::|】|\])")
# 「【全面从严治党方面】」 alone on its line: a heading in brackets (not a label such as 【整改情况】)
BRACKET_HEADING_RE = re.compile(r"^[【\[]([^】\]]{4,40})[】\]]$")
_LABEL_WORDS_RE = re.compile(r"^(?:整改|落实|完成|问题|进展|推进|阶段性|下一步|责任|措施|成效)[\u4e00-\u9fff]{0,6}$")
_WORD_ITEM_RE = re.compile(r"^(?:([一二三四五六七八九十]{1,3})是|其([一二三四五六七八九十]{1,3})[,，:：])")


@dataclass
class Line:
    idx: int
    disp: str
    match: str
    kind: str | None = None  # the marker style, see the module docstring
    num: int | None = None
    num_text: str = ""
    off: int = 0  # where the content starts after the marker
    table: bool = False  # made from a table row

    @property
    def rest(self) -> str:
        return self.match[self.off:]

    @property
    def rest_disp(self) -> str:
        return self.disp[self.off:]


def make_lines(doc: Document) -> list[Line]:
    out = []
    problems = brackets = 0
    for i, (d, m) in enumerate(zip(doc.display, doc.match)):
        ln = Line(i, d, m, table=i in doc.table_rows)
        mk = marker_of(m)
        if mk:
            kind, num_text, end = mk
            if kind == "L1" and m.startswith("第"):
                kind = "PART"
            num = to_int(num_text) if kind != "L5" else _CIRCLED.index(num_text) + 1
            if num:
                ln.kind, ln.num, ln.num_text = kind, num, num_text
                ln.off = end + (len(m[end:]) - len(m[end:].lstrip()))
        elif BRACKET_HEADING_RE.match(m) and not _LABEL_WORDS_RE.match(BRACKET_HEADING_RE.match(m).group(1)):
            brackets += 1
            ln.kind, ln.num, ln.num_text, ln.off = "B", brackets, int_to_cn(brackets), 1
        elif _PROBLEM_LINE_RE.match(m):
            problems += 1
            ln.kind, ln.num, ln.num_text = "P", problems, str(problems)
            ln.off = _PROBLEM_LINE_RE.match(m).end()
        else:
            w = _WORD_ITEM_RE.match(m) if MEASURE_START_RE.match(m) else None
            if w:
                ln.kind, ln.num_text = "Y", w.group(1) or w.group(2)
                ln.num = to_int(ln.num_text)
        out.append(ln)
    return out


def closing_start(lines: list[Line]) -> int:
    """Index of the first closing line (欢迎…监督, 联系电话…, signature and date).

    Only after the first numbered heading or in the last third, so a 「联系我们」
    near the top of a saved web page does not end the notice."""
    n = len(lines)
    start = n
    first_marked = next((ln.idx for ln in lines if ln.kind and ln.kind != "Y"), n)
    earliest = min(first_marked, (2 * n) // 3)
    for ln in lines[1:]:
        if ln.idx >= earliest and CLOSING_START_RE.match(ln.match) and not ln.kind:
            start = ln.idx
            break
    # a signature / date block at the end without a closing phrase
    k = min(start, n)
    while k - 1 > 0 and (is_date_only(lines[k - 1].match) or (SIGNATURE_RE.match(lines[k - 1].match) and not lines[k - 1].kind)):
        k -= 1
    return k
