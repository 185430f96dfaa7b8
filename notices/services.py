"""Writes on notices: store an upload, parse it, re-parse, withdraw.

Every upload is stored and committed before anything else happens; the
parse job is enqueued only after the commit (``transaction.on_commit``), so
a worker never looks for a row that is not there, and an enqueue that fails
leaves a queued notice that ``sweep_stale_notices`` picks up later.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tracking.ingest import issues_refresh, notice_ingest
from tracking.models import IssueStatement

from . import rules
from .models import Notice, ParseState
from .parsing import NoticeFileError, parse_bytes
from .parsing.extract import ExtractContext, Limits

logger = logging.getLogger(__name__)

ACCEPTED_EXTENSIONS = {
    "txt": "txt", "docx": "docx", "pdf": "pdf", "html": "html", "htm": "html", "doc": "doc", "wps": "doc",
    "ofd": "ofd", "jpg": "image", "jpeg": "image", "png": "image", "tif": "image", "tiff": "image",
}
ACCEPTED_LABEL = ("文本（.txt）、Word（.docx/.doc/.wps）、PDF（.pdf，含扫描件）、OFD（.ofd）、网页（.html/.htm）、"
                  "扫描或拍照图片（.jpg/.png/.tif）")
GENERIC_FAILURE = "解析时发生内部错误，已记录，请稍后点击「重新解析」；如仍失败请联系巡察办"


def notice_validate_upload(*, filename: str, size: int) -> str:
    """The notice format for an acceptable upload, or a ``ValidationError`` in Chinese."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in ACCEPTED_EXTENSIONS:
        raise ValidationError(f"「{filename}」的格式不受支持。支持的格式：{ACCEPTED_LABEL}", code="extension")
    if size > settings.NOTICE_MAX_UPLOAD_BYTES:
        raise ValidationError(too_large_message(filename), code="too_large")
    if size == 0:
        raise ValidationError(f"「{filename}」是空文件", code="empty")
    return ACCEPTED_EXTENSIONS[ext]


def too_large_message(filename: str) -> str:
    return f"「{filename}」超过了每个文件 {settings.NOTICE_MAX_UPLOAD_BYTES / 1048576:g} MB 的上限，未上传"


def notice_create(*, uploaded_file=None, data: bytes | None = None, filename: str | None = None,
                  uploaded_by, institution=None) -> tuple[Notice, bool]:
    """Store the bytes as uploaded and enqueue the parse; ``(existing, False)`` for a file seen before."""
    if uploaded_file is not None:
        filename = filename or uploaded_file.name
        content = uploaded_file
        size = uploaded_file.size
    else:
        content, size = ContentFile(data), len(data)
    filename = (filename or "notice").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    fmt = notice_validate_upload(filename=filename, size=size)
    institution = rules.upload_institution(uploaded_by, institution)
    sha256 = _sha256(content)

    existing = _existing(sha256)
    if existing is not None:
        return existing, False
    notice = Notice(original_name=filename, sha256=sha256, format=fmt, size=size,
                    uploaded_by=uploaded_by, institution=institution)
    notice.file.save(filename, content, save=False)
    try:
        with transaction.atomic():
            notice.save()
            transaction.on_commit(lambda: notice_enqueue_parse(notice_id=notice.pk))
    except IntegrityError:
        # The same file arrived twice at once; the other request won.
        notice.file.delete(save=False)
        return Notice.objects.get(sha256=sha256), False
    logger.info("notice stored", extra={"notice_id": notice.pk, "sha256": sha256, "size": size})
    return notice, True


def notice_enqueue_parse(*, notice_id: int) -> None:
    from .tasks import parse_notice

    try:
        parse_notice.delay(notice_id)
    except Exception:  # broker down: the notice stays queued and the sweep retries
        logger.warning("enqueue failed; the sweep will retry", extra={"notice_id": notice_id}, exc_info=True)


