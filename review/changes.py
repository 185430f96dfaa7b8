"""From a reviewer's form to a correction: validated payload, stable target key and a one-line summary.

Everything here reads the notice's current corrected parse; nothing writes.
Refusals are ``ValidationError`` in Chinese, naming what to fix.
"""
from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

from notices.parsing import corrections as pure
from notices.parsing.result import STATUS_NOT_STATED, STATUSES
from rectify_site.input_text import clean_input
from tracking.models import Institution, RectificationStatus

HEADER_LABELS = {
    "title": "标题", "inspecting_body": "巡察主体", "inspection_group": "巡察组", "round": "巡察轮次",
    "inspection_start": "巡察开始", "inspection_end": "巡察结束", "feedback_date": "反馈日期",
    "published_date": "发布日期", "disclosure_start": "公开开始", "disclosure_end": "公开结束",
    "disclosure_text": "公开期限原文", "is_rectification_notice": "是否整改通报",
}
STATUS_LABELS = dict(RectificationStatus.choices)
MAX_TEXT = 20000
_SPACE = re.compile(r"\s+")


def build(kind: str, data: dict, notice, result) -> tuple[str, dict, str]:
    """``(target key, payload, summary)`` for a correction of ``kind`` asked for with form ``data``."""
    builder = _BUILDERS.get(kind)
    if builder is None:
        raise ValidationError("未知的更正类型。")
    return builder({k: (clean_input(v).strip() if isinstance(v, str) else v) for k, v in data.items()}, notice, result)


def issue_label(issue) -> str:
    number = f"{issue.number}. " if issue.number else ""
    return f"{number}{issue.title}"


def _issue_at(result, key: str, what: str = "要更正的问题"):
    index = pure.find_issue(result.issues, key or "")
    if index is None:
        raise ValidationError(f"找不到{what}，请刷新页面后重试。")
    return result.issues[index]


def _in_text(notice, sentence: str, what: str) -> None:
    """Evidence and added text must be the notice's own words, not the reviewer's."""
    if _SPACE.sub("", sentence) not in _SPACE.sub("", notice.raw_text or ""):
        raise ValidationError(f"{what}须是通报原文中的句子（可在左侧原文中选取复制）。")


def _status(data: dict, notice, *, required_evidence: bool) -> dict:
    status = data.get("status") or STATUS_NOT_STATED
    if status not in STATUSES:
        raise ValidationError("整改状态无效。")
    evidence = data.get("status_evidence", "")
    if status != STATUS_NOT_STATED and required_evidence and not evidence:
        raise ValidationError("更改整改状态须附上通报中说明该状态的原句作为依据。")
    if evidence:
        _in_text(notice, evidence, "状态依据")
    return {"status": status, "status_evidence": evidence}


def _category(data: dict, result) -> str | None:
    category = data.get("category") or None
    known = {c.number for c in result.categories} | {i.category for i in result.issues if i.category}
    if category and category not in known:
        raise ValidationError("所选类别不在本通报中。")
    return category


def _number(data: dict) -> str:
    number = data.get("number", "")
    if number and not (number.isdigit() and len(number) <= 4):
        raise ValidationError("序号应为数字，如 3。")
    return number


def _institution(data, notice, result):
    try:
        chosen = Institution.objects.get(pk=int(data.get("institution") or 0))
    except (Institution.DoesNotExist, ValueError):
        raise ValidationError("请选择一个已有的单位。") from None
    if chosen.pk == notice.institution_id:
        raise ValidationError(f"通报已属于「{chosen.name}」。")
    from notices.models import Notice

    taken = Notice.objects.live().filter(sha256=notice.sha256, institution=chosen).exclude(pk=notice.pk).first()
    if taken is not None:
        raise ValidationError(f"「{chosen.name}」已上传同一文件（通报 #{taken.pk}），请直接驳回本通报。")
    old = notice.institution.name if notice.institution_id else "未确定"
    payload = {"institution_id": chosen.pk, "name": chosen.name, "previous_institution_id": notice.institution_id}
    return "", payload, f"单位：{old} → {chosen.name}"


