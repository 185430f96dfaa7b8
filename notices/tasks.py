"""Celery tasks: thin wrappers that take an id, call a service and record the outcome.

Only transient errors (database or broker unreachable) are retried; a bad
file fails once inside ``notice_apply_parse`` with its Chinese message, and
any other exception fails the notice with a generic message and a logged
traceback, so no job ends without a visible state.

Every parse runs inside hard limits (issue 13): the pool process's address
space is capped (``rectify_site.celery``), so a parse that needs too much
memory gets a ``MemoryError``; Celery's soft time limit raises
``SoftTimeLimitExceeded``; both fail the notice once with a Chinese message.
A process killed outright (OOM, hard time limit, SIGKILL) cannot say anything:
a heartbeat thread shows the parse is alive, and ``sweep_stale_notices``
retakes a parse whose heartbeat went silent; the next start counts it as a
lost parse, and a file that keeps killing its process fails after a few.
"""
import datetime as dt
import logging
import threading
import time
from contextlib import contextmanager

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from . import services
from .models import Notice, ParseState

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerError, RedisConnectionError, RedisTimeoutError)
MAX_ATTEMPTS = 8
TRANSIENT_FAILURE = "数据库或队列暂时不可用，多次重试后仍未完成解析，请稍后点击「重新解析」"
# Queued longer than this means the enqueue was lost (broker down at upload time).
STALE_QUEUED = dt.timedelta(minutes=5)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=TRANSIENT_ERRORS,
             retry_backoff=5, retry_backoff_max=300, retry_jitter=True, max_retries=6,
             soft_time_limit=settings.NOTICE_PARSE_SOFT_TIME_LIMIT, time_limit=settings.NOTICE_PARSE_TIME_LIMIT)
def parse_notice(self, notice_id: int) -> str:
    started = time.monotonic()
    task_id = self.request.id or ""
    try:
        with _heartbeat(notice_id, task_id, enabled=not self.request.is_eager):
            outcome = services.notice_apply_parse(notice_id=notice_id, task_id=task_id)
    except TRANSIENT_ERRORS:
        if self.request.retries >= self.max_retries:
            # Out of retries: show it rather than leave it 「解析中」 (without a beat there is no sweep).
            _fail_quietly(notice_id, TRANSIENT_FAILURE, "transient")
            _log(notice_id, started, "failed", attempt=self.request.retries, error_code="transient")
        else:
            _release_quietly(notice_id, task_id)
            _log(notice_id, started, "retry", attempt=self.request.retries)
        raise
    except SoftTimeLimitExceeded:
        services.notice_fail(notice_id=notice_id, message=services.time_limit_failure(), code="time_limit",
                             task_id=task_id)
        _log(notice_id, started, "failed", error_code="time_limit")
        return "failed"
    except MemoryError:
        # Past the pool process's memory cap; what the parse held is freed by now.
        services.notice_fail(notice_id=notice_id, message=services.MEMORY_FAILURE, code="memory_limit",
                             task_id=task_id)
        _log(notice_id, started, "failed", error_code="memory_limit")
        return "failed"
    except Exception:
        logger.exception("parse crashed", extra={"notice_id": notice_id})
        services.notice_fail(notice_id=notice_id, message=services.GENERIC_FAILURE, code="internal_error",
                             task_id=task_id)
        outcome = "failed"
    _log(notice_id, started, outcome)
    return outcome


@contextmanager
def _heartbeat(notice_id: int, task_id: str, *, enabled: bool = True):
    """While the body runs, a thread bumps the notice's ``heartbeat_at`` every few seconds.

    The thread runs between the parse's bytecodes (and while it waits on C
    code or LibreOffice), so it stops only when the process dies, which is
    what the sweep needs to know.  Not in eager mode: there the parse runs in
    the web process, no sweep waits on it, and SQLite would see two writers.
    """
    if not enabled:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.NOTICE_PARSE_HEARTBEAT_SECONDS):
                try:
                    services.notice_heartbeat(notice_id=notice_id, task_id=task_id)
                except TRANSIENT_ERRORS:
                    close_old_connections()  # try again with a fresh connection next time
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-{notice_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


@shared_task(acks_late=True)
def sweep_stale_notices() -> int:
    """Re-enqueue notices whose job was lost or whose parse went silent; fail those that never finish.

    Also clears what withdrawn notices left: their ledger rows, and a
    「解析中」/「排队中」 state no parse will ever end.
    """
    services.notices_clear_withdrawn()
    now = timezone.now()
    silent = services.parse_is_silent(now)
    Notice.objects.filter(withdrawn_at__isnull=False, state__in=[ParseState.QUEUED, ParseState.PARSING]).filter(
        silent | Q(state=ParseState.QUEUED)).update(state=ParseState.CANCELLED, state_changed_at=now)
    stale = Notice.objects.active().filter(state=ParseState.QUEUED, state_changed_at__lt=now - STALE_QUEUED) | (
        Notice.objects.active().filter(silent, state=ParseState.PARSING)
    )
    soft_limit = dt.timedelta(seconds=settings.NOTICE_PARSE_SOFT_TIME_LIMIT)
    count = 0
    for notice in stale.order_by("pk"):
        if notice.attempts >= MAX_ATTEMPTS:
            services.notice_fail(notice_id=notice.pk, code="gave_up",
                                 message=f"已尝试解析{notice.attempts}次仍未完成，请联系巡察办检查解析服务")
            continue
        lost = notice.state == ParseState.PARSING
        if lost and notice.heartbeat_at and notice.heartbeat_at - notice.state_changed_at >= soft_limit:
            # It beat until the hard time limit killed it: another run would only take as long again.
            services.notice_fail(notice_id=notice.pk, message=services.time_limit_failure(), code="time_limit",
                                 task_id=notice.parse_task_id)
            continue
        # Conditional on nothing having moved since it was read; the clock is bumped so the next sweep
        # waits a full interval before trying again.
        if Notice.objects.filter(pk=notice.pk, state=notice.state, heartbeat_at=notice.heartbeat_at,
                                 parse_task_id=notice.parse_task_id).update(
            state=ParseState.QUEUED, state_changed_at=now, lost_parses=F("lost_parses") + int(lost)
        ):
            services.notice_enqueue_parse(notice_id=notice.pk)
            count += 1
    if count:
        logger.info("re-enqueued stale notices", extra={"count": count})
    return count


def _release_quietly(notice_id: int, task_id: str) -> None:
    try:
        services.notice_release(notice_id=notice_id, task_id=task_id)
    except TRANSIENT_ERRORS:  # the retry then counts this run as lost; harmless below the cap
        logger.warning("could not release the notice for its retry", extra={"notice_id": notice_id})


def _fail_quietly(notice_id: int, message: str, code: str) -> None:
    try:
        services.notice_fail(notice_id=notice_id, message=message, code=code)
    except TRANSIENT_ERRORS:  # the database is still away; the sweep finds it stuck in parsing
        logger.warning("could not record the failure", extra={"notice_id": notice_id})


def _log(notice_id: int, started: float, outcome: str, **extra) -> None:
    logger.info(
        "parse_notice",
        extra={"notice_id": notice_id, "outcome": outcome,
               "duration_ms": int((time.monotonic() - started) * 1000), **extra},
    )
