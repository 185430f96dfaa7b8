"""Reads about notices: what the upload list, the detail page and the status JSON show."""
from django.db.models import Count

from tracking.models import IssueStatement, RectificationStatus
from tracking.naming import group_label

from .models import ParseState, ReviewState

# What a clerk reads under the state badge, plainly, for every review state but 已通过.
REVIEW_EXPLAINED = {
    ReviewState.PENDING: "解析完成，等待巡察办工作人员审核；审核通过前不计入任何统计，也不会公开。",
    ReviewState.MISMATCH: "通报中的单位与上传所属单位不一致：该通报暂不计入任何统计，已转巡察办工作人员核对。"
                          "如上传错了文件，请撤回。",
    ReviewState.REJECTED: "工作人员已驳回该通报，不计入任何统计；文件已释放，可由正确的单位重新上传。",
    ReviewState.NOT_NOTICE: "该文件未识别为巡察整改进展通报，不计入任何统计。如确为整改通报，请联系巡察办核对。",
    ReviewState.DUPLICATE: "与已上传的一份通报内容相同，已作为该通报的另一种格式保存，不重复计入。",
}


def notice_summary(notice) -> dict | None:
    """Institution, inspection, issue counts by status, review state and warnings of a parsed notice.

    An accepted notice is counted from its ledger rows; any other from what the
    parser proposed, labelled as not counted.
    """
    if notice.state != ParseState.PARSED:
        return None
    parsed = notice.parse_result or {}
    if notice.is_accepted and notice.inspection_id:
        rows = IssueStatement.objects.filter(notice=notice).values("status").annotate(n=Count("id"))
        by_status = {row["status"]: row["n"] for row in rows}
        inspection = {"id": notice.inspection_id, "name": str(notice.inspection), "proposed": False}
    else:
        by_status = {}
        for issue in parsed.get("issues", []):
            by_status[issue["status"]] = by_status.get(issue["status"], 0) + 1
        inspection = _proposed_inspection(notice, parsed)
    counts = [
        {"status": value, "label": label, "count": by_status.get(value, 0)}
        for value, label in RectificationStatus.choices
    ]
    return {
        "institution": {"id": notice.institution_id, "name": str(notice.institution)} if notice.institution else None,
        "printed_institution": parsed.get("institution") or "",
        "inspection": inspection,
        "issues": sum(by_status.values()),
        "by_status": counts,
        "declared": notice.declared or {},
        "warnings": notice.warnings or [],
        "counted": notice.is_accepted,
        "review_state": notice.review_state,
        "review_label": notice.status_label,
        "review_explained": REVIEW_EXPLAINED.get(notice.review_state, ""),
        "recheck_reasons": notice.recheck_reasons or [],
        "confidence": notice.confidence,
        "confidence_label": notice.get_confidence_display(),
        "review_reasons": notice.review_reasons or [],
    }


def _proposed_inspection(notice, parsed) -> dict | None:
    """「清远市中医院 · 市委第五巡察组 · 2024-03-28反馈」 as the parser read it (not in the ledger yet)."""
    if not parsed.get("is_rectification_notice", True):
        return None
    name = str(notice.institution) if notice.institution else (parsed.get("institution") or "单位未确定")
    when = parsed.get("feedback_date") or "日期未知"
    label = group_label(parsed.get("inspecting_body") or "", parsed.get("inspection_group") or "")
    return {"id": None, "name": f"{name} · {label} · {when}反馈", "proposed": True}
