"""Reads about notices: what the upload list, the detail page and the status JSON show."""
from django.db.models import Count

from tracking.models import IssueStatement, RectificationStatus

from .models import ParseState


def notice_summary(notice) -> dict | None:
    """Institution, inspection, issue counts by status and warnings of a parsed notice."""
    if notice.state != ParseState.PARSED:
        return None
    if notice.inspection_id:
        rows = IssueStatement.objects.filter(notice=notice).values("status").annotate(n=Count("id"))
        by_status = {row["status"]: row["n"] for row in rows}
    else:  # not written to the ledger (no institution / not a notice): count what the parser found
        by_status = {}
        for issue in (notice.parse_result or {}).get("issues", []):
            by_status[issue["status"]] = by_status.get(issue["status"], 0) + 1
    counts = [
        {"status": value, "label": label, "count": by_status.get(value, 0)}
        for value, label in RectificationStatus.choices
    ]
    return {
        "institution": {"id": notice.institution_id, "name": str(notice.institution)} if notice.institution else None,
        "inspection": {"id": notice.inspection_id, "name": str(notice.inspection)} if notice.inspection else None,
        "issues": sum(by_status.values()),
        "by_status": counts,
        "declared": notice.declared or {},
        "warnings": notice.warnings or [],
    }
