"""Problem headings → ``ParsedIssue``: title, text, status with its evidence, measures, dates.

An issue's status comes from what is said about that issue (its own
整改情况 / 整改状态 / opening or closing sentence, see ``details.issue_status``);
failing that from the status group it sits in (「已完成整改的问题」 above it or
before it in its list); failing that from a status table or a sentence that
names issues by number (「第1、2项已完成整改」).
"""
from __future__ import annotations

import dataclasses
import re

from ..result import STATUS_NOT_STATED, IssueSection, ParsedIssue
from . import details
from .details import status_of_section_title
from .lines import Line
from .outline import Node

_TERMINAL_IN_RE = re.compile(r"[。!?]")
_PROBLEM_LABEL_RE = re.compile(r"(?:存在的?|反馈的?|巡[察视]反馈的?|主要)?问题(?:描述|表现|内容)?\s*:\s*")
_CUT_LABEL_RE = re.compile(
    r"[【\[]?(?:整改|落实|完成)(?:落实|完成|推进)?(?:情况|措施|结果|成效|进展|进度|举措|时限|期限|状态)(?:及成效|及结果|和成效)?(?::|】|\])"
)


def lines_text(lines: list[Line], view: str = "disp") -> str:
    return "\n".join(getattr(ln, view) for ln in lines)


def split_title(rest_m: str, rest_d: str) -> tuple[str, int]:
    """Title of an issue heading and where the body starts on that line."""
    cut = len(rest_m)
    m = _TERMINAL_IN_RE.search(rest_m)
    if m:
        cut = m.start()
    lab = _CUT_LABEL_RE.search(rest_m, 0, cut)
    if lab and lab.start() > 0:
        cut = lab.start()
    body_start = cut + 1 if m and cut == m.start() else cut
    label = _PROBLEM_LABEL_RE.match(rest_m, 0, cut)
    skip = label.end() if label and label.end() < cut else 0
    title_m = details.title_status_clause(rest_m[skip:cut].rstrip(":：,，"))
    return rest_d[skip:skip + len(title_m)].strip(), body_start


def group_statuses(root: Node) -> dict[int, tuple[str, str]]:
    """For every heading, the status of the group it sits in and that group's heading:
    a status title before it among its siblings (「正在整改的问题」), else a status
    heading above it, else its parent's group.  One pass over the outline."""
    out: dict[int, tuple[str, str]] = {}
    stack: list[tuple[Node, tuple[str, str] | None]] = [(root, None)]
    while stack:
        parent, inherited = stack.pop()
        own = inherited
        if parent.line is not None and (parent.role == "status_group" or (parent.style == "T" and parent.part == "status")):
            st = status_of_section_title((parent.line.rest if parent.style != "T" else parent.line.match).strip())
            if st:
                own = (st, parent.line.disp.strip())
        current = own
        for child in parent.children:
            if child.style == "T" and child.part == "status" and not child.children:
                st = status_of_section_title(child.line.match.strip())
                if st:
                    current = (st, child.line.disp.strip())
            if current is not None:
                out[id(child)] = current
            stack.append((child, current))
    return out


def build_issue(node: Node, lines: list[Line], order: int, number: str, category, context, now=None,
                group: tuple[str, str] | None = None) -> ParsedIssue:
    """One ``ParsedIssue`` from a problem heading and everything under it."""
    head = node.line
    others = lines[node.start + 1:node.end]
    rest_m, rest_d = head.rest, head.rest_disp
    title, body_start = split_title(rest_m, rest_d)
    if not title and others and not others[0].kind:
        title, _ = split_title(others[0].match, others[0].disp)  # 「1.」 with its text on the next line
    body_m = rest_m[body_start:] + ("\n" + lines_text(others, "match") if others else "")
    body_d = rest_d[body_start:] + ("\n" + lines_text(others) if others else "")
    text_m = rest_m + ("\n" + lines_text(others, "match") if others else "")
    text_d = rest_d + ("\n" + lines_text(others) if others else "")
    status, evidence, weak = details.issue_status(rest_m[:body_start], body_m)
    group_status, group_heading = group or (None, "")
    if (status == STATUS_NOT_STATED or weak) and group_status:
        status, evidence = group_status, group_heading
    elif evidence:
        pos = text_m.find(evidence)
        if pos >= 0:
            evidence = text_d[pos:pos + len(evidence)]
    measures = [body_d[s:e].strip() for s, e in details.measures(body_m)]
    if not measures:
        measures = [ln.disp[ln.off:].strip() for ln in others if ln.kind in ("L3", "L4", "L5", "Y")]
    sections = [IssueSection(label=body_d[ls:le].strip(), text=body_d[cs:ce].strip())
                for ls, le, cs, ce in details.sections(body_m)]
    actions = details.dated_actions(body_m, body_d, context, now)
    return ParsedIssue(
        category=category,
        number=number,
        title=title,
        text=text_d.strip(),
        status=status,
        status_evidence=evidence,
        order=order,
        measures=measures,
        sections=sections,
        actions=actions,
        reason=node.reason,
    )


