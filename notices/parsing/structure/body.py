"""The body: top-level sections, categories, feedback issues.

A notice is a header, a few top-level sections (「一、…」) and a closing.
Sections are told apart by their titles: the party committee's own work
(主体责任…), the feedback issues (巡察反馈意见整改落实情况, or one section per
status: 已整改的问题 / 正在整改的问题), the 立行立改 items, and the next steps
(下一步…) that are kept as text and never read as issues.  Inside the issue
sections the numbering levels present decide which level is a category and
which an issue: a level whose headings are bare (no label, no status, no body)
and lead straight to the next level's headings is a category level; otherwise
the highest level holds the issues and lower levels are lists inside them.
Numbers are checked against the running sequence, so a list inside an issue
numbered like the issues does not start new ones.  A lower level whose items
never carry a label, with the heading's 整改情况 on a line after the list, is a
list of measures and the heading above it the issue.  「第一类问题：…」
headings are always categories.  A summary section after the issues
(「整改完成情况汇总」) only lends statuses to them and adds no issues.
"""
from __future__ import annotations

import re
from collections import Counter
import dataclasses
from dataclasses import dataclass, field

from .details import classify_status, status_of_section_title
from .normalize import CLOSING_START_RE, SIGNATURE_RE, Document, marker_of
from .dates import is_date_only
from .numerals import to_int

NEXT_TITLE_RE = re.compile(
    r"^(?:(?:下一步|下步|今后|后续)(?:的)?(?:全面)?(?:工作|推进|深化|巩固)?(?:整改)?(?:工作)?"
    r"(?:打算|计划|安排|举措|措施|思路|方向|重点|目标|努力方向)|(?:下一步|下步)(?:工作)?|下一步工作打算和措施|"
    r"(?:持续|继续)?(?:巩固|深化)(?:拓展)?整改成果(?:的)?(?:打算|计划|举措|措施)?|(?:持续|继续)深化整改(?:的)?(?:打算|计划|举措|措施))$"
)
IMMEDIATE_TITLE_RE = re.compile(r"立行立改")
PREAMBLE_TITLE_RE = re.compile(
    r"主体责任|主要负责人|第一责任人|组织领导|加强领导|组织实施|总体情况|基本情况|整改工作开展|整改工作总体|整改工作推进情况|工作开展情况|整改工作情况$|(?:整改工作)?组织(?:落实|实施|开展)?(?:整改)?(?:工作)?情况$"
)
GENERIC_REGION_RE = re.compile(r"(?:整改|落实)(?:任务|工作)?(?:落实|进展|推进)?(?:情况|进展)$|^(?:巡[察视])?反馈(?:意见|问题)")


@dataclass
class Line:
    idx: int
    disp: str
    match: str
    kind: str | None = None  # L1 L2 L3 L4 L5 Q, or P for an unnumbered 「问题：」
    num: int | None = None
    num_text: str = ""
    off: int = 0  # where the content starts after the number

    @property
    def rest(self) -> str:
        return self.match[self.off:]

    @property
    def rest_disp(self) -> str:
        return self.disp[self.off:]


@dataclass
class Section:
    kind: str  # header, preamble, issues, status, immediate, next
    title: str = ""
    heading: Line | None = None
    lines: list[Line] = field(default_factory=list)
    status: str | None = None


def make_lines(doc: Document) -> list[Line]:
    out = []
    for i, (d, m) in enumerate(zip(doc.display, doc.match)):
        ln = Line(i, d, m)
        mk = marker_of(m)
        if mk:
            kind, num_text, end = mk
            num = to_int(num_text) if kind != "L5" else "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(num_text) + 1
            if num:
                ln.kind, ln.num, ln.num_text = kind, num, num_text
                ln.off = end + (len(m[end:]) - len(m[end:].lstrip()))
        elif _PROBLEM_LINE_RE.match(m):
            ln.kind, ln.num = "P", 0  # an unnumbered 「问题：…」: numbered in order later
        out.append(ln)
    return out


_PROBLEM_LINE_RE = re.compile(r"^(?:存在的?|反馈的?)?问题(?:描述|表现)?\s*:")


def closing_start(lines: list[Line]) -> int:
    """Index of the first closing line (欢迎…监督, 联系电话…, signature and date).

    Only after the first numbered heading or in the last third, so a 「联系我们」
    near the top of a saved web page does not end the notice."""
    n = len(lines)
    start = n
    first_marked = next((ln.idx for ln in lines if ln.kind), n)
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


def _short_title(ln: Line) -> str:
    t = ln.rest.strip()
    return t if len(t) <= 30 and ":" not in t else ""


