"""Celery tasks: thin wrappers that take an id, call a service and record the outcome.

Only transient errors (database or broker unreachable) are retried; a bad
file fails once inside ``notice_apply_parse`` with its Chinese message, and
any other exception fails the notice with a generic message and a logged
traceback, so no job ends without a visible state.
"""
import datetime as dt
import logging
import time

from celery import shared_task
from django.db import InterfaceError, OperationalError
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
# No parse takes this long; the worker holding it died or gave up retrying.
STALE_PARSING = dt.timedelta(minutes=30)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=TRANSIENT_ERRORS,
             retry_backoff=5, retry_backoff_max=300, retry_jitter=True, max_retries=6)
def parse_notice(self, notice_id: int) -> str:
    started = time.monotonic()
    try:
        outcome = services.notice_apply_parse(notice_id=notice_id)
    except TRANSIENT_ERRORS:
        if self.request.retries >= self.max_retries:
            # Out of retries: show it rather than leave it 「解析中」 (without a beat there is no sweep).
            _fail_quietly(notice_id, TRANSIENT_FAILURE, "transient")
            _log(notice_id, started, "failed", attempt=self.request.retries)
        else:
            _log(notice_id, started, "retry", attempt=self.request.retries)
        raise
    except Exception:
        logger.exception("parse crashed", extra={"notice_id": notice_id})
        services.notice_fail(notice_id=notice_id, message=services.GENERIC_FAILURE, code="internal_error")
        outcome = "failed"
    _log(notice_id, started, outcome)
    return outcome


@shared_task(acks_late=True)
def sweep_stale_notices() -> int:
    """Re-enqueue notices whose job was lost; fail those that never finish; clear withdrawn leftovers."""
    services.notices_clear_withdrawn()
    now = timezone.now()
    stale = Notice.objects.active().filter(state=ParseState.QUEUED, state_changed_at__lt=now - STALE_QUEUED) | (
        Notice.objects.active().filter(state=ParseState.PARSING, state_changed_at__lt=now - STALE_PARSING)
    )
    count = 0
    for notice in stale.order_by("pk"):
        if notice.attempts >= MAX_ATTEMPTS:
            services.notice_fail(notice_id=notice.pk, code="gave_up",
                                 message=f"已尝试解析{notice.attempts}次仍未完成，请联系巡察办检查解析服务")
            continue
        # Bump the clock so the next sweep waits a full interval before trying again.
        if Notice.objects.filter(pk=notice.pk, state=notice.state).update(
            state=ParseState.QUEUED, state_changed_at=now
        ):
            services.notice_enqueue_parse(notice_id=notice.pk)
            count += 1
    if count:
        logger.info("re-enqueued stale notices", extra={"count": count})
    return count


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
