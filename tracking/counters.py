"""Progress counters kept on the rows the overview reads, so no page counts the issue table.

Each ``Inspection`` carries its issues' counts (by claimed status, verified,
reopened, open, 待核查, and per theme) and each ``Institution`` points at its
latest inspection.  They are *materialised per inspection*: every write that
can change an issue — a notice entering or leaving the ledger (accept,
re-parse, correction, reject, withdraw; all through ``review.ledger``), a
verification, a progress report or sign-off decision — ends with one call
here, which recounts the few inspections it touched from their issues in
the same transaction.  A recount rather than ``+= 1``: whatever path changed
an issue, the counters equal a fresh ``COUNT`` when the transaction commits.

Every such call also bumps ``ProgressStamp.version``, the key of the cached
province-wide figures and filter lists: a cache entry is never older than
the version it is filed under.  ``recount_all`` (``manage.py
recount_progress``) rebuilds everything, for repair and after bulk loads.

Only accepted notices have ledger rows (issue #12), so counting the rows is
the accepted-only rule; nothing here filters by review state.
"""
from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterable

from django.db import connection
from django.db.models import OuterRef, Subquery

from . import themes
from .models import FeedbackIssue, Inspection, Institution, ProgressStamp, RectificationStatus, SignOff, Verification

COUNTER_FIELDS = ("n_issues", "n_completed", "n_in_progress", "n_long_term", "n_not_stated", "n_verified",
                  "n_reopened", "n_open", "n_pending", "theme_counts")
_BY_STATUS = {
    RectificationStatus.COMPLETED: "n_completed",
    RectificationStatus.IN_PROGRESS: "n_in_progress",
    RectificationStatus.LONG_TERM: "n_long_term",
    RectificationStatus.NOT_STATED: "n_not_stated",
}
_ROW = ("inspection_id", "title", "text", "status", "verification", "signoff")


def is_open(status: str, verification: str) -> bool:
    """``querysets.OPEN_ISSUE`` for one row: reopened, or neither verified nor claimed completed."""
    return verification == Verification.REOPENED or (
        verification != Verification.VERIFIED and status != RectificationStatus.COMPLETED)


def _empty() -> dict:
    return {name: 0 for name in COUNTER_FIELDS[:-1]} | {"theme_counts": {}}


def _add(counts: dict, title: str, text: str, status: str, verification: str, signoff: str) -> None:
    opened = is_open(status, verification)
    counts["n_issues"] += 1
    if status in _BY_STATUS:
        counts[_BY_STATUS[status]] += 1
    counts["n_verified"] += verification == Verification.VERIFIED
    counts["n_reopened"] += verification == Verification.REOPENED
    counts["n_open"] += opened
    counts["n_pending"] += signoff == SignOff.PENDING
    for theme in themes.themes_of(title, text):
        total, still_open = counts["theme_counts"].get(theme.key, (0, 0))
        counts["theme_counts"][theme.key] = [total + 1, still_open + opened]


def inspections_recount(inspection_ids: Iterable[int], *, issue_model=FeedbackIssue,
                        inspection_model=Inspection) -> None:
    """Recount the given inspections from their issues: two round trips whatever their number.

    The models are parameters only so the migration that introduced the
    counters fills them with its historical models through this same code.
    """
    ids = sorted({pk for pk in inspection_ids if pk})
    if not ids:
        return
    counts = {pk: _empty() for pk in ids}
    for inspection_id, *row in issue_model.objects.filter(inspection_id__in=ids).values_list(*_ROW).order_by():
        _add(counts[inspection_id], *row)
    _write(inspection_model, counts)


def _write(inspection_model, counts: dict[int, dict]) -> None:
    """One parameterised UPDATE per inspection, sent as one batch (``executemany``).

    Not ``bulk_update``: its ``CASE WHEN pk = … THEN …`` per field and row
    costs Django more than the count itself (two minutes for 20,000 inspections)
    and PostgreSQL a scan of the CASE per row.  A deleted inspection's UPDATE
    simply touches nothing.
    """
    fields = [inspection_model._meta.get_field(name) for name in COUNTER_FIELDS]
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(inspection_model._meta.db_table)} SET "
           + ", ".join(f"{quote(field.column)} = %s" for field in fields)
           + f" WHERE {quote(inspection_model._meta.pk.column)} = %s")
    params = [[field.get_db_prep_save(values[field.name], connection) for field in fields] + [pk]
              for pk, values in counts.items()]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _latest(institution_ref) -> Subquery:
    # The same choice as the overview always made: newest feedback date, then newest row.
    return Subquery(Inspection.objects.filter(institution=institution_ref).order_by("-feedback_on", "-id")
                    .values("pk")[:1])


