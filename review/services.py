"""Staff decisions on a parsed notice: accept, reject, correct, revoke a correction.

Keyword-only, one transaction each, the notice row locked while deciding.
Only staff (``is_reviewer``) act here; refusals a person can act on are
``ValidationError`` in Chinese.  Every decision leaves an audit entry
(``review.history``): who, when, old and new state, why.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from notices.models import Notice, ParseState, ReviewState
from notices.parsing import corrections as pure
from notices.parsing.corrections import review_fingerprint
from rectify_site.input_text import clean_input
from tracking.ingest import institution_proposal
from tracking.roles import is_reviewer

from . import changes, history, ledger
from .models import Correction

REASON_MAX = 2000
# A decision or correction is possible in these states; the others (rejected, a copy, not parsed) are final.
CORRECTABLE = (ReviewState.PENDING, ReviewState.MISMATCH, ReviewState.NOT_NOTICE, ReviewState.ACCEPTED)


def _require_reviewer(user):
    if not is_reviewer(user):
        raise PermissionDenied("只有巡察办工作人员可以审核通报。")


def _text(value: str, missing: str) -> str:
    value = clean_input(value or "").strip()
    if not value:
        raise ValidationError(missing)
    if len(value) > REASON_MAX:
        raise ValidationError(f"说明不能超过{REASON_MAX}字。")
    return value


def _locked(notice: Notice) -> Notice:
    locked = Notice.objects.select_for_update(of=("self",)).select_related("institution").get(pk=notice.pk)
    if locked.is_withdrawn:
        raise ValidationError("该通报已撤回。")
    if locked.state != ParseState.PARSED:
        raise ValidationError(f"该通报{locked.get_state_display()}，解析完成后才能审核。")
    if locked.review_state not in CORRECTABLE:
        raise ValidationError(f"该通报{locked.get_review_state_display()}，不能再审核或更正。")
    return locked


def notice_accept(*, notice: Notice, user, note: str = "", confirm_institution: bool = False) -> Notice:
    """Staff accept the corrected parse: only now does the notice enter the ledger (or re-enter it)."""
    _require_reviewer(user)
    with transaction.atomic(), history.acting(user):
        locked = _locked(notice)
        if locked.review_state == ReviewState.ACCEPTED and not locked.needs_recheck:
            raise ValidationError("该通报已审核通过。")
        fixed = ledger.corrected(locked)
        if not fixed.result.is_rectification_notice:
            raise ValidationError("该文件未识别为整改通报：如确为整改通报，请先在「通报信息」中确认，否则请驳回。")
        proposal = institution_proposal(chosen=locked.institution, parsed=fixed.result)
        if proposal.mismatch and not confirm_institution:
            raise ValidationError(
                f"通报中的单位「{proposal.printed_name}」与所属单位「{locked.institution.name}」不一致："
                "请先更改单位，或勾选确认该通报确属所属单位。")
        if proposal.institution is None and not proposal.printed_name:
            raise ValidationError("未能确定通报所属单位，请先更改单位。")
        fields = ledger.ingest(locked, fixed, confirmed_institution=proposal.mismatch and confirm_institution)
        held = Notice.objects.live().filter(sha256=locked.sha256, institution=fields["institution"]).exclude(
            pk=locked.pk).first()
        if held is not None:  # raising rolls the rows just written back
            raise ValidationError(f"「{fields['institution']}」已上传同一文件（通报 #{held.pk}），请审核该通报并驳回本条。")
        fields["warnings"] = ledger.merge_warnings(locked.warnings, fields["warnings"])
        fields |= ledger.decision_fields(state=ReviewState.ACCEPTED, user=user,
                                         note=clean_input(note or "").strip())
        fields |= {"accepted_fingerprint": review_fingerprint(fixed.result), "needs_recheck": False,
                   "recheck_reasons": []}
        Notice.objects.filter(pk=locked.pk).update(**fields)
        reason = clean_input(note or "").strip() or ("复核后通过" if locked.review_state == ReviewState.ACCEPTED else "审核通过")
        if proposal.mismatch:
            reason += f"（确认通报中的「{proposal.printed_name}」即「{locked.institution.name}」）"
        history.record(locked, old=locked.review_state, new=ReviewState.ACCEPTED, actor=user, reason=reason)
    notice.refresh_from_db()
    return notice


def notice_reject(*, notice: Notice, user, reason: str) -> Notice:
    """Staff reject the notice: everything it put in the ledger goes and its file is free again."""
    from notices.rules import is_public

    _require_reviewer(user)
    reason = _text(reason, "请填写驳回原因。")
    with transaction.atomic(), history.acting(user):
        locked = _locked(notice)
        if is_public(locked):
            raise ValidationError("该通报正在公开期内，请先撤下公开再驳回。")
        fields = ledger.take_out(locked) | ledger.decision_fields(state=ReviewState.REJECTED, user=user, note=reason)
        Notice.objects.filter(pk=locked.pk).update(**fields, needs_recheck=False, recheck_reasons=[])
        history.record(locked, old=locked.review_state, new=ReviewState.REJECTED, actor=user, reason=reason)
        for copy in Notice.objects.filter(duplicate_of=locked, review_state=ReviewState.DUPLICATE).active():
            Notice.objects.filter(pk=copy.pk).update(**ledger.decision_fields(
                state=ReviewState.REJECTED, user=user, note="随原通报驳回"))
            history.record(copy, old=ReviewState.DUPLICATE, new=ReviewState.REJECTED, actor=user, reason="随原通报驳回")
    notice.refresh_from_db()
    return notice


def correction_create(*, notice: Notice, user, kind: str, data: dict, reason: str) -> Correction:
    """Store a correction and apply it: at once to the ledger when the notice is already accepted."""
    _require_reviewer(user)
    reason = _text(reason, "请填写更正原因。")
    with transaction.atomic(), history.acting(user):
        locked = _locked(notice)
        fixed = ledger.corrected(locked)
        target, payload, summary = changes.build(kind, data, locked, fixed.result)
        if locked.review_state == ReviewState.ACCEPTED and kind == pure.HEADER and payload.get(
                "is_rectification_notice") is False:
            raise ValidationError("已通过的通报如不是整改通报，请直接驳回。")
        correction = Correction.objects.create(notice=locked, kind=kind, target_key=target, payload=payload,
                                               summary=summary, reason=reason, created_by=user)
        if kind == pure.INSTITUTION:
            locked.institution = changes.Institution.objects.get(pk=payload["institution_id"])
            history.record(locked, field="institution", old=changes.Institution.objects.filter(
                pk=payload["previous_institution_id"]).values_list("name", flat=True).first() or "未确定",
                new=payload["name"], actor=user, reason=reason)
        _apply(locked, user, reason, institution_changed=kind == pure.INSTITUTION)
        correction.refresh_from_db()
        if correction.outcome != Correction.Outcome.APPLIED:
            raise ValidationError(f"该更正无法应用：{correction.outcome_message}")
    return correction


def correction_revoke(*, correction: Correction, user, reason: str) -> Correction:
    _require_reviewer(user)
    reason = _text(reason, "请填写撤销原因。")
    with transaction.atomic(), history.acting(user):
        locked = _locked(correction.notice)
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        if correction.is_revoked:
            raise ValidationError("该更正已撤销。")
        if correction.kind == Correction.Kind.INSTITUTION:
            raise ValidationError("更改单位不能撤销；如需改回，请再次更改单位。")
        correction.revoked_at, correction.revoked_by, correction.revoke_reason = timezone.now(), user, reason
        correction.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        _apply(locked, user, reason)
    return correction


def _apply(notice: Notice, user, reason: str, *, institution_changed: bool = False) -> None:
    """After a change of corrections: the notice's fields, its review state, and the ledger if accepted."""
    from notices.services import notice_fields_from

    fixed = ledger.corrected(notice)
    fields = notice_fields_from(fixed.result)
    if institution_changed:
        fields["institution_id"] = notice.institution_id
    state = notice.review_state
    if state == ReviewState.ACCEPTED:
        if not notice.needs_recheck:  # a notice waiting for re-review changes the ledger only when accepted again
            ingested = ledger.ingest(notice, fixed)
            ingested["warnings"] = ledger.merge_warnings(notice.warnings, ingested["warnings"])
            fields |= ingested | {"accepted_fingerprint": review_fingerprint(fixed.result)}
            # The ingest names the institution itself; both keys would set one column twice (PostgreSQL refuses).
            fields.pop("institution_id", None)
    else:
        proposal = institution_proposal(chosen=notice.institution, parsed=fixed.result)
        new = (ReviewState.NOT_NOTICE if not fixed.result.is_rectification_notice
               else ReviewState.MISMATCH if proposal.mismatch else ReviewState.PENDING)
        if new != state:
            fields["review_state"] = new
            history.record(notice, old=state, new=new, actor=user, reason=f"更正后：{reason}")
        if not proposal.mismatch:
            fields["warnings"] = [w for w in notice.warnings if w.get("code") != "institution_mismatch"]
    Notice.objects.filter(pk=notice.pk).update(**fields)
