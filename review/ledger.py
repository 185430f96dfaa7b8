"""The corrected parse of a notice, and the way it goes into the ledger and back out.

Shared by the parse (``decide``) and the staff actions (``services``); every
function runs inside the caller's transaction and returns the Notice fields
to write, which the caller writes last.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from notices.models import Notice
from notices.parsing.corrections import APPLIED, Outcome, apply_corrections, issue_key, parsed_from_dict
from notices.parsing.result import ParsedNotice
from tracking import counters
from tracking.ingest import notice_ingest, notice_remove

from .models import Correction


@dataclass
class Corrected:
    parsed: ParsedNotice  # as the parser proposed it
    result: ParsedNotice  # with every correction that applies
    corrections: list[Correction] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def stale(self) -> list[Correction]:
        return [c for c in self.corrections if c.outcome == Correction.Outcome.STALE]


def corrected(notice: Notice, parsed: ParsedNotice | None = None) -> Corrected:
    """``notice``'s parse (``parsed``, or the stored one) with its corrections in force, outcomes stored."""
    parsed = parsed if parsed is not None else parsed_from_dict(notice.parse_result or {})
    corrections = list(Correction.objects.filter(notice=notice).in_force().order_by("created_at", "id"))
    result, outcomes = apply_corrections(parsed, [c.spec for c in corrections])
    changed = []
    for correction, outcome in zip(corrections, outcomes):
        if (correction.outcome, correction.outcome_message) != (outcome.state, outcome.message):
            correction.outcome, correction.outcome_message = outcome.state, outcome.message
            changed.append(correction)
    # bulk_update: the outcome is derived from the parse, not a person's change, so it is not audited.
    Correction.objects.bulk_update(changed, ["outcome", "outcome_message"])
    return Corrected(parsed, result, corrections, outcomes)


def ingest(notice: Notice, fixed: Corrected, *, confirmed_institution: bool = False) -> dict:
    """Write the corrected parse as the notice's rows; link each issue correction to its ledger issue."""
    by_id = {c.pk: c for c in fixed.corrections}
    index_of = {issue_key(issue): index for index, issue in enumerate(fixed.result.issues)}
    status_notes = {}
    for outcome in fixed.outcomes:
        correction = by_id[outcome.correction_id]
        if outcome.state == APPLIED and outcome.issue_key in index_of and "status" in correction.payload:
            status_notes[index_of[outcome.issue_key]] = (correction.created_by, correction.reason)
    with counters.notice_rows_changing(notice) as touched:
        done = touched(notice_ingest(notice=notice, parsed=fixed.result, confirmed_institution=confirmed_institution,
                                     corrected=status_notes))
    links = []
    for outcome in fixed.outcomes:
        index = index_of.get(outcome.issue_key) if outcome.state == APPLIED else None
        issue_id = done.issue_ids[index] if index is not None and index < len(done.issue_ids) else None
        correction = by_id[outcome.correction_id]
        if correction.issue_id != issue_id:
            correction.issue_id = issue_id
            links.append(correction)
    Correction.objects.bulk_update(links, ["issue"])
    fields = {"institution": done.institution, "inspection": done.inspection, "warnings": done.warnings}
    if done.created_institution is not None:
        fields["created_institution"] = done.created_institution
    if done.aliases_added:
        fields["added_aliases"] = [*notice.added_aliases, *done.aliases_added]
    return fields


def take_out(notice: Notice) -> dict:
    """Remove everything the notice wrote into the ledger."""
    with counters.notice_rows_changing(notice):
        notice_remove(notice=notice)
    Correction.objects.filter(notice=notice, issue__isnull=False).update(issue=None)
    return {"inspection": None, "added_aliases": []}


def merge_warnings(existing, new) -> list[dict]:
    seen = {(w.get("code"), w.get("message")) for w in existing or []}
    return [*(existing or []), *[w for w in new if (w.get("code"), w.get("message")) not in seen]]


def decision_fields(*, state: str, user=None, note: str = "") -> dict:
    return {"review_state": state, "reviewed_by": user, "reviewed_at": timezone.now(), "review_note": note}
