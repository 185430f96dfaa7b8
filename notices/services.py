"""Writes on notices: store an upload, parse it, re-parse, withdraw.

Every upload is stored and committed before anything else happens; the
parse job is enqueued only after the commit (``transaction.on_commit``), so
a worker never looks for a row that is not there, and an enqueue that fails
leaves a queued notice that ``sweep_stale_notices`` picks up later.

A parse proposes: it stores what it read and a review state
(``review.decide``); the ledger gets rows only when staff accept.  The parse
writes the Notice row last, in one conditional update, so a withdrawal made
meanwhile is recorded at once and the parse, finding it, writes nothing.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import hashlib
import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from rectify_site.input_text import clean_input
from tracking.models import IssueStatement

from . import rules
from .models import Notice, ParseState
from .parsing import NoticeFileError, parse_bytes
from .parsing.extract import ExtractContext, Limits, using_context
from .parsing.extract.budget import LIMIT_MESSAGE

logger = logging.getLogger(__name__)

ACCEPTED_EXTENSIONS = {
    "txt": "txt", "docx": "docx", "pdf": "pdf", "html": "html", "htm": "html", "doc": "doc", "wps": "doc",
    "ofd": "ofd", "jpg": "image", "jpeg": "image", "png": "image", "tif": "image", "tiff": "image",
}
ACCEPTED_LABEL = ("文本（.txt）、Word（.docx/.doc/.wps）、PDF（.pdf，含扫描件）、OFD（.ofd）、网页（.html/.htm）、"
                  "扫描或拍照图片（.jpg/.png/.tif）")
GENERIC_FAILURE = "解析时发生内部错误，已记录，请稍后点击「重新解析」；如仍失败请联系巡察办"
MEMORY_FAILURE = f"{LIMIT_MESSAGE}（解析所需内存超过上限）"


def time_limit_failure() -> str:
    minutes = max(1, round(settings.NOTICE_PARSE_SOFT_TIME_LIMIT / 60))
    return f"{LIMIT_MESSAGE}（解析超过{minutes}分钟仍未完成）。请检查文件后点击「重新解析」，如仍失败请联系巡察办"


def lost_parses_failure(count: int) -> str:
    return (f"{LIMIT_MESSAGE}（解析进程已{count}次异常中断，可能是文件过大或结构异常）。"
            "请检查文件后点击「重新解析」，如仍失败请联系巡察办")


STORAGE_FULL = "服务器存储空间不足，文件未保存，请稍后再试；如持续出现请联系系统管理员"
STORAGE_FAILED = "服务器存储暂时不可用，文件未保存，请稍后再试；如持续出现请联系系统管理员"


class StorageUnavailable(Exception):
    """The upload could not be written (a full disk or another I/O error); nothing of it was kept."""

    def __init__(self, error: OSError):
        super().__init__(str(error))
        self.full = error.errno in (errno.ENOSPC, errno.EDQUOT)
        self.message = STORAGE_FULL if self.full else STORAGE_FAILED


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
    # 「通报\u202excod.pdf」 displays as 「通报fdp.docx」: the name is shown and sent back on download.
    filename = clean_input(filename).replace("\n", " ") or "notice"
    fmt = notice_validate_upload(filename=filename, size=size)
    institution = rules.upload_institution(uploaded_by, institution)
    sha256 = _sha256(content)

    existing = _existing(sha256, uploaded_by, institution)
    if existing is not None:
        return existing, False
    notice = Notice(original_name=filename, sha256=sha256, format=fmt, size=size,
                    uploaded_by=uploaded_by, institution=institution)
    try:
        # The storage removes what it wrote if the write fails (rectify_site/storage.py).
        notice.file.save(filename, content, save=False)
    except OSError as exc:
        logger.error("upload not stored", extra={"sha256": sha256, "size": size, "errno": exc.errno})
        raise StorageUnavailable(exc) from exc
    try:
        with transaction.atomic():
            notice.save()
            transaction.on_commit(lambda: notice_enqueue_parse(notice_id=notice.pk))
    except IntegrityError:
        # The same file arrived twice at once; the other request won.
        notice.file.delete(save=False)
        return _live_copies(sha256, institution).get(), False
    except BaseException:
        notice.file.delete(save=False)  # no row, so no stored file either
        raise
    logger.info("notice stored", extra={"notice_id": notice.pk, "sha256": sha256, "size": size})
    return notice, True


def notice_enqueue_parse(*, notice_id: int) -> None:
    """Publish the parse job; never raises and never waits long: the notice is stored and queued already.

    The publish gets its own connection with short socket timeouts
    (``BROKER_PUBLISH_TIMEOUT``), so a broker that is down answers at once and
    one that accepts connections but never replies costs about that long —
    not the request's whole life.  A lost publish leaves the notice
    「排队中」; ``sweep_stale_notices`` enqueues it again later.
    """
    from rectify_site.celery import app

    from .tasks import parse_notice

    timeout = settings.BROKER_PUBLISH_TIMEOUT
    try:
        with app.connection_for_write(transport_options={
                "socket_timeout": timeout, "socket_connect_timeout": timeout, "max_retries": 0}) as connection:
            parse_notice.apply_async((notice_id,), connection=connection, retry=False)
    except Exception:  # broker down or not answering: the notice stays queued and the sweep retries
        logger.warning("enqueue failed; the sweep will retry", extra={"notice_id": notice_id}, exc_info=True)


def notice_apply_parse(*, notice_id: int, task_id: str = "") -> str:
    """Extract, parse and record the proposal in one transaction; returns the outcome.

    ``task_id`` names this run (the Celery task id).  The notice is taken
    when it is queued, or when it is 「解析中」 but its parse is dead: either
    this very job is being delivered again (the process that had it died:
    killed pool child, visibility timeout, retry), or the parse's heartbeat
    went silent.  A notice parsed meanwhile, or held by a live parse, is
    skipped, so a late redelivery never parses a notice twice.  Every start
    on a dead parse counts in ``lost_parses``; past ``NOTICE_MAX_LOST_PARSES``
    the file fails instead of killing one more process.
    """
    from review.decide import decide_after_parse

    now = timezone.now()
    dead = Q(state=ParseState.PARSING) & parse_is_silent(now)
    if task_id:
        dead |= Q(state=ParseState.PARSING, parse_task_id=task_id)
    claimed = Notice.objects.filter(Q(state=ParseState.QUEUED) | dead, pk=notice_id, withdrawn_at__isnull=True).update(
        state=ParseState.PARSING, state_changed_at=now, heartbeat_at=now, parse_task_id=task_id,
        attempts=F("attempts") + 1, progress_done=0, progress_total=0,
        lost_parses=Case(When(state=ParseState.PARSING, then=F("lost_parses") + 1), default=F("lost_parses"),
                         output_field=Notice._meta.get_field("lost_parses")),
    )
    if not claimed:
        return "skipped"
    notice = Notice.objects.defer("raw_text", "parse_result").get(pk=notice_id)
    if notice.lost_parses >= settings.NOTICE_MAX_LOST_PARSES:
        notice_fail(notice_id=notice_id, message=lost_parses_failure(notice.lost_parses), code="parse_crashed",
                    task_id=task_id)
        return "failed"
    started = time.monotonic()
    try:
        with notice.file.open("rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        notice_fail(notice_id=notice_id, message="原始文件在存储中找不到，请联系系统管理员", code="file_missing",
                    task_id=task_id)
        return "failed"
    try:
        with using_context(_extract_context(notice_id)):
            extracted, parsed = parse_bytes(data, notice.original_name)
    except NoticeFileError as exc:
        if isinstance(exc.__cause__, SoftTimeLimitExceeded):
            raise exc.__cause__  # an extractor took the time limit for a broken file; the task says what it was
        notice_fail(notice_id=notice_id, message=exc.message, code=exc.code, task_id=task_id)
        return "failed"
    del data
    if len(parsed.issues) > settings.NOTICE_MAX_ISSUES:
        notice_fail(notice_id=notice_id, code="too_many_issues", task_id=task_id,
                    message=f"{LIMIT_MESSAGE}（识别出{len(parsed.issues)}个问题，超过每份通报"
                            f"{settings.NOTICE_MAX_ISSUES}个的上限）。请检查文件是否正确，或联系巡察办")
        return "failed"
    try:
        with transaction.atomic():
            review, fixed = decide_after_parse(notice=notice, parsed=parsed)
            fields = _header_fields(extracted, parsed, fixed.result)
            fields["warnings"] += review.pop("warnings", [])
            # Last and conditional: a re-queue, a withdrawal or another run taking over since the claim
            # wins, and nothing above stays.
            written = Notice.objects.filter(
                pk=notice_id, state=ParseState.PARSING, parse_task_id=task_id, withdrawn_at__isnull=True
            ).update(**fields, **review, state=ParseState.PARSED, state_changed_at=timezone.now(),
                     parsed_at=timezone.now(), parse_duration_ms=int((time.monotonic() - started) * 1000),
                     error="", error_code="", lost_parses=0)
            if not written:
                raise _Superseded
    except _Superseded:
        if Notice.objects.filter(pk=notice_id, withdrawn_at__isnull=False).exists():
            notice_clear_withdrawn(notice_id=notice_id)
            return "withdrawn"
        return "skipped"
    return "parsed"


def parse_is_silent(now) -> Q:
    """Parses (state 解析中) whose process has not shown it is alive for ``NOTICE_PARSE_STALE_SECONDS``."""
    cut = now - dt.timedelta(seconds=settings.NOTICE_PARSE_STALE_SECONDS)
    return Q(heartbeat_at__lt=cut) | Q(heartbeat_at__isnull=True, state_changed_at__lt=cut)


def notice_heartbeat(*, notice_id: int, task_id: str) -> bool:
    """The running parse ``task_id`` is alive; ``False`` once it no longer holds the notice."""
    return bool(Notice.objects.filter(pk=notice_id, state=ParseState.PARSING, parse_task_id=task_id).update(
        heartbeat_at=timezone.now()))


def notice_release(*, notice_id: int, task_id: str) -> None:
    """Give the notice back to the queue (a transient error: the job retries), so the retry is no lost parse."""
    Notice.objects.filter(pk=notice_id, state=ParseState.PARSING, parse_task_id=task_id).update(
        state=ParseState.QUEUED, state_changed_at=timezone.now())


class _Superseded(Exception):
    """The notice was re-queued or withdrawn while this parse ran."""


def notice_fail(*, notice_id: int, message: str, code: str, task_id: str | None = None) -> None:
    """Record a failure; with ``task_id`` only while that run still holds the notice (not one superseded)."""
    notices = Notice.objects.filter(pk=notice_id)
    if task_id is not None:
        notices = notices.filter(state=ParseState.PARSING, parse_task_id=task_id)
    notices.update(state=ParseState.FAILED, state_changed_at=timezone.now(), error=message, error_code=code[:40])


def notice_request_reparse(*, notice: Notice, requested_by=None) -> None:
    """Queue ``notice`` for another parse through the same task; its old result stays until replaced."""
    if requested_by is not None and not rules.can_reparse(requested_by, notice):
        raise PermissionDenied("无权重新解析该通报")
    if notice.is_withdrawn:
        raise ValidationError("已撤回的通报不能重新解析")
    with transaction.atomic():
        Notice.objects.filter(pk=notice.pk).update(
            state=ParseState.QUEUED, state_changed_at=timezone.now(), error="", error_code="", lost_parses=0
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
    """Soft delete: the file stays; every row the notice put in the ledger goes, and its file is freed.

    Recorded at once even while a parse runs: one conditional update that a
    parse never holds up (the parse writes the notice last).  A notice still
    queued or parsing becomes 「已取消」, and the running parse, finding it
    withdrawn, writes nothing and takes out what an earlier acceptance wrote.
    """
    from review import history

    reason = clean_input(reason or "")

    if not rules.can_withdraw(withdrawn_by, notice):
        raise PermissionDenied("无权撤回该通报")
    if rules.is_public(notice):
        raise ValidationError("该通报正在公开期内，不能撤回；请先由工作人员撤下公开")
    now = timezone.now()
    running = [ParseState.QUEUED, ParseState.PARSING]
    with transaction.atomic():
        changed = Notice.objects.filter(pk=notice.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawn_by=withdrawn_by, withdraw_reason=reason,
            state=Case(When(state__in=running, then=Value(ParseState.CANCELLED)), default=F("state")),
            state_changed_at=Case(When(state__in=running, then=Value(now)), default=F("state_changed_at")),
        )
        if changed:
            history.record(notice, field="withdrawn_at", old="", new=f"{timezone.localtime(now):%Y-%m-%d %H:%M}",
                           actor=withdrawn_by, reason=reason or "撤回")
            # Other formats of the same notice go with it.
            Notice.objects.filter(duplicate_of=notice, withdrawn_at__isnull=True).update(
                withdrawn_at=now, withdrawn_by=withdrawn_by, withdraw_reason="随原通报撤回")
    if changed:
        # A parse may still hold rows of this notice: then do not wait for it, it clears them itself.
        parsing = Notice.objects.filter(pk=notice.pk, state=ParseState.CANCELLED).exists()
        notice_clear_withdrawn(notice_id=notice.pk, wait_ms=50 if parsing else 5000)
    notice.refresh_from_db()
    logger.info("notice withdrawn", extra={"notice_id": notice.pk, "by": getattr(withdrawn_by, "pk", None)})


def notice_clear_withdrawn(*, notice_id: int, wait_ms: int | None = None) -> bool:
    """Take a withdrawn notice's rows out of the ledger; ``False`` when there were none or they were busy.

    With ``wait_ms`` it gives up rather than wait longer for rows a running
    parse holds: that parse finds the withdrawal and calls this again, and
    the sweep (``notices_clear_withdrawn``) catches a parse that died.
    """
    from review import ledger

    try:
        with transaction.atomic():
            _lock_timeout(wait_ms)
            notice = Notice.objects.select_for_update().defer("raw_text", "parse_result").filter(
                pk=notice_id, withdrawn_at__isnull=False).first()
            if notice is None or (not notice.inspection_id
                                  and not IssueStatement.objects.filter(notice=notice).exists()):
                return False
            Notice.objects.filter(pk=notice_id).update(**ledger.take_out(notice))
    except OperationalError:
        if wait_ms is None:
            raise
        logger.info("withdrawn notice's rows are busy; the parse or the sweep clears them",
                    extra={"notice_id": notice_id})
        return False
    return True


def _lock_timeout(ms: int | None) -> None:
    if ms is not None and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{int(ms)}ms'")


def notices_clear_withdrawn() -> int:
    """Withdrawn notices whose rows are still in the ledger (their parse died while withdrawn)."""
    leftover = Notice.objects.filter(withdrawn_at__isnull=False, statements__isnull=False).values_list(
        "pk", flat=True).distinct()
    return sum(notice_clear_withdrawn(notice_id=pk) for pk in list(leftover))


def _extract_context(notice_id: int) -> ExtractContext:
    """Limits from settings, and OCR progress written straight to the row (outside any transaction)."""

    def progress(done: int, total: int) -> None:
        Notice.objects.filter(pk=notice_id).update(progress_done=done, progress_total=total)

    limits = Limits(max_ocr_pages=settings.NOTICE_OCR_MAX_PAGES, max_pixels=settings.NOTICE_OCR_MAX_PIXELS,
                    max_pages=settings.NOTICE_MAX_PAGES, max_chars=settings.NOTICE_MAX_CHARS,
                    convert_memory_mb=settings.NOTICE_CONVERT_MEMORY_MB)
    return ExtractContext(limits=limits, progress=progress)


def _header_fields(extracted, parsed, corrected) -> dict:
    """The text and the raw proposal (``parse_result``), and the header as staff corrected it."""
    return notice_fields_from(corrected) | {
        "raw_text": extracted.text, "text_encoding": extracted.encoding or "", "format": extracted.format,
        "text_source": extracted.text_source, "ocr_confidence": extracted.ocr_confidence,
        "parser_version": parsed.parser_version, "parse_result": parsed.to_dict(),
        "confidence": parsed.confidence, "review_reasons": list(parsed.review_reasons),
        "warnings": [{"code": "extraction", "message": w} for w in extracted.warnings]
        + [dataclasses.asdict(w) for w in parsed.warnings],
    }


def notice_fields_from(corrected) -> dict:
    """What the notice says about itself (after corrections), as Notice fields for an ``update()``.

    A 公开期限 staff set by hand on the disclosure page is kept, decided in the
    update itself so a window set while a parse ran is not overwritten.
    """
    def unless_staff_set(field, value):
        return Case(When(disclosure_set_by_staff=True, then=F(field)), default=Value(value),
                    output_field=Notice._meta.get_field(field))

    return {
        "title": corrected.title, "published_on": corrected.published_date,
        "disclosure_start": unless_staff_set("disclosure_start", corrected.disclosure_start),
        "disclosure_end": unless_staff_set("disclosure_end", corrected.disclosure_end),
        "disclosure_text": unless_staff_set("disclosure_text", corrected.disclosure_text[:200]),
        "contacts": dataclasses.asdict(corrected.contacts), "declared": dataclasses.asdict(corrected.declared),
        "statistics": [dataclasses.asdict(s) for s in corrected.statistics], "next_steps": corrected.next_steps,
    }


def _existing(sha256: str, user, institution) -> Notice | None:
    """The live notice of these bytes that the uploader may see, if any.

    One the uploader may not see (another hospital's) is never mentioned:
    the upload becomes a notice of the uploader's own, and review sorts out
    which hospital the text belongs to.
    """
    mine = _live_copies(sha256, institution) if institution is not None else Notice.objects.live().filter(
        sha256=sha256)
    return mine.visible_to(user).order_by("pk").first()


def _live_copies(sha256: str, institution):
    return Notice.objects.live().filter(sha256=sha256, institution=institution)


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
