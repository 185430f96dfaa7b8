"""Writes by discipline-inspection staff: 核查销号 and 退回重新整改.

Each change is a conditional ``update()`` that names the state the reviewer
saw, so a double-submitted form or two reviewers racing change the issue
once; the loser gets ``IssueChanged`` instead of a second history row.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import FeedbackIssue, StatusChange, Verification
from .roles import is_reviewer

NOTE_MAX_LENGTH = 2000


class IssueChanged(Exception):
    """The issue is no longer in the state the reviewer acted on."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError("请填写核查说明。", code="note_required")
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(f"核查说明不能超过{NOTE_MAX_LENGTH}字。", code="note_too_long")
    return note


def _change_verification(*, issue: FeedbackIssue, user, note: str, expected: str | None, new: str,
                         allowed_from: set[str], refusal: str) -> FeedbackIssue:
    if not is_reviewer(user):
        raise PermissionDenied("只有巡察办工作人员可以核查问题。")
    note = _clean_note(note)
    # What the reviewer saw on the page, not what the row says now: acting on a
    # stale page must fail rather than silently apply to a newer state.
    if expected and expected not in Verification.values:
        raise ValidationError("核查状态无效。", code="bad_expected")
    old = expected or issue.verification
    if old not in allowed_from:
        raise IssueChanged(refusal)
    now = timezone.now()
    with transaction.atomic():
        touched = FeedbackIssue.objects.filter(pk=issue.pk, verification=old).update(
            verification=new, verified_by=user, verified_at=now, verification_note=note, updated_at=now
        )
        if touched != 1:
            raise IssueChanged("该问题的核查状态已被他人更改，请刷新页面后再操作。")
        StatusChange.objects.create(issue=issue, kind=StatusChange.Kind.VERIFICATION, old_value=old, new_value=new,
                                    changed_by=user, reason=note)
    issue.verification, issue.verified_by, issue.verified_at, issue.verification_note = new, user, now, note
    issue.updated_at = now
    return issue


def issue_verify(*, issue: FeedbackIssue, user, note: str, expected: str | None = None) -> FeedbackIssue:
    """Staff confirm the rectification is done (核查销号).

    ``expected`` is the verification state the reviewer saw; it defaults to the issue's.
    """
    return _change_verification(
        issue=issue, user=user, note=note, expected=expected, new=Verification.VERIFIED,
        allowed_from={Verification.UNVERIFIED, Verification.REOPENED}, refusal="该问题已核查销号，无需重复操作。",
    )


def issue_reopen(*, issue: FeedbackIssue, user, note: str, expected: str | None = None) -> FeedbackIssue:
    """Staff send the issue back for rectification (退回重新整改), whatever the notice claims."""
    return _change_verification(
        issue=issue, user=user, note=note, expected=expected, new=Verification.REOPENED,
        allowed_from={Verification.UNVERIFIED, Verification.VERIFIED}, refusal="该问题已退回重新整改，无需重复操作。",
    )