def _title_kind(title: str) -> str | None:
    t = title.rstrip("。:")
    if NEXT_TITLE_RE.match(t):
        return "next"
    if IMMEDIATE_TITLE_RE.search(t) and len(t) <= 30 and re.search(r"(?:情况|事项|问题|整改)$", t):
        return "immediate"
    return None


_SUMMARY_TITLE_RE = re.compile(r"(?:情况|进展|问题|状态|清单)(?:汇总|一览)(?:表)?$|(?:汇总|一览|统计)表$")
_LATE_NEXT_RE = re.compile(r"下一步|下步|今后|后续|巩固|深化|长效|常态|持续")


def split_sections(lines: list[Line], stop: int) -> list[Section]:
    sections = [Section("header")]
    last_l1 = 0
    seen_issues = False
    for ln in lines[:stop]:
        head = None
        if ln.kind == "L1" and (ln.num == last_l1 + 1 or ln.num == last_l1 + 2):
            head = ln
            last_l1 = ln.num
        elif (ln.kind or len(ln.match) <= 20) and _title_kind(_short_title(ln) if ln.kind else ln.match):
            head = ln
        if head is None:
            sections[-1].lines.append(ln)
            continue
        title = ln.rest.strip() if ln.kind else ln.match.strip()
        title_d = ln.rest_disp.strip() if ln.kind else ln.disp.strip()
        kind = _title_kind(title)
        status = None
        if kind is None and seen_issues and _SUMMARY_TITLE_RE.search(title):
            kind = "summary"  # 「三、整改完成情况汇总」: a table of the statuses of the issues above
        if kind is None:
            status = status_of_section_title(title)
            if status:
                kind = "status"
            elif PREAMBLE_TITLE_RE.search(title) and not re.search(r"反馈(?:意见|问题)|问题整改", title):
                kind = "preamble"
            elif seen_issues and _LATE_NEXT_RE.search(title) and not re.search(r"问题|方面", title):
                kind = "next"  # 「四、持续深化整改，巩固整改成果」 after the issues
            else:
                kind = "issues"
        seen_issues = seen_issues or kind in ("issues", "status")
        sections.append(Section(kind, title_d, ln, [], status))
    return sections


@dataclass
class RawIssue:
    heading: Line | None
    category: tuple[str, str] | None
    number: str
    lines: list[Line]
    section_status: str | None
    section_heading: str = ""  # the status heading the issue sits under (its status evidence)


@dataclass
class RawCategory:
    number: str
    title: str


@dataclass
class BodyResult:
    categories: list[RawCategory] = field(default_factory=list)
    issues: list[RawIssue] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    intros: list[Line] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    empty_categories: list[str] = field(default_factory=list)


def status_of_heading_text(text: str) -> str | None:
    return classify_status(text) or status_of_section_title(text)


def _is_status_heading(ln: Line) -> str | None:
    if ln.kind in ("L1", "L2", None):
        t = ln.rest.strip() if ln.kind else ln.match.strip()
        if len(t) <= 30:
            return status_of_section_title(t)
    return None


_LEVEL_ORDER = ("L2", "L3", "L4", "L5")


def _heading_like(ln: Line) -> bool:
    """A bare category heading: no label, no status, no body after a first sentence."""
    rest = ln.rest.rstrip("。:")
    if ":" in rest or status_of_heading_text(rest):
        return False
    return not ("。" in rest and len(rest) > 40)


def choose_levels(issue_lines: list[Line]) -> tuple[str | None, str | None]:
    """(category level, issue level) among the numbering styles present.

    The highest level is a category level when most of its headings are bare
    headings followed straight away by a heading of the next level down;
    otherwise it is the issue level and lower levels are measures inside issues."""
    lines = [ln for ln in issue_lines if not (ln.kind and _is_status_heading(ln))]
    kinds = Counter(ln.kind for ln in lines if ln.kind)
    if kinds["C"]:
        # 「第一类问题：…」 headings are categories whatever numbering the issues use
        below = [k for k in ("Q",) + _LEVEL_ORDER if kinds[k]]
        return "C", (below[0] if below else None)
    if kinds["Q"]:
        return ("L2" if kinds["L2"] else None), "Q"
    present = [k for k in _LEVEL_ORDER if kinds[k]]
    if not present:
        return None, ("P" if kinds["P"] else None)
    top = present[0]
    if len(present) >= 2:
        heads = [i for i, ln in enumerate(lines) if ln.kind == top]
        bare = sum(1 for i in heads if _heading_like(lines[i]))
        # followed by a lower level straight away, or after an unlabelled intro paragraph
        below = Counter(k for k in (_leads_to(lines, i, top) for i in heads) if k)
        if below and sum(below.values()) * 2 >= len(heads) and bare * 2 > len(heads):
            sub = below.most_common(1)[0][0]
            if not _measure_lists(lines, top, sub):
                return top, sub
    return None, top


