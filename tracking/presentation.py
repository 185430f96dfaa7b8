"""Small derived facts about an issue that pages, the API and exports all show the same way.

The three-colour warning (预警) follows how rectification-supervision
platforms colour a problem: red 逾期 with the days overdue, yellow 临期 when
the deadline falls within ``due_soon_days()`` (default 20, due today
included), green 正常 otherwise.  An open problem without a deadline says
so instead of borrowing a colour; a closed one is 已完成 / 已销号.  "Today" is
the local date (Asia/Shanghai), never UTC.
"""
import dataclasses
import datetime as dt

from django.utils import timezone

from .models import RectificationStatus, Verification
from .querysets import due_soon_days

WARNING_STATES = ("overdue", "soon", "ok", "none", "done")
WARNING_CHOICES = [("overdue", "红色·逾期"), ("soon", "黄色·临期"), ("ok", "绿色·正常"), ("none", "未定整改时限"),
                   ("done", "已完成")]
WARNING_NAMES = {"overdue": "逾期", "soon": "临期", "ok": "正常", "none": "未定时限", "done": "已完成"}
# Kept for the API's ``due_state`` and the older ledger column.
DUE_LABELS = {"overdue": "已逾期", "soon": "临期", "ok": "正常", "done": "已完成", "none": "未定时限"}


def is_open(issue) -> bool:
    """The same rule as ``FeedbackIssueQuerySet.open``, for an issue already in memory."""
    if issue.verification == Verification.REOPENED:
        return True
    return issue.verification != Verification.VERIFIED and issue.status != RectificationStatus.COMPLETED


@dataclasses.dataclass(frozen=True)
class IssueWarning:
    state: str
    days_overdue: int = 0
    days_left: int | None = None
    closed_by_staff: bool = False

    @property
    def label(self) -> str:
        if self.state == "overdue":
            return f"逾期{self.days_overdue}天"
        if self.state == "soon":
            return "今日到期" if self.days_left == 0 else f"临期（剩{self.days_left}天）"
        if self.state == "ok":
            return "正常"
        if self.state == "none":
            return "未定整改时限"
        return "已销号" if self.closed_by_staff else "已完成"

    @property
    def colour(self) -> str:
        return {"overdue": "red", "soon": "yellow", "ok": "green"}.get(self.state, "grey")


def warning(issue, today: dt.date | None = None) -> IssueWarning:
    if not is_open(issue):
        return IssueWarning("done", closed_by_staff=issue.verification == Verification.VERIFIED)
    if issue.due_on is None:
        return IssueWarning("none")
    today = today or timezone.localdate()
    left = (issue.due_on - today).days
    if left < 0:
        return IssueWarning("overdue", days_overdue=-left, days_left=left)
    if left <= due_soon_days():
        return IssueWarning("soon", days_left=left)
    return IssueWarning("ok", days_left=left)


def due_state(issue, today: dt.date | None = None) -> str:
    """overdue / soon / ok; done once closed; none without a deadline."""
    return warning(issue, today).state


def current_measures(issue) -> list:
    """The measures the latest notice lists; earlier notices' lists are history, not the current plan.

    Reads the prefetched ``measures``, so it costs no query.
    """
    measures = list(issue.measures.all())
    latest = [m for m in measures if m.notice_id == issue.last_notice_id]
    return latest or measures


def measure_texts(issue) -> list[str]:
    """The hospital's own measures when it wrote them, else the latest notice's."""
    if issue.measures_override.strip():
        return [line.strip() for line in issue.measures_override.splitlines() if line.strip()]
    return [m.text for m in current_measures(issue)]


def unique_actions(actions) -> list:
    """Dated steps once each, in date order: a second notice repeats the first one's timeline.

    The same (kind, date, text) reported by several notices is one step; the
    latest notice's copy is kept.  Undated steps come last.
    """
    seen: dict[tuple, object] = {}
    for action in sorted(actions, key=lambda a: a.notice_id):
        seen[(action.kind, action.date, action.date_text if action.date is None else "", action.text.strip())] = action
    return sorted(seen.values(), key=lambda a: (a.date is None, a.date or dt.date.min, a.order))