def statuses_from_summary(issues: list[ParsedIssue], lines: list[Line]) -> list[ParsedIssue]:
    """Statuses printed only in a summary table after the issues (「三、整改完成情况汇总」).

    Rows are matched to issues by number when the numbers are unique, else by
    position when there are as many rows as issues; an issue's own status wins."""
    rows: list[tuple[str, str, str]] = []
    for ln in lines:
        if ln.kind not in ("L2", "L3", "L4", "Q") or ln.num is None:
            continue
        _, body_start = split_title(ln.rest, ln.rest_disp)
        status, evidence, _ = details.issue_status(ln.rest[:body_start], ln.rest[body_start:])
        if status != STATUS_NOT_STATED:
            pos = ln.rest.find(evidence)
            shown = ln.rest_disp[pos:pos + len(evidence)] if pos >= 0 else evidence
            rows.append((str(ln.num), status, shown))
    if not rows:
        return issues
    numbers = [x.number for x in issues]
    if len(set(numbers)) == len(numbers):
        found = {num: (st, ev) for num, st, ev in rows}
    elif len(rows) == len(issues):
        found = {i: (st, ev) for i, (_, st, ev) in enumerate(rows)}
        numbers = list(range(len(issues)))
    else:
        return issues
    out = []
    for key, issue in zip(numbers, issues):
        if issue.status == STATUS_NOT_STATED and key in found:
            st, ev = found[key]
            issue = dataclasses.replace(issue, status=st, status_evidence=ev)
        out.append(issue)
    return out


_NUMBERED_STATUS_RE = re.compile(
    r"第\s*((?:\d{1,3}|[一二三四五六七八九十]{1,3})(?:\s*[、,和及至到—-]\s*第?\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3}))*)"
    r"\s*(?:项|个|条|号)(?:问题)?"
)


def statuses_by_number(issues: list[ParsedIssue], match: str, display: str) -> list[ParsedIssue]:
    """「截至目前，第1、2、4项问题已完成整改，第3项问题正在整改」 outside the issues:
    statuses for issues that state none themselves (numbers must be unique)."""
    from .numerals import to_int

    numbers = [x.number for x in issues]
    if len(set(numbers)) != len(numbers):
        return issues
    found: dict[str, tuple[str, str]] = {}
    for cm in re.finditer(r"[^。;,，\n]+", match):
        clause = cm.group(0)
        if len(clause) > 80 or "第" not in clause:
            continue  # a status clause is short; this also keeps hostile text linear
        m = _NUMBERED_STATUS_RE.search(clause)
        if not m:
            continue
        st = details.classify_status(clause[m.end():])
        if not st:
            continue
        nums: list[int] = []
        for part in re.finditer(r"(\d{1,3}|[一二三四五六七八九十]{1,3})(\s*[至到—-]\s*)?", m.group(1)):
            n = to_int(part.group(1))
            if n is None:
                continue
            if nums and nums[-1] < 0:  # the end of a range 「第1至3项」
                start = -nums.pop()
                nums += list(range(start, min(n, start + 200) + 1))
            else:
                nums.append(-n if part.group(2) else n)
        shown = display[cm.start():cm.end()].strip()
        for n in nums:
            found.setdefault(str(abs(n)), (st, shown))
    if not found:
        return issues
    return [dataclasses.replace(x, status=found[x.number][0], status_evidence=found[x.number][1])
            if x.status == STATUS_NOT_STATED and x.number in found else x for x in issues]
