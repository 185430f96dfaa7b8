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
    STATUS_LONG_TERM,
    STATUS_NOT_STATED,
    DeclaredCounts,
    IssueSection,
    OutlineEntry,
    ParsedCategory,
    ParsedIssue,
    ParsedNotice,
    ParseWarning,
)
from . import details, header
from .classify import Classified, classify, title_of
from .issues import build_issue, group_statuses, lines_text, statuses_by_number, statuses_from_summary
from .lines import Line, closing_start, make_lines
from .normalize import Document, ends_terminal, normalize
from .numerals import to_int
from .outline import Node, build_outline
from .wording import NEXT_TITLE_RE, part_of_notice

__all__ = ["PARSER_VERSION", "parse_text"]

PARSER_VERSION = "2026.12.02-4"

logger = logging.getLogger(__name__)

_NOTICE_RE = re.compile(r"巡[察视]")
_TITLE_STOP_RE = re.compile(r"^(?:根据|按照|依据|为|近日|今年|[12]\d{3}年|\d{1,2}月)")
_DOC_NUMBER_RE = re.compile(r"[〔\[(【]\s*(?:19|20)\d{2}\s*[〕\])】]\s*\d{1,4}\s*号$")


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



# A saved web page's furniture above the title: breadcrumbs, font size, source, date, counters.
_CHROME_RE = re.compile(
    r"^(?:当前位置|您的位置|您现在的位置|首页|主页|字体|字号|【字号|【打印|【关闭|发布时间|发布日期|成文日期|信息来源|来源|"
    r"浏览|访问量|点击|分享|朗读|打印|关闭窗口|日期|时间|信息索引号|索引号|文件名称|发布机构|公开方式|主题分类|文号|"
    r"公开范围|有效性|体裁分类|标题|成文时间|发文时间|发文机关|效力状态|生成日期|公开日期|所属机构)|>|»|浏览次数|访问量|信息来源"
    r"|^[\u4e00-\u9fff]{2,8}\s*:\s*$|^[\d/\-.\s]{6,}$"  # a metadata label alone, an index number
)


_BULLET_RE = re.compile(r"^[\s•·●▪◆■□\-*]+")


def _chrome(match: str) -> bool:
    """A line of web furniture: 「 • 索 引 号:…」 counts as 「索引号:…」."""
    return bool(_CHROME_RE.search(re.sub(r"\s+", "", _BULLET_RE.sub("", match))))


def _title(lines: list[Line]) -> str:
    parts = []
    start = 0
    while start < min(len(lines), 16) and _chrome(lines[start].match) and not lines[start].kind:
        start += 1
    for ln in lines[start:start + 6]:
        if ln.kind or ends_terminal(ln.match) or _TITLE_STOP_RE.match(ln.match) or len(ln.match) > 60:
            break
        if parts and _chrome(ln.match):
            break
        if not _DOC_NUMBER_RE.search(ln.match):
            parts.append(ln)
    shown = [ln for ln in parts if not ln.match.endswith("文件")] or parts
    return "".join(ln.disp for ln in shown)


_TITLE_LIKE_RE = re.compile(r"(?:通报|公告|公示|报告|通知)$|关于")


def _part_of(ln: Line, at_top: bool) -> str | None:
    """The part of the notice an unnumbered short title (or a marker that fits no sequence) opens."""
    text = (ln.rest if ln.kind else ln.match).strip()
    if len(text) > 30 or re.search(r"[。;；]", text.rstrip("。")) or ":" in text or _TITLE_LIKE_RE.search(text):
        return None
    if not ln.kind and (re.search(r"[,，、]", text) or ends_terminal(text)):
        return None  # a sentence, or a piece of one cut by the line width
    got = part_of_notice(text, after_issues=True)
    if not got:
        return None
    kind = got[0]
    if kind == "next" and not NEXT_TITLE_RE.match(text.rstrip("。:：")):
        return None  # 「持续巩固整改成果」 alone is a measure, not the next-steps part
    if kind in ("org", "problems") and not at_top:
        return None
    return kind


_PAGED_RE = re.compile(r"共\s*(\d{1,3})\s*页[^\n]{0,40}(?:下一页|尾页)")
_HEADING_COUNT_RE = re.compile(r"[(（]\s*(?:共|共计)?\s*(\d{1,4}|[一二两三四五六七八九十百]{1,5})\s*(?:个|项|条)(?:问题)?\s*[)）]")