_NAMES_A_PROBLEM_RE = re.compile(r"^[^。;:]{4,60}问题(?:的整改)?(?:[。;:]|$)")  # 「1.学习不深入问题。」 is an issue, not a measure


def _measure_lists(lines: list[Line], top: str, sub: str) -> bool:
    """Are the lower-level items lists of measures under each heading, with the
    heading's status after the list (「（一）…问题」「1.修订…」「2.建立…」「整改情况：已完成」)?

    Only the last item of a heading ever carries a label or status; real issues
    under a category each carry their own."""
    last_labelled = inner_labelled = groups = 0
    group: list[list[Line]] = []

    def close() -> None:
        nonlocal last_labelled, inner_labelled, groups
        if not group:
            return
        groups += 1
        inner_labelled += sum(any(_ISSUE_LABEL_RE.search(x.match) or status_of_heading_text(x.match) for x in item)
                              or _NAMES_A_PROBLEM_RE.search(item[0].rest) is not None for item in group[:-1])
        # the heading's status on a line of its own after the list, not on the last item's line
        last_labelled += any(_ISSUE_LABEL_RE.match(x.match) for x in group[-1][1:])

    for ln in lines:
        if ln.kind == top:
            close()
            group = []
        elif ln.kind == sub:
            group.append([ln])
        elif group:
            group[-1].append(ln)
    close()
    return groups > 0 and inner_labelled == 0 and last_labelled * 2 > groups


def _leads_to(lines: list[Line], i: int, top: str) -> str | None:
    """The lower numbering level a heading leads to, if it leads straight to one."""
    for ln in lines[i + 1:i + 4]:
        if ln.kind in _LEVEL_ORDER and ln.kind != top:
            return ln.kind
        if not ln.kind and len(ln.match) <= 24 and status_of_section_title(ln.match):
            continue  # 「已完成整改的问题（2个）」 between a category and its issues
        if ln.kind == top or _ISSUE_LABEL_RE.search(ln.match) or status_of_heading_text(ln.match):
            return None
    return None


def _issue_like_heading(ln: Line) -> bool:
    """A top-level heading that is itself an issue: 「一、学习不深入问题。整改情况：已完成。」"""
    rest = ln.rest
    return bool(_ISSUE_LABEL_RE.search(rest) or status_of_heading_text(rest.rstrip("。"))
                or ("。" in rest.rstrip("。") and len(rest) > 30))


