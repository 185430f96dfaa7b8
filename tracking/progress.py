"""The hospital's progress between notices: reports, evidence, 申请销号, and staff's 销号 or 退回.

A clerk reports what was done on one issue, with evidence files, and either
only records it or asks for sign-off.  Staff see pending requests oldest
first and approve (销号: the same verification as 核查销号, with its rule for
issues the notices do not claim completed) or return them with a reason the
clerk sees.  Every step leaves an ``IssueEvent`` (who, when, what, note); the
request's state moves by conditional updates, so two reviewers acting on one
request change it once.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import evidence as evidence_rules
from . import counters, services
from .models import Evidence, FeedbackIssue, IssueEvent, ProgressReport, SignOff, Verification
from .roles import clerk_institution_id, is_reviewer

TEXT_MAX_LENGTH = 5000


def can_report(user, issue: FeedbackIssue) -> bool:
    """Only the hospital's own clerk reports its progress."""
    institution_id = clerk_institution_id(user)
    return institution_id is not None and institution_id == issue.inspection.institution_id


def _clean_text(text: str) -> str:
    return services.clean_required_text(text, label="整改情况", max_length=TEXT_MAX_LENGTH, code="text")


def report_submit(*, issue: FeedbackIssue, user, text: str, files=(), request_signoff: bool = False) -> ProgressReport:
    """Record progress on ``issue`` with evidence files; with ``request_signoff`` it waits for staff (待核查)."""
    if not can_report(user, issue):
        raise PermissionDenied("只有本单位填报员可以报告整改进展。")
    text = _clean_text(text)
    files = list(files)
    if len(files) > evidence_rules.MAX_FILES_PER_REPORT:
        raise ValidationError(f"每次最多上传{evidence_rules.MAX_FILES_PER_REPORT}个佐证材料。", code="too_many")
    kinds = [evidence_rules.evidence_validate(f) for f in files]
    if request_signoff:
        if issue.verification == Verification.VERIFIED:
            raise ValidationError("该问题已核查销号，无需再申请。", code="already_verified")
        if not files:
            raise ValidationError("申请销号须附佐证材料。", code="evidence_required")
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                issue=issue, author=user, text=text,
                kind=ProgressReport.Kind.SIGNOFF if request_signoff else ProgressReport.Kind.PROGRESS,
                state=ProgressReport.State.PENDING if request_signoff else ProgressReport.State.RECORDED,
            )
            for uploaded, ext in zip(files, kinds):
                item = Evidence(report=report, issue=issue, original_name=(uploaded.name or "")[-255:],
                                extension=ext, size=uploaded.size, sha256=evidence_rules.sha256_of(uploaded),
                                uploaded_by=user)
                item.file.save(f"evidence.{ext}", uploaded, save=False)
                stored.append(item)
                item.save()
            IssueEvent.objects.create(
                issue=issue, report=report, actor=user, note=text,
                kind=IssueEvent.Kind.SIGNOFF_REQUESTED if request_signoff else IssueEvent.Kind.PROGRESS,
            )
            fields = {"updated_at": timezone.now()}
            if request_signoff:
                fields["signoff"] = SignOff.PENDING
            FeedbackIssue.objects.filter(pk=issue.pk).update(**fields)
            counters.issues_changed(issue_ids=[issue.pk])
    except IntegrityError as error:
        _discard(stored)
        if request_signoff:
            raise ValidationError("该问题已有待核查的销号申请，请等待工作人员核查。", code="already_pending") from error
        raise
    except Exception:
        _discard(stored)
        raise
    if request_signoff:
        issue.signoff = SignOff.PENDING
    return report


def _discard(stored) -> None:
    # The transaction rolled back; files written for it would be orphans.
    for item in stored:
        item.file.delete(save=False)


def _decide(report: ProgressReport, *, user, state: str, note: str) -> None:
    touched = ProgressReport.objects.filter(pk=report.pk, state=ProgressReport.State.PENDING).update(
        state=state, decided_by=user, decided_at=timezone.now(), decision_note=note)
    if touched != 1:
        raise services.IssueChanged("该销号申请已被他人处理，请刷新页面。")


def report_approve(*, report: ProgressReport, user, note: str, confirm_unclaimed: bool = False) -> ProgressReport:
    """Staff close the issue on the hospital's request (销号): a verification, with its history row."""
    if not is_reviewer(user):
        raise PermissionDenied("只有巡察办工作人员可以核查销号申请。")
    note = services.clean_note(note)
    issue = report.issue
    with transaction.atomic():
        _decide(report, user=user, state=ProgressReport.State.APPROVED, note=note)
        if issue.verification != Verification.VERIFIED:
            services.issue_verify(issue=issue, user=user, note=note, confirm_unclaimed=confirm_unclaimed,
                                  reason_prefix="批准销号申请。")
        FeedbackIssue.objects.filter(pk=issue.pk).update(signoff=SignOff.APPROVED, updated_at=timezone.now())
        IssueEvent.objects.create(issue=issue, report=report, actor=user, note=note,
                                  kind=IssueEvent.Kind.SIGNOFF_APPROVED)
        counters.issues_changed(issue_ids=[issue.pk])
    report.refresh_from_db()
    return report


def report_return(*, report: ProgressReport, user, note: str) -> ProgressReport:
    """Staff send the request back (退回) with a reason the clerk sees; the issue stays open."""
    if not is_reviewer(user):
        raise PermissionDenied("只有巡察办工作人员可以退回销号申请。")
    note = services.clean_note(note)
    with transaction.atomic():
        _decide(report, user=user, state=ProgressReport.State.RETURNED, note=note)
        FeedbackIssue.objects.filter(pk=report.issue_id).update(signoff=SignOff.RETURNED, updated_at=timezone.now())
        IssueEvent.objects.create(issue_id=report.issue_id, report=report, actor=user, note=note,
                                  kind=IssueEvent.Kind.SIGNOFF_RETURNED)
        counters.issues_changed(issue_ids=[report.issue_id])
    report.refresh_from_db()
    return report
