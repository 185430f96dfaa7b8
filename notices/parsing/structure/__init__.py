"""Structure parser: notice text → ``ParsedNotice``.  Pure Python, no Django.

``parse_text`` never raises: an unexpected failure becomes a ``parser_error``
warning on an otherwise empty result, so one odd upload cannot stop a batch.
``PARSER_VERSION`` changes whenever the output for some text changes.
"""
from __future__ import annotations

import dataclasses
import logging
import re

from ..result import (
    CONFIDENCE_HIGH,
    CONFIDENCE_LOW,
    STATUS_COMPLETED,
    STATUS_IN_PROGRESS,
    STATUS_NOT_STATED,
    DeclaredCounts,
    IssueSection,
    ParsedCategory,
    ParsedIssue,
    ParsedNotice,
    ParseWarning,
)
from . import details, header
from .body import Line, closing_start, make_lines, parse_body, split_sections
from .normalize import Document, ends_terminal, normalize
from .numerals import to_int

__all__ = ["PARSER_VERSION", "parse_text"]

PARSER_VERSION = "2026.11.22-37"

logger = logging.getLogger(__name__)

_NOTICE_RE = re.compile(r"巡[察视]")
_TITLE_STOP_RE = re.compile(r"^(?:根据|按照|依据|为|近日|今年|[12]\d{3}年|\d{1,2}月)")
_DOC_NUMBER_RE = re.compile(r"[〔\[(【]\s*(?:19|20)\d{2}\s*[〕\])】]\s*\d{1,4}\s*号$")
_TERMINAL_IN_RE = re.compile(r"[。!?]")
_PROBLEM_LABEL_RE = re.compile(r"(?:存在的?|反馈的?|巡[察视]反馈的?|主要)?问题(?:描述|表现|内容)?\s*:\s*")
_CUT_LABEL_RE = re.compile(
    r"[【\[]?(?:整改|落实|完成)(?:落实|完成|推进)?(?:情况|措施|结果|成效|进展|进度|举措|时限|期限|状态)(?:及成效|及结果|和成效)?(?::|】|\])"
)


def parse_text(text: str) -> ParsedNotice:
    """Parse a notice's text; never raises."""
    try:
        return _parse(text)
    except Exception:  # the last line of defence; tests call _parse directly
        logger.exception("structure parser failed")
        return ParsedNotice(
            parser_version=PARSER_VERSION,
            warnings=[ParseWarning("parser_error", "解析程序出错，未能识别本通报的结构，请人工核对全文")],
            confidence=CONFIDENCE_LOW,
            review_reasons=["解析程序出错，未能识别本通报的结构"],
        )


def _lines_text(lines: list[Line], view: str = "disp") -> str:
    return "\n".join(getattr(ln, view) for ln in lines)


def _title(lines: list[Line]) -> str:
    parts = []
    for ln in lines[:6]:
        if ln.kind or ends_terminal(ln.match) or _TITLE_STOP_RE.match(ln.match) or len(ln.match) > 60:
            break
        if not _DOC_NUMBER_RE.search(ln.match):
            parts.append(ln)
    shown = [ln for ln in parts if not ln.match.endswith("文件")] or parts
    return "".join(ln.disp for ln in shown)


def _split_title(rest_m: str, rest_d: str) -> tuple[str, int]:
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