def _counts_from_status_headings(declared: DeclaredCounts, root: Node) -> DeclaredCounts:
    """「一、已整改的问题（32个）」 declares how many are completed when no sentence says so."""
    found: dict[str, int] = {}
    for node in root.walk():
        if node.line is None or not (node.role == "status_group" or (node.style == "T" and node.part == "status")):
            continue
        text = node.line.rest if node.style != "T" else node.line.match
        m = _HEADING_COUNT_RE.search(text)
        status = details.status_of_section_title(text.strip())
        if m and status and status not in found:
            found[status] = to_int(m.group(1))
    return dataclasses.replace(
        declared,
        completed=declared.completed if declared.completed is not None else found.get(STATUS_COMPLETED),
        in_progress=declared.in_progress if declared.in_progress is not None else found.get(STATUS_IN_PROGRESS),
    )


_ALL_DONE_RE = re.compile(r"(?:全部|均已|均|已全部|全部已)(?:完成整改|整改完成|整改到位|整改完毕|完成)")


def _all_said_done(issues, declared: DeclaredCounts, about: list[Line]):
    """「反馈的12个问题已全部完成整改」 with no issue stating its own status: all completed,
    when the count said to be done is the count listed (so the sentence is about these issues)."""
    if declared.completed != len(issues) or declared.issues not in (None, len(issues)) or declared.in_progress:
        return issues
    for ln in about:
        for sent in re.split(r"[。;]", ln.match):
            if _ALL_DONE_RE.search(sent) and "问题" in sent:
                pos = ln.match.find(sent)
                shown = ln.disp[pos:pos + len(sent)].strip()
                return [dataclasses.replace(x, status=STATUS_COMPLETED, status_evidence=shown) for x in issues]
    return issues


def _lines_of(nodes: list[Node], lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    for node in nodes:
        out += lines[node.start:node.end]
    return out


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
    root = build_outline(lines, stop, _part_of)
    found = classify(root, lines)
    warnings: list[ParseWarning] = []

    first = root.children[0].start if root.children else stop
    head_lines = lines[:first]
    tail = lines[stop:]
    tail_m, tail_d = lines_text(tail, "match"), lines_text(tail)
    org = _lines_of(found.parts["org"] + found.parts["other"], lines)

    # header fields
    head_m, head_d = lines_text(head_lines, "match"), lines_text(head_lines)
    intro_m = head_m if head_m.strip() else lines_text(lines[:8], "match")
    intro_d = head_d if head_m.strip() else lines_text(lines[:8])
    start, end, feedback = header.inspection_dates(intro_m)
    if start is None and feedback is None:
        start, end, feedback = header.inspection_dates(lines_text(lines[:40], "match"))
    published = (header.published_date([ln.match for ln in tail]) if tail else None) \
        or header.release_date(lines_text(lines[:10], "match"))
    contacts = header.contacts(tail_m, tail_d) if tail else header.contacts("", "")
    if not (contacts.phones or contacts.emails or contacts.addresses):
        contacts = header.contacts(whole_m[-600:], doc.display_text[-600:])
    disc_ctx = published or feedback or end
    d_start, d_end, d_text = header.disclosure(tail_m or whole_m[-600:], tail_d or doc.display_text[-600:], disc_ctx)
    if d_start is None:
        d_start, d_end, d_text = header.disclosure(whole_m, doc.display_text, disc_ctx, invitation=False)

    title_m = "".join(ln.match for ln in lines[:14] if ln.disp and ln.disp in title) if title else ""
    candidates = header.institution_candidates(title_m, intro_m, tail_m)
    institution, aliases = header.resolve_institution(candidates, whole_m, list(contacts.addresses))
    if institution:
        pos = whole_m.find(institution)
        if pos >= 0:
            institution = doc.display_text[pos:pos + len(institution)]
    body_src_m = title_m + "\n" + intro_m
    body_src_d = "".join(ln.disp for ln in lines[:14] if ln.disp and ln.disp in title) + "\n" + intro_d
    inspecting = header.inspecting_body(body_src_m, body_src_d) or header.inspecting_body(whole_m[:3000], doc.display_text[:3000])
    rnd = header.find_round(body_src_m, body_src_d) or header.find_round(whole_m[:3000], doc.display_text[:3000])
    group = header.find_group(intro_m, intro_d) or header.find_group(whole_m[:3000], doc.display_text[:3000])

    # what the notice says about itself
    about = head_lines + org + found.intros
    about_m, about_d = lines_text(about, "match"), lines_text(about)
    # a summary table's 合计 row may be the only place the counts are given
    # (and the next steps: 「对已完成整改的6个问题巩固成效」), read last
    later_m = lines_text(_lines_of(found.parts["summary"] + found.parts["next"], lines), "match")
    declared = details.declared_counts(about_m + "\n" + later_m)
    declared = _counts_from_status_headings(declared, root)
    statistics = details.statistics(about_m, about_d)

    # immediate-rectification items
    immediate = []
    for node in found.parts["immediate"]:
        sub = lines[node.start + 1:node.end]
        numbered = [ln.rest_disp.strip() for ln in sub if ln.kind and ln.kind != "Y"]
        immediate += details.immediate_from_section(numbered, lines_text(sub, "match"), lines_text(sub))
    if not found.parts["immediate"]:
        immediate = details.immediate_from_text(about_m, about_d)

    # categories and issues; a category printed again under a second status group is the same category
    context = feedback or end or start
    categories: list[ParsedCategory] = []
    numeral_of: dict[int, str] = {}
    by_title: dict[str, str] = {}
    for node in found.categories:
        numeral = node.line.num_text if node.style != "T" else str(len(categories) + 1)
        shown = node.line.rest_disp.strip().rstrip("。:：")
        key = re.sub(r"\s+", "", node.line.rest).rstrip("。:")
        if key not in by_title:
            if any(c.number == numeral for c in categories):
                numeral = str(len(categories) + 1) if not numeral.isdigit() else numeral
            by_title[key] = numeral
            categories.append(ParsedCategory(number=numeral, title=shown, order=len(categories)))
        numeral_of[id(node)] = by_title[key]
    written = published or d_start or feedback  # 今年 / 明年 and 'still ahead' count from the notice's own date
    groups = group_statuses(root)
    issues = []
    for i, node in enumerate(found.issues):
        cat = found.category_of.get(id(node))
        number = str(node.num) if node.style != "T" else str(i + 1)
        issues.append(build_issue(node, lines, i, number, numeral_of.get(id(cat)) if cat is not None else None,
                                  context, written, groups.get(id(node))))
    summary = _lines_of(found.parts["summary"], lines)
    if summary and issues:
        issues = statuses_from_summary(issues, summary)
    nexts = found.parts["next"]
    if any(x.status == STATUS_NOT_STATED for x in issues):
        said = about + summary + _lines_of(nexts, lines)
        issues = statuses_by_number(issues, lines_text(said, "match"), lines_text(said))
    next_steps = "\n".join(lines_text(lines[n.start:n.end]) for n in nexts)
    if issues and all(x.status == STATUS_NOT_STATED for x in issues):
        issues = _all_said_done(issues, declared, about)

    warnings = _warnings(found, issues, categories, declared, institution)
    paged = _PAGED_RE.search(text)
    if paged and int(paged.group(1)) > 1:
        warnings.append(ParseWarning("paged_web_page", f"原网页显示共{paged.group(1)}页，此处可能只有其中一页，内容不完整"))
    reasons = found.doubts + [w.message for w in warnings if w.code in _DOUBT_CODES]

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
        review_reasons=list(dict.fromkeys(reasons)),
        outline=_outline(root),
    )



