"""挂图作战: completion over time, ranking, regions, inspecting bodies and themes, for the dashboard.

Every figure covers each hospital's latest inspection, as the overview does,
and only what the tracking tables hold: accepted notices' statements and
staff's sign-offs.  An issue counts as closed on a day when, by then, staff
had verified it (and not reopened it since) or the latest notice published
by then claimed it completed — the same rule as ``OPEN_ISSUE``, replayed
over the status history.  A claimed change is dated by its notice's
publication date (the day the hospital said it), a verification by when
staff made it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from . import counters, selectors
from .models import RectificationStatus, StatusChange, Verification
from .querysets import OPEN_ISSUE

MONTHS = 12
CACHE_SECONDS = 600


def month_ends(today: dt.date, n: int = MONTHS) -> list[dt.date]:
    ends, year, month = [], today.year, today.month
    for _ in range(n):
        first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
        ends.append(min(first_next - dt.timedelta(days=1), today))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(ends))


@dataclasses.dataclass
class Series:
    label: str
    points: list[tuple[dt.date, int, int]]  # (day, closed, total)

    @property
    def rates(self) -> list[float | None]:
        return [round(closed * 100 / total, 1) if total else None for _, closed, total in self.points]


def _closed_on(history: list[tuple[dt.date, str, str]], day: dt.date) -> bool:
    claimed, verified = "", Verification.UNVERIFIED
    for when, kind, value in history:
        if when > day:
            break
        if kind == StatusChange.Kind.CLAIMED:
            claimed = value
        else:
            verified = value
    if verified == Verification.REOPENED:
        return False
    return verified == Verification.VERIFIED or claimed == RectificationStatus.COMPLETED


def completion_series(issues, *, group_by_institution: set[int] | None = None,
                      today: dt.date | None = None) -> tuple[Series, dict[int, Series]]:
    """Month-end completion of ``issues`` overall, and per institution for those in ``group_by_institution``."""
    today = today or timezone.localdate()
    ends = month_ends(today)
    rows = (StatusChange.objects.filter(issue__in=issues)
            .values_list("issue_id", "issue__inspection__institution_id", "kind", "new_value", "changed_at",
                         "notice__published_on")
            .order_by("issue_id", "changed_at", "id"))
    history: dict[int, list] = defaultdict(list)
    owner: dict[int, int] = {}
    for issue_id, institution_id, kind, value, changed_at, published_on in rows.iterator(chunk_size=5000):
        when = published_on if kind == StatusChange.Kind.CLAIMED and published_on else timezone.localdate(changed_at)
        history[issue_id].append((when, kind, value))
        owner[issue_id] = institution_id
    totals = defaultdict(lambda: [[0, 0] for _ in ends])
    for issue_id, events in history.items():
        events.sort(key=lambda e: e[0])
        first = events[0][0]
        keys = ["all"] + ([owner[issue_id]] if group_by_institution and owner[issue_id] in group_by_institution else [])
        for index, day in enumerate(ends):
            if first > day:
                continue
            closed = _closed_on(events, day)
            for key in keys:
                totals[key][index][1] += 1
                totals[key][index][0] += closed
    overall = Series("全部单位", [(day, *totals["all"][i]) for i, day in enumerate(ends)])
    per = {key: Series(str(key), [(day, *totals[key][i]) for i, day in enumerate(ends)])
           for key in totals if key != "all"}
    return overall, per


def _grouped(issues, field: str, today: dt.date) -> list[dict]:
    rows = (issues.order_by().values(field)
            .annotate(total=Count("pk"), open=Count("pk", filter=OPEN_ISSUE),
                      overdue=Count("pk", filter=OPEN_ISSUE & Q(due_on__lt=today))))
    result = []
    for row in rows:
        closed = row["total"] - row["open"]
        result.append({"label": row[field] or "未注明", "total": row["total"], "closed": closed,
                       "open": row["open"], "overdue": row["overdue"],
                       "rate": round(closed * 100 / row["total"], 1) if row["total"] else 0.0})
    return sorted(result, key=lambda r: (-r["rate"], -r["total"], r["label"]))


def ranking(institutions, today: dt.date) -> list:
    """Every visible hospital with a latest inspection, best completion rate first."""
    rows = [row for row in selectors.with_progress(institutions, today=today) if row.n_issues]
    for row in rows:
        row.n_closed = row.n_issues - row.n_open
        row.rate = round(row.n_closed * 100 / row.n_issues, 1)
    return sorted(rows, key=lambda r: (-r.rate, r.n_overdue, r.name_pinyin))


def dashboard_figures(institutions, *, scope: str, today: dt.date | None = None) -> dict:
    """Everything the dashboard draws, cached under the version the services bump with every counted
    change (tracking.counters), so no request counts the issue table to know it is fresh."""
    today = today or timezone.localdate()
    key = f"dashboard:{scope}:{today}:{counters.version()}"
    figures = cache.get(key)
    if figures is None:
        issues = selectors.latest_inspection_issues(institutions)
        ranked = ranking(institutions, today)
        top_ids = {row.pk for row in ranked[:10]}
        overall, per = completion_series(issues, group_by_institution=top_ids, today=today)
        figures = {
            "ranking": ranked,
            "overall": overall,
            "per_institution": [(row, per.get(row.pk)) for row in ranked[:10]],
            "regions": _grouped(issues, "inspection__institution__region", today),
            "bodies": _grouped(issues, "inspection__inspecting_body", today),
            "themes": selectors.theme_breakdown(issues),
            "status": selectors.status_breakdown(issues),
        }
        cache.set(key, figures, CACHE_SECONDS)
    return figures