def _issue(raw, order: int, context) -> ParsedIssue:
    head = raw.lines[0]
    rest_m, rest_d = head.rest, head.rest_disp
    title, body_start = _split_title(rest_m, rest_d)
    others = raw.lines[1:]
    if not title and others and not others[0].kind:
        # 「1.」 with its text on the next line that could not be joined
        title, _ = _split_title(others[0].match, others[0].disp)
    body_m = rest_m[body_start:] + ("\n" + _lines_text(others, "match") if others else "")
    body_d = rest_d[body_start:] + ("\n" + _lines_text(others) if others else "")
    text_m = rest_m + ("\n" + _lines_text(others, "match") if others else "")
    text_d = rest_d + ("\n" + _lines_text(others) if others else "")
    status, evidence, weak = details.issue_status(rest_m[:body_start], body_m)
    from_section = (status == STATUS_NOT_STATED or weak) and bool(raw.section_status)
    if from_section:
        status, evidence = raw.section_status, raw.section_heading
    elif evidence:
        pos = text_m.find(evidence)
        if pos >= 0:
            evidence = text_d[pos:pos + len(evidence)]
    measures = [body_d[s:e].strip() for s, e in details.measures(body_m)]
    if not measures:
        measures = [ln.disp[ln.off:].strip() for ln in others if ln.kind in ("L3", "L4", "L5")]
    sections = [IssueSection(label=body_d[ls:le].strip(), text=body_d[cs:ce].strip())
                for ls, le, cs, ce in details.sections(body_m)]
    actions = details.dated_actions(body_m, body_d, context)
    return ParsedIssue(
        category=raw.category[0] if raw.category else None,
        number=raw.number,
        title=title,
        text=text_d.strip(),
        status=status,
        status_evidence=evidence,
        order=order,
        measures=measures,
        sections=sections,
        actions=actions,
    )


_HEADING_COUNT_RE = re.compile(r"[(（]\s*(?:共|共计)?\s*(\d{1,4}|[一二两三四五六七八九十百]{1,5})\s*(?:个|项|条)(?:问题)?\s*[)）]")


def _counts_from_status_headings(declared: DeclaredCounts, sections) -> DeclaredCounts:
    """「一、已整改的问题（32个）」 declares how many are completed when no sentence says so."""
    found: dict[str, int] = {}
    for sec in sections:
        if sec.kind not in ("issues", "status"):
            continue
        heads = ([sec.heading] if sec.heading is not None and sec.status else []) + [
            ln for ln in sec.lines if len(ln.rest) <= 30 and details.status_of_section_title(ln.rest.strip())]
        for ln in heads:
            m = _HEADING_COUNT_RE.search(ln.rest)
            status = details.status_of_section_title(ln.rest.strip())
            if m and status and status not in found:
                found[status] = to_int(m.group(1))
    return dataclasses.replace(
        declared,
        completed=declared.completed if declared.completed is not None else found.get(STATUS_COMPLETED),
        in_progress=declared.in_progress if declared.in_progress is not None else found.get(STATUS_IN_PROGRESS),
    )


def _statuses_from_summary(issues: list[ParsedIssue], lines: list[Line]) -> list[ParsedIssue]:
    """Statuses printed only in a summary table after the issues (「三、整改完成情况汇总」).

    Rows are matched to issues by number when the numbers are unique, else by
    position when there are as many rows as issues; an issue's own status wins."""
    rows: list[tuple[str, str, str]] = []
    for ln in lines:
        if ln.kind not in ("L3", "L4", "Q") or ln.num is None:
            continue
        _, body_start = _split_title(ln.rest, ln.rest_disp)
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


def _statuses_by_number(issues: list[ParsedIssue], match: str, display: str) -> list[ParsedIssue]:
    """「截至目前，第1、2、4项问题已完成整改，第3项问题正在整改」 outside the issues:
    statuses for issues that state none themselves (numbers must be unique)."""
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


