"""What a finished parse means for the review: the notice's review state, decided by rules, never silently.

Called by ``notices.services.notice_apply_parse`` inside its transaction.  It
never writes the Notice row (it returns the fields; the parse writes them
last, conditionally), so a withdrawal during a parse never waits on it.

- a copy of a live notice of the same institution (the .docx of a .txt) →
  「同一通报的其他格式」, filed with the original;
- not a rectification notice → 「未识别为整改通报」;
- the text names another institution than the uploader's → 「单位不一致」;
- otherwise 「待审核」, or 「已通过」 by the auto-accept setting when the parse
  is high-confidence, nothing is stale and the institution is the uploader's.

A re-parse of an accepted notice keeps it accepted and re-ingests it with
its corrections when what was accepted did not change (institution,
inspection, issue list and statuses: ``review_fingerprint``).  Otherwise the
ledger keeps what staff accepted and the notice returns to the queue as
「已通过·需复核」 with the reasons: numbers never change without a person.
A rejected notice stays rejected.
"""
from __future__ import annotations

from django.conf import settings

from notices.models import Notice, ReviewState
from notices.parsing.corrections import content_key, review_fingerprint
from notices.parsing.result import CONFIDENCE_HIGH
from tracking.ingest import institution_proposal

from . import history, ledger


def decide_after_parse(*, notice: Notice, parsed) -> tuple[dict, object]:
    """``(fields to write on the notice, corrected parse)`` for a notice whose parse just finished."""
    fixed = ledger.corrected(notice, parsed)
    proposal = institution_proposal(chosen=notice.institution, parsed=fixed.result)
    fields: dict = {"content_key": content_key(parsed), "duplicate_of": None}
    if notice.institution_id is None and proposal.institution is not None and not _file_held_by(
            notice, proposal.institution):
        fields["institution"] = proposal.institution  # found by the name it prints; staff still review it
    warnings = _mismatch_warning(notice, proposal)
    previous = notice.review_state

    if previous == ReviewState.REJECTED:
        return fields | {"warnings": warnings}, fixed
    if previous == ReviewState.ACCEPTED:
        return fields | _recheck(notice, fixed, proposal, warnings), fixed

    original = _original_of(notice, fields["content_key"], fields.get("institution", notice.institution))
    if original is not None:
        state, reason = ReviewState.DUPLICATE, f"与通报「{original}」内容相同，作为其另一格式保存"
        fields["duplicate_of"] = original
        warnings.append({"code": "duplicate", "message": f"此文件与已上传的通报「{original}」是同一份通报，"
                                                         "已作为该通报的另一格式保存，不重复计入"})
    elif not fixed.result.is_rectification_notice:
        state, reason = ReviewState.NOT_NOTICE, "解析未识别出巡察整改通报的结构"
        warnings.append({"code": "not_rectification_notice",
                         "message": "该文件未识别为巡察整改通报，不计入任何统计；如确为整改进展通报，请联系巡察办核对"})
    elif proposal.mismatch:
        state, reason = ReviewState.MISMATCH, "通报中的单位与上传所属单位不一致"
    elif _auto_accept(notice, parsed, fixed, proposal):
        fields |= ledger.ingest(notice, fixed) | ledger.decision_fields(state=ReviewState.ACCEPTED)
        fields |= {"accepted_fingerprint": review_fingerprint(fixed.result), "needs_recheck": False,
                   "recheck_reasons": []}
        fields["warnings"] = ledger.merge_warnings(warnings, fields["warnings"])
        history.record(notice, old=previous, new=ReviewState.ACCEPTED, system=True,
                       reason="高置信度自动通过（本部署已开启，单位与上传单位一致）")
        return fields, fixed
    else:
        state, reason = ReviewState.PENDING, "解析完成，等待工作人员审核"
    if state != previous:
        history.record(notice, old=previous, new=state, system=True, reason=reason)
    return fields | {"review_state": state, "warnings": warnings}, fixed


def _file_held_by(notice, institution) -> bool:
    """That institution already has a live notice of these very bytes (uploaded meanwhile by its clerk)."""
    return Notice.objects.live().filter(sha256=notice.sha256, institution=institution).exclude(pk=notice.pk).exists()


def _mismatch_warning(notice, proposal) -> list[dict]:
    if not proposal.mismatch:
        return []
    return [{"code": "institution_mismatch",
             "message": f"通报中的单位「{proposal.printed_name}」与上传所属单位「{notice.institution.name}」不一致，"
                        "该通报暂不计入任何统计，已转巡察办工作人员核对；如上传错了文件，请撤回"}]


def _original_of(notice, key: str, institution) -> Notice | None:
    """The live notice this upload is another format of: same institution, same content key."""
    if not key:
        return None
    return (Notice.objects.live().exclude(pk=notice.pk)
            .exclude(review_state__in=[ReviewState.DUPLICATE, ReviewState.NOT_NOTICE, ReviewState.NONE])
            .filter(content_key=key, institution=institution).order_by("uploaded_at", "pk")
            .only("pk", "title", "original_name").first())


def _auto_accept(notice, parsed, fixed, proposal) -> bool:
    return bool(
        settings.NOTICE_AUTO_ACCEPT_HIGH_CONFIDENCE
        and parsed.confidence == CONFIDENCE_HIGH
        and notice.institution_id is not None  # chosen at upload (a clerk's own hospital), not guessed from text
        and proposal.printed_name and not proposal.mismatch
        and not fixed.stale
    )


def _recheck(notice, fixed, proposal, warnings) -> dict:
    reasons = [f"更正「{c.summary}」不再适用：{c.outcome_message}" for c in fixed.stale]
    if not fixed.result.is_rectification_notice:
        reasons.append("重新解析后未识别为整改通报")
    if proposal.mismatch:
        reasons.append("重新解析后通报中的单位与所属单位不一致")
    if not reasons and review_fingerprint(fixed.result) != notice.accepted_fingerprint:
        reasons.append("重新解析后的问题清单或状态与审核通过时不同")
    if reasons:
        if not notice.needs_recheck:
            history.record(notice, field="needs_recheck", old="否", new="是", system=True, reason="；".join(reasons))
        # The ledger keeps what staff accepted until someone looks.
        return {"needs_recheck": True, "recheck_reasons": reasons, "warnings": warnings}
    fields = ledger.ingest(notice, fixed)
    fields["warnings"] = ledger.merge_warnings(warnings, fields["warnings"])
    return fields | {"needs_recheck": False, "recheck_reasons": []}