def institutions_relink(institution_ids: Iterable[int]) -> None:
    """Point each given institution at its latest inspection (or none): one UPDATE."""
    ids = {pk for pk in institution_ids if pk}
    if ids:
        Institution.objects.filter(pk__in=ids).update(latest_inspection=_latest(OuterRef("pk")))


def bump() -> None:
    """A new version for the cached figures; one UPDATE (the row is made by the migration).

    Random rather than ``+ 1``: a transaction rolled back, or a database
    restored from a backup, returns to an earlier version, and a counter
    would then count up into keys already filed with other figures.  A
    random 62-bit value is never issued twice.
    """
    value = secrets.randbits(62)
    if not ProgressStamp.objects.filter(pk=1).update(version=value):
        ProgressStamp.objects.update_or_create(pk=1, defaults={"version": value})


def version() -> int:
    return ProgressStamp.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def _touched(issue_ids=(), notice=None) -> set[tuple[int, int]]:
    """(inspection id, institution id) of the issues given, or of every issue ``notice`` has rows on."""
    rows = FeedbackIssue.objects.none()
    if notice is not None:
        rows = FeedbackIssue.objects.filter(statements__notice=notice)
    elif issue_ids:
        rows = FeedbackIssue.objects.filter(pk__in=list(issue_ids))
    found = set(rows.values_list("inspection_id", "inspection__institution_id").distinct().order_by())
    if notice is not None and notice.inspection_id:
        found |= set(Inspection.objects.filter(pk=notice.inspection_id).values_list("pk", "institution_id"))
    return found


def _refresh(touched: set[tuple[int, int]], extra_institutions=()) -> None:
    inspections_recount(pk for pk, _ in touched)
    institutions_relink({institution for _, institution in touched} | set(extra_institutions))
    bump()


def issues_changed(*, issue_ids: Iterable[int]) -> None:
    """After a verification, a progress report or a sign-off decision on these issues, in its transaction."""
    _refresh(_touched(issue_ids=list(issue_ids)))


@contextlib.contextmanager
def notice_rows_changing(notice):
    """Around writing or removing a notice's ledger rows: recount what it touched before and after.

    Before, because rows may leave an inspection (a re-parse moving issues,
    a reject, another institution chosen); after, for where they went —
    found through the notice's statements, plus the inspection the ingest
    reports (passed through the yielded function), which may have no issue.
    """
    before = _touched(notice=notice)
    written: set[tuple[int, int]] = set()

    def touched(outcome):
        inspection = getattr(outcome, "inspection", None)
        if inspection is not None:
            written.add((inspection.pk, inspection.institution_id))
        return outcome

    yield touched
    after = set(FeedbackIssue.objects.filter(statements__notice=notice)
                .values_list("inspection_id", "inspection__institution_id").distinct().order_by())
    _refresh(before | after | written, extra_institutions={notice.institution_id})


def recount_all(*, chunk: int = 1000, apps=None) -> int:
    """Rebuild every counter and latest-inspection link from the issue table; returns inspections counted."""
    def model(name):
        return apps.get_model("tracking", name) if apps is not None else globals()[name]

    issue_model, inspection_model = model("FeedbackIssue"), model("Inspection")
    institution_model, stamp_model = model("Institution"), model("ProgressStamp")
    done = last = 0
    while True:
        ids = list(inspection_model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            break
        inspections_recount(ids, issue_model=issue_model, inspection_model=inspection_model)
        done, last = done + len(ids), ids[-1]
    latest = inspection_model.objects.filter(institution=OuterRef("pk")).order_by("-feedback_on", "-id")
    institution_model.objects.update(latest_inspection=Subquery(latest.values("pk")[:1]))
    value = secrets.randbits(62)
    if not stamp_model.objects.filter(pk=1).update(version=value):
        stamp_model.objects.create(pk=1, version=value)
    return done