def _parse(text: str) -> ParsedNotice:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    doc: Document = normalize(text)
    lines = make_lines(doc)
    whole_m = doc.match_text
    title = _title(lines)
    if not (_NOTICE_RE.search(whole_m) and "整改" in whole_m):
        return ParsedNotice(
            parser_version=PARSER_VERSION,
            title=title,
            is_rectification_notice=False,
            warnings=[ParseWarning("not_rectification_notice", "未识别为巡察整改通报：全文没有巡察（巡视）整改的内容，未提取任何问题")],
            confidence=CONFIDENCE_LOW,
            review_reasons=["未识别为巡察整改通报"],
        )
    stop = closing_start(lines)
    sections = split_sections(lines, stop)
    body = parse_body(sections)
    warnings: list[ParseWarning] = []

    head_lines = sections[0].lines
    head_m, head_d = _lines_text(head_lines, "match"), _lines_text(head_lines)
    tail = lines[stop:]
    tail_m, tail_d = _lines_text(tail, "match"), _lines_text(tail)
    preamble = [ln for s in sections if s.kind == "preamble" for ln in ([s.heading] if s.heading else []) + s.lines]

    # header fields
    intro_m = head_m if head_m.strip() else _lines_text(lines[:8], "match")
    intro_d = head_d if head_m.strip() else _lines_text(lines[:8])
    start, end, feedback = header.inspection_dates(intro_m)
    if start is None and feedback is None:
        start, end, feedback = header.inspection_dates(_lines_text(lines[:40], "match"))
    published = (header.published_date([ln.match for ln in tail]) if tail else None) \
        or header.release_date(_lines_text(lines[:10], "match"))
    contacts = header.contacts(tail_m, tail_d) if tail else header.contacts("", "")
    if not (contacts.phones or contacts.emails or contacts.addresses):
        contacts = header.contacts(whole_m[-600:], doc.display_text[-600:])
    disc_ctx = published or feedback or end
    d_start, d_end, d_text = header.disclosure(tail_m or whole_m, tail_d or doc.display_text, disc_ctx)
    if d_start is None and tail:
        d_start, d_end, d_text = header.disclosure(whole_m, doc.display_text, disc_ctx)

    title_m = "".join(ln.match for ln in lines[:6] if ln.disp in title) if title else ""
    candidates = header.institution_candidates(title_m, intro_m, tail_m)
    institution, aliases = header.resolve_institution(candidates, whole_m, list(contacts.addresses))
    if institution:
        pos = whole_m.find(institution)
        if pos >= 0:
            institution = doc.display_text[pos:pos + len(institution)]
    body_src_m = title_m + "\n" + intro_m
    body_src_d = "".join(ln.disp for ln in lines[:6] if ln.disp in title) + "\n" + intro_d
    inspecting = header.inspecting_body(body_src_m) or header.inspecting_body(whole_m[:3000])
    rnd = header.find_round(body_src_m, body_src_d) or header.find_round(whole_m[:3000], doc.display_text[:3000])
    group = header.find_group(intro_m, intro_d) or header.find_group(whole_m[:3000], doc.display_text[:3000])

    # what the notice says about itself
    about = head_lines + preamble + body.intros
    about_m, about_d = _lines_text(about, "match"), _lines_text(about)
    declared = details.declared_counts(about_m)
    declared = _counts_from_status_headings(declared, sections)
    statistics = details.statistics(about_m, about_d)

    # immediate-rectification items
    immediate = []
    imm_secs = [s for s in sections if s.kind == "immediate"]
    for s in imm_secs:
        numbered = [ln.rest_disp.strip() for ln in s.lines if ln.kind]
        immediate += details.immediate_from_section(numbered, _lines_text(s.lines, "match"), _lines_text(s.lines))
    if not imm_secs:
        immediate = details.immediate_from_text(about_m, about_d)

    # categories and issues
    context = feedback or end or start
    categories = [ParsedCategory(number=c.number, title=c.title, order=i) for i, c in enumerate(body.categories)]
    issues = []
    for i, raw in enumerate(body.issues):
        issues.append(_issue(raw, i, context))
    summary = [ln for s in sections if s.kind == "summary" for ln in s.lines]
    if summary and issues:
        issues = _statuses_from_summary(issues, summary)
    if any(x.status == STATUS_NOT_STATED for x in issues):
        said = about + summary + [ln for s in sections if s.kind == "next" for ln in s.lines]
        issues = _statuses_by_number(issues, _lines_text(said, "match"), _lines_text(said))
    next_steps = "\n".join(
        "\n".join(([s.heading.disp] if s.heading else []) + [ln.disp for ln in s.lines]) for s in sections if s.kind == "next"
    )

    # warnings for a reviewer
    if not issues:
        warnings.append(ParseWarning("no_issues_found", "未识别到巡察反馈问题，请人工核对全文"))
    counts = {st: sum(1 for x in issues if x.status == st) for st in (STATUS_COMPLETED, STATUS_IN_PROGRESS)}
    if declared.issues is not None and issues and declared.issues != len(issues):
        warnings.append(ParseWarning("declared_issues_mismatch",
                                     f"通报称共有{declared.issues}个问题，实际列出{len(issues)}个"))
    # only when some categories were found: a notice grouped by status alone lists none to compare
    if declared.categories is not None and categories and declared.categories != len(categories):
        warnings.append(ParseWarning("declared_categories_mismatch",
                                     f"通报称问题分为{declared.categories}个方面，实际列出{len(categories)}个"))
    if declared.completed is not None and issues and declared.completed != counts[STATUS_COMPLETED]:
        warnings.append(ParseWarning("declared_completed_mismatch",
                                     f"通报称{declared.completed}个问题已整改完成，实际标明已完成的有{counts[STATUS_COMPLETED]}个"))
    if declared.in_progress is not None and issues and declared.in_progress != counts[STATUS_IN_PROGRESS]:
        warnings.append(ParseWarning("declared_in_progress_mismatch",
                                     f"通报称{declared.in_progress}个问题正在整改，实际标明正在整改的有{counts[STATUS_IN_PROGRESS]}个"))
    unstated = [x for x in issues if x.status == STATUS_NOT_STATED]
    if unstated:
        names = "、".join(f"{'（' + x.category + '）' if x.category else ''}{x.number}" for x in unstated[:20])
        more = "等" if len(unstated) > 20 else ""
        warnings.append(ParseWarning("status_not_stated",
                                     f"{len(unstated)}个问题未写明整改状态：第{names}{more}项"))
    for text_ in body.unplaced[:10]:
        warnings.append(ParseWarning("unplaced_text", f"未能归入任何问题的文字：「{text_[:60]}{'…' if len(text_) > 60 else ''}」"))
    if body.gaps:
        warnings.append(ParseWarning("issue_numbering_gap", f"问题编号不连续（{'，'.join(body.gaps[:5])}），可能漏识别了问题"))
    for number in body.empty_categories:
        warnings.append(ParseWarning("category_without_issues", f"第{number}方面下没有识别到编号的问题"))
    if institution is None:
        warnings.append(ParseWarning("institution_not_found", "未识别到被巡察单位名称"))
    reasons = [w.message for w in warnings if w.code in _DOUBT_CODES]

    return ParsedNotice(
        parser_version=PARSER_VERSION,
        title=title,
        institution=institution,
        institution_aliases=[a for a in aliases if a != institution],
        inspecting_body=inspecting,
        round=rnd,
        inspection_group=group,
        inspection_start=start,
        inspection_end=end,
        feedback_date=feedback,
        published_date=published,
        disclosure_start=d_start,
        disclosure_end=d_end,
        disclosure_text=d_text,
        contacts=contacts,
        declared=declared,
        statistics=statistics,
        categories=categories,
        issues=issues,
        immediate_items=immediate,
        next_steps=next_steps,
        is_rectification_notice=True,
        warnings=warnings,
        confidence=CONFIDENCE_LOW if reasons else CONFIDENCE_HIGH,
        review_reasons=reasons,
    )


# Warnings that mean the issues themselves may be wrong (not just a missing header field).
_DOUBT_CODES = {"no_issues_found", "declared_issues_mismatch", "declared_categories_mismatch",
                "declared_completed_mismatch", "declared_in_progress_mismatch", "unplaced_text",
                "issue_numbering_gap", "category_without_issues", "institution_not_found"}
