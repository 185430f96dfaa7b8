"""Small derived facts about an issue that pages, the API and exports all show the same way."""
import datetime as dt

from django.utils import timezone

from .models import RectificationStatus, Verification
from .querysets import DUE_SOON_DAYS

DUE_LABELS = {"overdue": "已逾期", "soon": f"{DUE_SOON_DAYS}日内到期", "ok": "按期推进", "done": "已完成", "none": "未定时限"}


def is_open(issue) -> bool:
    """The same rule as ``FeedbackIssueQuerySet.open``, for an issue already in memory."""
    if issue.verification == Verification.REOPENED:
        return True
    return issue.verification != Verification.VERIFIED and issue.status != RectificationStatus.COMPLETED


def due_state(issue, today: dt.date | None = None) -> str:
    """overdue / soon / ok as supervision systems colour them; done once closed; none without a deadline."""
    if not is_open(issue):
        return "done"
    if issue.due_on is None:
        return "none"
    today = today or timezone.localdate()
    if issue.due_on < today:
        return "overdue"
    if issue.due_on <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return "soon"
    return "ok"


def current_measures(issue) -> list:
    """The measures the latest notice lists; earlier notices' lists are history, not the current plan.

    Reads the prefetched ``measures``, so it costs no query.
    """
    measures = list(issue.measures.all())
    latest = [m for m in measures if m.notice_id == issue.last_notice_id]
    return latest or measures