def notice_apply_parse(*, notice_id: int) -> str:
    """Extract, parse and write the whole result in one transaction; returns the outcome.

    Only a queued or parsing notice is taken (a redelivered job finds it
    parsing); anything else means another job already did the work.
    """
    claimed = Notice.objects.filter(
        pk=notice_id, state__in=[ParseState.QUEUED, ParseState.PARSING], withdrawn_at__isnull=True
    ).update(state=ParseState.PARSING, state_changed_at=timezone.now(), attempts=F("attempts") + 1,
             progress_done=0, progress_total=0)
    if not claimed:
        return "skipped"
    notice = Notice.objects.get(pk=notice_id)
    started = time.monotonic()
    try:
        with notice.file.open("rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        notice_fail(notice_id=notice_id, message="原始文件在存储中找不到，请联系系统管理员", code="file_missing")
        return "failed"
    try:
        extracted, parsed = parse_bytes(data, notice.original_name, _extract_context(notice_id))
    except NoticeFileError as exc:
        notice_fail(notice_id=notice_id, message=exc.message, code=exc.code)
        return "failed"
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        if notice.state != ParseState.PARSING or notice.is_withdrawn:
            return "skipped"  # re-queued or withdrawn meanwhile; the newer request wins
        _write_header(notice, extracted, parsed)
        warnings = [*notice.warnings]
        if parsed.is_rectification_notice:
            warnings += notice_ingest(notice=notice, parsed=parsed).warnings
        else:
            warnings.append({"code": "not_rectification_notice",
                             "message": "该文件似乎不是巡察整改进展通报，未写入整改台账，请核对"})
        Notice.objects.filter(pk=notice_id).update(
            state=ParseState.PARSED, state_changed_at=timezone.now(), parsed_at=timezone.now(),
            parse_duration_ms=int((time.monotonic() - started) * 1000), error="", error_code="", warnings=warnings,
        )
    return "parsed"


def _extract_context(notice_id: int) -> ExtractContext:
    """Limits from settings, and OCR progress written straight to the row (outside any transaction)."""

    def progress(done: int, total: int) -> None:
        Notice.objects.filter(pk=notice_id).update(progress_done=done, progress_total=total)

    return ExtractContext(limits=Limits(max_ocr_pages=settings.NOTICE_OCR_MAX_PAGES,
                                        max_pixels=settings.NOTICE_OCR_MAX_PIXELS), progress=progress)


def notice_fail(*, notice_id: int, message: str, code: str) -> None:
    Notice.objects.filter(pk=notice_id).update(
        state=ParseState.FAILED, state_changed_at=timezone.now(), error=message, error_code=code[:40]
    )


def notice_request_reparse(*, notice: Notice, requested_by=None) -> None:
    """Queue ``notice`` for another parse through the same task; its old result stays until replaced."""
    if requested_by is not None and not rules.can_reparse(requested_by, notice):
        raise PermissionDenied("无权重新解析该通报")
    if notice.is_withdrawn:
        raise ValidationError("已撤回的通报不能重新解析")
    with transaction.atomic():
        Notice.objects.filter(pk=notice.pk).update(
            state=ParseState.QUEUED, state_changed_at=timezone.now(), error="", error_code=""
        )
        transaction.on_commit(lambda: notice_enqueue_parse(notice_id=notice.pk))
    notice.refresh_from_db()


def notices_reparse(*, queryset) -> int:
    """Re-parse every active notice in ``queryset``; returns how many were queued."""
    count = 0
    for notice in queryset.active().order_by("pk").iterator():
        notice_request_reparse(notice=notice)
        count += 1
    return count


def notice_withdraw(*, notice: Notice, withdrawn_by, reason: str = "") -> None:
    """Soft delete: the file and rows stay, the notice stops counting for its issues."""
    if not rules.can_withdraw(withdrawn_by, notice):
        raise PermissionDenied("无权撤回该通报")
    if rules.is_public(notice):
        raise ValidationError("该通报正在公开期内，不能撤回；请先由工作人员撤下公开")
    with transaction.atomic():
        changed = Notice.objects.filter(pk=notice.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_by=withdrawn_by, withdraw_reason=reason
        )
        if changed:
            issues_refresh(issue_ids=IssueStatement.objects.filter(notice=notice).values_list("issue_id", flat=True))
    notice.refresh_from_db()
    logger.info("notice withdrawn", extra={"notice_id": notice.pk, "by": getattr(withdrawn_by, "pk", None)})


def _write_header(notice: Notice, extracted, parsed) -> None:
    notice.raw_text = extracted.text
    notice.text_encoding = extracted.encoding or ""
    notice.text_source = extracted.text_source
    notice.ocr_confidence = extracted.ocr_confidence
    notice.format = extracted.format
    notice.parser_version = parsed.parser_version
    notice.parse_result = parsed.to_dict()
    notice.title = parsed.title
    notice.published_on = parsed.published_date
    if not notice.disclosure_set_by_staff:
        notice.disclosure_start, notice.disclosure_end = parsed.disclosure_start, parsed.disclosure_end
        notice.disclosure_text = parsed.disclosure_text[:200]
    notice.contacts = dataclasses.asdict(parsed.contacts)
    notice.declared = dataclasses.asdict(parsed.declared)
    notice.statistics = [dataclasses.asdict(s) for s in parsed.statistics]
    notice.next_steps = parsed.next_steps
    notice.confidence = parsed.confidence
    notice.review_reasons = list(parsed.review_reasons)
    notice.warnings = [{"code": "extraction", "message": w} for w in extracted.warnings] + [
        dataclasses.asdict(w) for w in parsed.warnings
    ]
    notice.save()


def _existing(sha256: str) -> Notice | None:
    return Notice.objects.filter(sha256=sha256).first()


def _sha256(content) -> str:
    digest = hashlib.sha256()
    if hasattr(content, "chunks"):
        content.seek(0)
        for chunk in content.chunks():
            digest.update(chunk)
        content.seek(0)
    else:
        digest.update(content.read())
    return digest.hexdigest()