def _header(data, notice, result):
    payload, parts = {}, []
    for name in pure.HEADER_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "is_rectification_notice":
            value = value in (True, "1", "true", "on")
            current = result.is_rectification_notice
        elif name in pure.HEADER_DATE_FIELDS:
            try:
                value = dt.date.fromisoformat(value).isoformat() if value else ""
            except ValueError:
                raise ValidationError(f"{HEADER_LABELS[name]}不是有效日期。") from None
            current = getattr(result, name)
            current = current.isoformat() if current else ""
        else:
            value, current = value[:200], getattr(result, name) or ""
        if value != current:
            payload[name] = value
            parts.append(f"{HEADER_LABELS[name]}：{_shown(current)} → {_shown(value)}")
    if not payload:
        raise ValidationError("没有修改任何通报信息。")
    start, end = (payload.get(k, getattr(result, k)) for k in ("disclosure_start", "disclosure_end"))
    if start and end and str(end) < str(start):
        raise ValidationError("公开结束日期不能早于开始日期。")
    return "", payload, "；".join(parts)


def _shown(value) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    return str(value) if value else "空"


def _issue(data, notice, result):
    issue = _issue_at(result, data.get("target"))
    wanted = {"number": _number(data) if "number" in data else issue.number,
              "title": data.get("title", issue.title)[:500] or issue.title,
              "category": _category(data, result) if "category" in data else issue.category}
    if "status" in data:
        changed_status = (data.get("status") or STATUS_NOT_STATED) != issue.status
        wanted |= _status(data, notice, required_evidence=changed_status) if (
            changed_status or data.get("status_evidence", "") != issue.status_evidence) else {}
    payload = {name: value for name, value in wanted.items() if value != getattr(issue, name)}
    if not payload:
        raise ValidationError("没有修改该问题的任何内容。")
    labels = {"number": "序号", "title": "标题", "category": "类别", "status": "整改状态", "status_evidence": "状态依据"}
    parts = []
    for name, value in payload.items():
        old = getattr(issue, name)
        if name == "status":
            old, value = STATUS_LABELS[old], STATUS_LABELS[value]
        parts.append(f"{labels[name]}：{_shown(old)} → {_shown(value)}")
    return pure.issue_key(issue), payload, f"问题「{issue_label(issue)}」{'；'.join(parts)}"


def _not_issue(data, notice, result):
    issue = _issue_at(result, data.get("target"))
    return pure.issue_key(issue), {}, f"「{issue_label(issue)}」不是问题，从解析结果中去掉"


def _add_issue(data, notice, result):
    title, text = data.get("title", "")[:500], data.get("text", "")[:MAX_TEXT]
    if not title or not text:
        raise ValidationError("请填写问题标题，并在左侧原文中选取该问题的原文。")
    _in_text(notice, text, "问题原文")
    payload = {"category": _category(data, result), "number": _number(data), "title": title, "text": text,
               **_status(data, notice, required_evidence=True)}
    label = f"{payload['number']}. {title}" if payload["number"] else title
    return "", payload, f"补充遗漏问题「{label}」（{STATUS_LABELS[payload['status']]}）"


def _merge(data, notice, result):
    first = _issue_at(result, data.get("target"))
    second = _issue_at(result, data.get("other"), "要并入的问题")
    if first is second:
        raise ValidationError("请选择另一个问题合并。")
    return (pure.issue_key(first), {"other": pure.issue_key(second)},
            f"将「{issue_label(second)}」并入「{issue_label(first)}」")


def _split(data, notice, result):
    issue = _issue_at(result, data.get("target"))
    at, title = data.get("at", ""), data.get("title", "")[:500]
    if not title:
        raise ValidationError("请填写拆出问题的标题。")
    position = issue.text.find(at) if at else -1
    if position <= 0:
        raise ValidationError("拆分位置须是该问题原文中间的一段文字（从这段文字起属于新问题）。")
    payload = {"at": at[:200], "number": _number(data), "title": title}
    label = f"{payload['number']}. {title}" if payload["number"] else title
    return pure.issue_key(issue), payload, f"从「{issue_label(issue)}」拆出「{label}」"


_BUILDERS = {pure.INSTITUTION: _institution, pure.HEADER: _header, pure.ISSUE: _issue, pure.NOT_ISSUE: _not_issue,
             pure.ADD_ISSUE: _add_issue, pure.MERGE: _merge, pure.SPLIT: _split}