def _outline(root: Node) -> list[OutlineEntry]:
    """Every heading with the role the classifier gave it (「一是」 items only inside problems are left out)."""
    out = []
    for node in root.walk():
        if node.line is None or (node.style == "Y" and node.role in ("measure", "org_work", "next_steps", "")):
            continue
        role = node.role or ("status_group" if node.part == "status" else "text")
        reason = node.reason or {"measure": "问题下的措施或分项", "sub_problem": "问题下的具体表现",
                                 "org_work": "属于整改工作组织情况", "next_steps": "属于下一步打算"}.get(role, "")
        out.append(OutlineEntry(line=node.start + 1, depth=node.depth, text=node.line.disp[:80], role=role, reason=reason))
        if len(out) >= 5000:
            break
    return out


def _warnings(found: Classified, issues, categories, declared, institution) -> list[ParseWarning]:
    warnings: list[ParseWarning] = []
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
    # 「已完成整改10项（其中1项需长期坚持）」: a declared figure may count the long-term ones as done
    long_term = sum(1 for x in issues if x.status == STATUS_LONG_TERM)
    if declared.completed is not None and issues and declared.completed not in (
            counts[STATUS_COMPLETED], counts[STATUS_COMPLETED] + long_term):
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
    for ln in found.unplaced[:10]:
        shown = ln.disp
        warnings.append(ParseWarning("unplaced_text",
                                     f"第{ln.idx + 1}行起的文字未能归入任何问题：「{shown[:60]}{'…' if len(shown) > 60 else ''}」"))
    if found.gaps:
        warnings.append(ParseWarning("issue_numbering_gap", f"问题编号不连续（{'，'.join(found.gaps[:5])}），可能漏识别了问题"))
    for node in found.empty_categories:
        warnings.append(ParseWarning("category_without_issues", f"第{node.line.num_text}方面下没有识别到编号的问题"))
    if institution is None:
        warnings.append(ParseWarning("institution_not_found", "未识别到被巡察单位名称"))
    return warnings


# Warnings that mean the issues themselves may be wrong (not just a missing header field).
_DOUBT_CODES = {"no_issues_found", "declared_issues_mismatch", "declared_categories_mismatch",
                "declared_completed_mismatch", "declared_in_progress_mismatch", "unplaced_text",
                "issue_numbering_gap", "category_without_issues", "institution_not_found", "paged_web_page"}
