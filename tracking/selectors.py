"""Reads for the review pages and the API, each a fixed number of queries.

``with_progress`` hangs everything the overview shows off one Institution
queryset: the counters kept on its latest inspection (``tracking.counters``)
by a join, the date-dependent ones as correlated subqueries on that one
inspection, so a page of hospitals costs one query however many issues
there are; the province-wide figures are cached under the counters' version.  The institution page loads an inspection and everything under it
with ``prefetch_related``: a constant number of queries per page.
"""
import datetime as dt
import logging

from django.core.cache import cache
from django.db.models import Count, F, IntegerField, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from notices.models import Notice
from review.models import Correction

from . import counters, themes
from .models import FeedbackIssue, Inspection, IssueStatement, RectificationStatus, StatusChange, Verification
from .naming import pinyin_sort_key
from .querysets import OPEN_ISSUE as _OPEN
from .querysets import due_soon_days

logger = logging.getLogger(__name__)


def _issue_count(condition: Q) -> Coalesce:
    rows = (
        FeedbackIssue.objects.filter(condition, inspection=OuterRef("latest_inspection_id"))
        .order_by()
        .values("inspection")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_progress(institutions, *, theme: str | None = None, today: dt.date | None = None):
    """Annotate each institution with its latest inspection and that inspection's issue counts.

    The counts come from the counters kept on the latest inspection
    (``tracking.counters``): a join, whatever the size of the issue table.
    Only 逾期 and 临期, which move with the calendar, are counted from the
    issues, per row (the row's latest inspection, along its index).  With
    ``theme`` every count covers only the issues of that theme, so
    「医保 & 未完成」 reads straight off the counts; those are counted per row.
    """
    today = today or timezone.localdate()
    soon_until = today + dt.timedelta(days=due_soon_days())
    scope = themes.theme_q(theme) if theme else Q()
    dated = {
        "n_overdue": _OPEN & Q(due_on__lt=today),
        "n_due_soon": _OPEN & Q(due_on__gte=today, due_on__lte=soon_until),
    }
    if theme:
        counted = {name: _issue_count(scope & condition) for name, condition in _THEME_SCOPED.items()}
    else:
        counted = {name: Coalesce(F(f"latest_inspection__{name}"), Value(0)) for name in _THEME_SCOPED}
    return institutions.annotate(
        latest_inspecting_body=F("latest_inspection__inspecting_body"),
        latest_round=F("latest_inspection__round"),
        latest_group=F("latest_inspection__group"),
        latest_feedback_on=F("latest_inspection__feedback_on"),
        **counted,
        **{name: _issue_count(scope & condition) for name, condition in dated.items()},
    )


# What the counters hold, as the conditions a theme-scoped count applies (``querysets.OPEN_ISSUE`` for open).
_THEME_SCOPED = {
    "n_issues": Q(),
    "n_completed": Q(status=RectificationStatus.COMPLETED),
    "n_in_progress": Q(status=RectificationStatus.IN_PROGRESS),
    "n_long_term": Q(status=RectificationStatus.LONG_TERM),
    "n_not_stated": Q(status=RectificationStatus.NOT_STATED),
    "n_verified": Q(verification=Verification.VERIFIED),
    "n_reopened": Q(verification=Verification.REOPENED),
    "n_open": _OPEN,
}


def attach_notice_warnings(rows) -> None:
    """Set ``n_warnings`` (parser warnings on the latest inspection's notices) on a page of rows: one query."""
    ids = [row.latest_inspection_id for row in rows if row.latest_inspection_id]
    warnings: dict[int, int] = {}
    for inspection_id, items in Notice.objects.accepted().filter(inspection_id__in=ids).values_list(
        "inspection_id", "warnings"
    ):
        warnings[inspection_id] = warnings.get(inspection_id, 0) + len(items or [])
    for row in rows:
        row.n_warnings = warnings.get(row.latest_inspection_id, 0)


def attach_warning_counts(rows, *, theme: str | None = None, today: dt.date | None = None) -> None:
    """Set the green / no-deadline / 待核查 counts on a page of overview rows: one grouped query.

    Red and yellow are annotations (the overview filters and sorts by them);
    these are only shown, so they are counted for the page alone.
    """
    today = today or timezone.localdate()
    soon_until = today + dt.timedelta(days=due_soon_days())
    ids = [row.latest_inspection_id for row in rows if row.latest_inspection_id]
    issues = FeedbackIssue.objects.filter(inspection_id__in=ids)
    if theme:
        issues = issues.filter(themes.theme_q(theme))
    counts = {
        row["inspection_id"]: row
        for row in issues.order_by().values("inspection_id").annotate(
            on_track=Count("pk", filter=_OPEN & Q(due_on__gt=soon_until)),
            no_deadline=Count("pk", filter=_OPEN & Q(due_on__isnull=True)),
            pending=Count("pk", filter=Q(signoff="pending")),
        )
    }
    for row in rows:
        found = counts.get(row.latest_inspection_id, {})
        row.n_on_track, row.n_no_deadline, row.n_pending = (
            found.get(key, 0) for key in ("on_track", "no_deadline", "pending"))


def status_breakdown(issues) -> dict[str, int]:
    """Counts by claimed status plus verified/open/overdue, in one aggregate query."""
    today = timezone.localdate()
    aggregates = {value: Count("pk", filter=Q(status=value)) for value in RectificationStatus.values}
    aggregates.update(
        total=Count("pk"),
        verified=Count("pk", filter=Q(verification=Verification.VERIFIED)),
        open=Count("pk", filter=_OPEN),
        overdue=Count("pk", filter=_OPEN & Q(due_on__lt=today)),
    )
    return issues.aggregate(**aggregates)


def theme_breakdown(issues) -> list[dict]:
    """Per theme: how many issues match and how many of them are open, in one aggregate query."""
    return _theme_rows(_theme_totals(issues))


def _theme_totals(issues) -> dict[str, int]:
    aggregates = {}
    for theme in themes.THEMES:
        match = themes.theme_q(theme.key)
        aggregates[f"{theme.key}__all"] = Count("pk", filter=match)
        aggregates[f"{theme.key}__open"] = Count("pk", filter=match & _OPEN)
    return issues.aggregate(**aggregates)


CHARTS_CACHE_SECONDS = 600


def cached(key: str, compute, timeout: int = CHARTS_CACHE_SECONDS):
    """``compute()`` through the cache; an unavailable cache is a miss, never an error of the page."""
    try:
        value = cache.get(key)
    except Exception:  # the cache is an optimisation: a page must not fail with it
        logger.warning("cache unavailable; computing %s", key.split(":")[0], exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout)
        except Exception:
            logger.warning("cache unavailable; not storing %s", key.split(":")[0], exc_info=True)
    return value


def overview_charts(institutions, *, version: str) -> tuple[dict, list[dict]]:
    """The status and theme breakdowns of every latest inspection, recomputed only when issues change.

    Summed from the latest inspections' counters (one row per institution,
    never the issue table, except the date-dependent 逾期 total) and cached
    under ``version`` (``overview_version``: who looks, today — overdue moves
    with it — and the counters' version, which every write that changes an
    issue bumps in its transaction).
    """
    today = timezone.localdate()
    status, theme_totals = cached(f"overview-charts:{version}", lambda: _chart_figures(institutions, today))
    return status, _theme_rows(theme_totals)


_SUMMED = ("n_issues", *(f"n_{value}" for value in RectificationStatus.values), "n_verified", "n_open")


def _chart_figures(institutions, today: dt.date) -> tuple[dict, dict]:
    latest = Inspection.objects.filter(pk__in=institutions.filter(latest_inspection__isnull=False)
                                       .values("latest_inspection_id"))
    totals = dict.fromkeys(_SUMMED, 0)
    theme_totals = {f"{theme.key}__{part}": 0 for theme in themes.THEMES for part in ("all", "open")}
    # One pass over one row per institution (summed here rather than by SUM + a second pass for the JSON).
    for *numbers, by_theme in latest.values_list(*_SUMMED, "theme_counts").order_by().iterator(chunk_size=5000):
        for name, number in zip(_SUMMED, numbers):
            totals[name] += number
        for key, (total, still_open) in (by_theme or {}).items():
            if f"{key}__all" in theme_totals:
                theme_totals[f"{key}__all"] += total
                theme_totals[f"{key}__open"] += still_open
    status = {value: totals[f"n_{value}"] for value in RectificationStatus.values}
    status.update(total=totals["n_issues"], verified=totals["n_verified"], open=totals["n_open"],
                  overdue=FeedbackIssue.objects.filter(inspection__in=latest).overdue(today).count())
    return status, theme_totals


def overview_version(visible_institutions, *, scope: str) -> str:
    """The key of everything cached on the overview: who looks, today, the counters' version, the institutions.

    Issues and inspections change only through the services (which bump the
    version); institutions are also made outside them (admin, fixtures), so
    the newest institution id is part of the key as well (one read of the
    primary key index, not a count).  An admin edit of a name or region shows
    when the cache entry expires.
    """
    last = visible_institutions.order_by().aggregate(last=Max("pk"))["last"]
    return f"{scope}:{timezone.localdate()}:{counters.version()}:{last}"


def filter_choices(visible_institutions, visible_inspections, *, version: str) -> dict[str, list[str]]:
    """The overview's region, inspecting-body and round lists: distinct values, cached under ``version``."""
    def compute():
        return {
            "regions": sorted(_distinct(visible_institutions, "region"), key=pinyin_sort_key),
            "bodies": _distinct(visible_inspections, "inspecting_body"),
            "rounds": _distinct(visible_inspections, "round"),
        }
    return cached(f"overview-choices:{version}", compute)


def _distinct(queryset, field):
    return [v for v in queryset.order_by(field).values_list(field, flat=True).distinct() if v]


def _theme_rows(totals: dict[str, int]) -> list[dict]:
    rows = [
        {"theme": theme, "total": totals[f"{theme.key}__all"], "open": totals[f"{theme.key}__open"]}
        for theme in themes.THEMES
    ]
    return sorted(rows, key=lambda row: (-row["total"], row["theme"].label))


def latest_inspection_issues(institutions):
    """The issues of each institution's latest inspection (what the dashboard charts)."""
    return FeedbackIssue.objects.filter(inspection_id__in=institutions.values("latest_inspection_id"))


def issue_detail_prefetches() -> list:
    """What a page showing issues in full needs, as prefetches: a constant number of queries."""
    return [
        "measures",
        "sections",
        "actions",
        Prefetch("statements", queryset=IssueStatement.objects.select_related("notice").order_by(
            "notice__published_on", "notice__uploaded_at", "pk")),
        Prefetch("status_changes", queryset=StatusChange.objects.select_related("changed_by", "notice")),
        # Staff corrections of the parse that made this issue what it is (review app).
        Prefetch("corrections", queryset=Correction.objects.select_related("created_by", "revoked_by")
                 .order_by("created_at", "id")),
    ]


def institution_inspection_summaries(institution):
    """Every inspection of ``institution``, newest first, with categories, bare issues and notices: four queries."""
    issues = FeedbackIssue.objects.only("pk", "inspection_id", "status")
    # Accepted notices only: one waiting for review (or rejected) is not part of the hospital's record.
    notices = Notice.objects.accepted().defer("raw_text", "parse_result").order_by("published_on", "uploaded_at")
    return (
        Inspection.objects.filter(institution=institution)
        .order_by("-feedback_on", "-id")
        .prefetch_related("categories", Prefetch("issues", queryset=issues), Prefetch("notices", queryset=notices))
    )


def institution_warning_counts(institution, today: dt.date | None = None) -> dict[str, int]:
    """The hospital's open problems by 预警 colour, and its sign-off requests, in one aggregate query."""
    today = today or timezone.localdate()
    soon_until = today + dt.timedelta(days=due_soon_days())
    return FeedbackIssue.objects.filter(inspection__institution=institution).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=_OPEN & Q(due_on__lt=today)),
        soon=Count("pk", filter=_OPEN & Q(due_on__gte=today, due_on__lte=soon_until)),
        ok=Count("pk", filter=_OPEN & Q(due_on__gt=soon_until)),
        none=Count("pk", filter=_OPEN & Q(due_on__isnull=True)),
        done=Count("pk", filter=~_OPEN),
        pending=Count("pk", filter=Q(signoff="pending")),
        returned=Count("pk", filter=Q(signoff="returned")),
    )


def institution_inspections(institution):
    """Every inspection of ``institution``, newest first, with categories, issues and notices loaded."""
    issues = FeedbackIssue.objects.select_related("category", "last_notice", "verified_by").prefetch_related(
        *issue_detail_prefetches()
    )
    # The page never shows a notice's extracted text or full parse; decoding them was a fifth of its time.
    notices = Notice.objects.accepted().defer("raw_text", "parse_result").order_by("published_on", "uploaded_at")
    return (
        Inspection.objects.filter(institution=institution)
        .order_by("-feedback_on", "-id")
        .prefetch_related("categories", Prefetch("issues", queryset=issues), Prefetch("notices", queryset=notices))
    )


def institution_notices_without_inspection(institution):
    return Notice.objects.accepted().filter(institution=institution, inspection__isnull=True)
