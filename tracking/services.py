"""Writes on issues: 核查销号 and 退回重新整改 by staff, the ledger fields by the hospital.

Each verification change is a conditional ``update()`` that names the state
the reviewer saw, so a double-submitted form or two reviewers racing change
the issue once; the loser gets ``IssueChanged`` instead of a second history
row.  Verifying an issue the notices do not claim completed needs an explicit
confirmation and is recorded as 「工作人员核实已完成（通报未称完成）」.

Ledger edits (owners, the hospital's deadline and measures) are saved through
the model so django-auditlog records who changed which field from what to
what; those entries are the ledger's history rows.
"""
import datetime as dt

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from rectify_site.input_text import clean_input

from . import counters
from .models import VERIFIED_AGAINST_CLAIM_LABEL, FeedbackIssue, RectificationStatus, StatusChange, Verification
from .roles import clerk_institution_id, is_reviewer

NOTE_MAX_LENGTH = 2000


class IssueChanged(Exception):
    """The issue is no longer in the state the reviewer acted on."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def clean_required_text(value: str, *, label: str, max_length: int, code: str) -> str:
    """``value`` stripped, or a Chinese ``ValidationError`` naming ``label`` when it is empty or too long."""
    value = clean_input(value or "").strip()
    if not value:
        raise ValidationError(f"请填写{label}。", code=f"{code}_required")
    if len(value) > max_length:
        raise ValidationError(f"{label}不能超过{max_length}字。", code=f"{code}_too_long")
    return value


def clean_note(note: str) -> str:
    return clean_required_text(note, label="核查说明", max_length=NOTE_MAX_LENGTH, code="note")


CONFIRMATION_REQUIRED = (f"通报未称该问题已完成整改。如经核实确已完成，请勾选「{VERIFIED_AGAINST_CLAIM_LABEL}」"
                         "后再核查销号。")


def _change_verification(*, issue: FeedbackIssue, user, note: str, expected: str | None, new: str,
                         allowed_from: set[str], refusal: str, confirm_unclaimed: bool = False,
                         reason_prefix: str = "") -> FeedbackIssue:
    if not is_reviewer(user):
        raise PermissionDenied("只有巡察办工作人员可以核查问题。")
    note = clean_note(note)
    against_claim = new == Verification.VERIFIED and issue.status != RectificationStatus.COMPLETED
    if against_claim and not confirm_unclaimed:
        raise ValidationError(CONFIRMATION_REQUIRED, code="confirmation_required")
    reason = reason_prefix + (f"{VERIFIED_AGAINST_CLAIM_LABEL}：{note}" if against_claim else note)
    # What the reviewer saw on the page, not what the row says now: acting on a
    # stale page must fail rather than silently apply to a newer state.
    if expected and expected not in Verification.values:
        raise ValidationError("核查状态无效。", code="bad_expected")
    old = expected or issue.verification
    if old not in allowed_from:
        raise IssueChanged(refusal)
    now = timezone.now()
    with transaction.atomic():
        rows = FeedbackIssue.objects.filter(pk=issue.pk, verification=old)
        if not against_claim and new == Verification.VERIFIED:
            rows = rows.filter(status=RectificationStatus.COMPLETED)  # the claim the reviewer relied on still holds
        touched = rows.update(verification=new, verified_by=user, verified_at=now, verification_note=note,
                              verified_against_claim=against_claim, updated_at=now)
        if touched != 1:
            raise IssueChanged("该问题的核查状态已被他人更改，请刷新页面后再操作。")
        StatusChange.objects.create(issue=issue, kind=StatusChange.Kind.VERIFICATION, old_value=old, new_value=new,
                                    changed_by=user, reason=reason)
        counters.issues_changed(issue_ids=[issue.pk])
    issue.verification, issue.verified_by, issue.verified_at, issue.verification_note = new, user, now, note
    issue.verified_against_claim = against_claim
    issue.updated_at = now
    return issue


def issue_verify(*, issue: FeedbackIssue, user, note: str, expected: str | None = None,
                 confirm_unclaimed: bool = False, reason_prefix: str = "") -> FeedbackIssue:
    """Staff confirm the rectification is done (核查销号).

    ``expected`` is the verification state the reviewer saw; it defaults to the issue's.
    ``confirm_unclaimed`` is the reviewer's explicit word that an issue the
    notices do not claim completed is done all the same.
    """
    return _change_verification(
        issue=issue, user=user, note=note, expected=expected, new=Verification.VERIFIED,
        allowed_from={Verification.UNVERIFIED, Verification.REOPENED}, refusal="该问题已核查销号，无需重复操作。",
        confirm_unclaimed=confirm_unclaimed, reason_prefix=reason_prefix,
    )


def issue_reopen(*, issue: FeedbackIssue, user, note: str, expected: str | None = None) -> FeedbackIssue:
    """Staff send the issue back for rectification (退回重新整改), whatever the notice claims."""
    return _change_verification(
        issue=issue, user=user, note=note, expected=expected, new=Verification.REOPENED,
        allowed_from={Verification.UNVERIFIED, Verification.VERIFIED}, refusal="该问题已退回重新整改，无需重复操作。",
    )


# --- the hospital's ledger fields ----------------------------------------------
LEDGER_FIELDS = ("responsible_leader", "responsible_department", "responsible_person", "due_on_override",
                 "measures_override")
MEASURES_MAX_LENGTH = 5000


def can_edit_ledger(user, issue: FeedbackIssue) -> bool:
    """The hospital's own clerk, or staff."""
    if is_reviewer(user):
        return True
    institution_id = clerk_institution_id(user)
    return institution_id is not None and institution_id == issue.inspection.institution_id


def issue_update_ledger(*, issue: FeedbackIssue, user, responsible_leader: str = "", responsible_department: str = "",
                        responsible_person: str = "", due_on_override: dt.date | None = None,
                        measures_override: str = "") -> list[str]:
    """Set the owners, the hospital's deadline and measures; returns the fields that changed.

    The notice's deadline stays in ``notice_due_on``; ``due_on`` (what every
    warning reads) becomes the hospital's date while it sets one.  Re-parsing
    a notice recomputes only the notice's side (see ``tracking.ingest``).
    """
    if not can_edit_ledger(user, issue):
        raise PermissionDenied("只有本单位填报员或巡察办工作人员可以修改整改台账。")
    if len(measures_override or "") > MEASURES_MAX_LENGTH:
        raise ValidationError(f"整改措施不能超过{MEASURES_MAX_LENGTH}字。", code="too_long")
    wanted = {
        "responsible_leader": clean_input(responsible_leader or "").strip()[:100],
        "responsible_department": clean_input(responsible_department or "").strip()[:100],
        "responsible_person": clean_input(responsible_person or "").strip()[:100],
        "due_on_override": due_on_override,
        "measures_override": clean_input(measures_override or "").strip(),
    }
    changed = [field for field, value in wanted.items() if getattr(issue, field) != value]
    if not changed:
        return []
    for field in changed:
        setattr(issue, field, wanted[field])
    issue.due_on = issue.due_on_override or issue.notice_due_on
    with transaction.atomic(), set_actor(user):
        issue.save(update_fields=[*changed, "due_on", "updated_at"])
        counters.issues_changed(issue_ids=[issue.pk])  # the deadline moves the cached 逾期 figures
    return changed