def parse_body(sections: list[Section]) -> BodyResult:
    res = BodyResult()
    issue_secs = [s for s in sections if s.kind in ("issues", "status")]
    if not issue_secs:
        # no top-level headings at all: the numbered items after the header
        header = sections[0]
        first = next((i for i, ln in enumerate(header.lines) if ln.kind in ("L2", "L3", "L4", "L5", "Q", "P")), None)
        if first is None:
            return res
        issue_secs = [Section("issues", "", None, header.lines[first:])]
        res.intros = header.lines[:first]
        header.lines = header.lines[:first]
    all_lines = [ln for s in issue_secs for ln in s.lines]
    cat_level, issue_level = choose_levels(all_lines)
    plain = [s for s in issue_secs if s.kind == "issues" and s.heading is not None]
    l1_cats = False
    if len(plain) >= 2 and sum(1 for s in plain if _issue_like_heading(s.heading)) * 2 > len(plain):
        issue_level, cat_level = "L1", None
    if issue_level is None:
        if len(plain) >= 2:
            issue_level = "L1"
    elif cat_level is None and plain:
        # on the match view: a traditional-character title must read the same
        specific = [s for s in plain if not GENERIC_REGION_RE.search(s.heading.rest.strip().rstrip("。:"))]
        l1_cats = bool(specific) and (len(specific) >= 2 or any("方面" in s.heading.rest for s in specific))

    last_issue = 0
    seen_cats: set[tuple[str, str]] = set()
    for sec in issue_secs:
        status = sec.status
        status_heading = sec.heading.disp if sec.status and sec.heading else ""
        category = None
        if issue_level == "L1":
            if sec.kind != "issues" or sec.heading is None:
                continue
            res.issues.append(RawIssue(sec.heading, None, str(sec.heading.num), [sec.heading] + sec.lines, status, status_heading))
            continue
        if l1_cats and sec.kind == "issues" and sec.heading is not None:
            # listed once it holds an issue: 「三、巡察移交问题线索办理情况」 is no category
            category = (sec.heading.num_text, sec.title.rstrip("。:："))
        last_cat = 0
        in_cat = 0
        current: RawIssue | None = None
        pending: list[Line] = []
        sub_last = 0  # a list inside the current issue numbered like the issues
        for pos, ln in enumerate(sec.lines):
            st = _is_status_heading(ln) if ln.kind in ("L1", "L2") or (not ln.kind and len(ln.match) <= 24) else None
            if st:
                status, status_heading, current, in_cat = st, ln.disp, None, 0
                continue
            if cat_level and ln.kind == cat_level and ln.num in (last_cat + 1, last_cat + 2):
                if current is None and pending:
                    _place_pending(res, pending, category)
                pending = []
                last_cat = ln.num
                title = ln.rest_disp.strip().rstrip("。:：")
                category = (ln.num_text, title)
                if category not in seen_cats:
                    seen_cats.add(category)
                    res.categories.append(RawCategory(*category))
                current, in_cat = None, 0
                continue
            if (issue_level and ln.kind and ln.kind not in (issue_level, cat_level, "L1") and current is not None
                    and ln.num == last_issue + 1 and _mixed_style_issue(ln, sec.lines, pos, current)):
                ln = dataclasses.replace(ln, kind=issue_level)  # 「（5）」 among 「4.」「6.」: one list printed two ways
            if issue_level == "P" and ln.kind == "P":
                ln = dataclasses.replace(ln, num=last_issue + 1)
            if issue_level and ln.kind == issue_level:
                ok = ln.num == last_issue + 1 or (in_cat == 0 and (ln.num == 1 or ln.num <= last_issue + 3)) \
                    or ln.num == last_issue + 2
                if ok and current is not None and sub_last and ln.num == sub_last + 1:
                    # 「3.」 after a sub-list 「1.」「2.」 inside issue 2: an issue only if it reads like one
                    nxt = sec.lines[pos + 1] if pos + 1 < len(sec.lines) else None
                    ok = _reads_like_issue_start(ln, nxt)
                if not ok and current is not None and ln.num == last_issue and not sub_last:
                    # a number printed twice (「2.」「2.」): a second issue when it reads like one
                    nxt = sec.lines[pos + 1] if pos + 1 < len(sec.lines) else None
                    ok = _reads_like_issue_start(ln, nxt) and _reads_like_issue_start(current.lines[0], current.lines[1] if len(current.lines) > 1 else None)
                if not ok and current is not None and (ln.num == 1 or ln.num == sub_last + 1):
                    sub_last = ln.num
                if ok:
                    sub_last = 0
                    if ln.num not in (last_issue + 1, 1):
                        res.gaps.append(f"{last_issue}→{ln.num}")
                    if current is None and pending:
                        _place_pending(res, pending, category)
                    pending = []
                    if category is not None and category not in seen_cats:
                        seen_cats.add(category)
                        res.categories.append(RawCategory(*category))
                    current = RawIssue(ln, category, str(ln.num), [ln], status, status_heading)
                    res.issues.append(current)
                    last_issue = ln.num
                    in_cat += 1
                    continue
            if current is not None:
                current.lines.append(ln)
            else:
                pending.append(ln)
        if pending:
            _place_pending(res, pending, category)
    cats_with_issues = {i.category for i in res.issues}
    for c in res.categories:
        if (c.number, c.title) not in cats_with_issues:
            res.empty_categories.append(c.number)
    return res


_ISSUE_LABEL_RE = re.compile(r"(?:整改|问题|落实|进展|措施|成效|结果)[\u4e00-\u9fff]{0,6}(?::|】)")


def _mixed_style_issue(ln: Line, lines: list[Line], pos: int, current: RawIssue) -> bool:
    nxt = lines[pos + 1] if pos + 1 < len(lines) else None
    head = current.lines[0]
    return _reads_like_issue_start(ln, nxt) and _reads_like_issue_start(head, current.lines[1] if len(current.lines) > 1 else None)


def _reads_like_issue_start(ln: Line, nxt: Line | None) -> bool:
    return bool(_ISSUE_LABEL_RE.search(ln.rest) or (nxt is not None and _ISSUE_LABEL_RE.match(nxt.match)))


_INTRO_RE = re.compile(r"^(?:针对|围绕|对照|按照|根据|截至|截止|经过|通过|巡察|巡视|其中|共)|\d+\s*(?:个|项)|[一二三四五六七八九十]+(?:个|项)")


def _place_pending(res: BodyResult, pending: list[Line], category) -> None:
    """Text in an issue section before its first issue: an intro, or text we could not place."""
    for ln in pending:
        if _INTRO_RE.search(ln.match) or len(ln.match) < 6:
            res.intros.append(ln)
        else:
            res.unplaced.append(ln.disp)
