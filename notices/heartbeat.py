"""Is a parse worker alive?  Each ``celery worker`` writes a heartbeat row every ~30 s.

The mark lives in the database, not in Redis, so ``/healthz`` can tell "the
worker is gone" apart from "Redis is gone".  It says whether a worker
process lives, not whether a given parse does: a killed pool child leaves its
worker beating, so the sweep that retakes dead parses reads each notice's own
``heartbeat_at`` (``notices.tasks``) instead.  A daemon thread in the worker's main process
writes it (started on ``worker_ready``, stopped on ``worker_shutdown``): it
keeps beating while the pool children parse, and stops when the worker
process dies, which is what "down" means here.
"""
import datetime as dt
import logging
import socket
import threading

from celery import signals
from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Max
from django.utils import timezone

logger = logging.getLogger(__name__)

# A worker silent for this many beats is taken for dead.
STALE_BEATS = 3


def interval() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WORKER_HEARTBEAT_SECONDS)


def stale_after() -> dt.timedelta:
    return interval() * STALE_BEATS


def beat(worker: str) -> None:
    """Record that ``worker`` is alive now."""
    from .models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(worker=worker[:200], defaults={"seen_at": timezone.now()})


def last_seen() -> dt.datetime | None:
    """When any worker last beat, or None if none ever did."""
    from .models import WorkerHeartbeat

    return WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]


def is_alive(now: dt.datetime | None = None) -> bool:
    seen = last_seen()
    return seen is not None and (now or timezone.now()) - seen <= stale_after()


class _Beater(threading.Thread):
    def __init__(self, worker: str):
        super().__init__(name="rectify-heartbeat", daemon=True)
        self.worker = worker
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            try:
                close_old_connections()
                beat(self.worker)
            except Exception:  # the database is away: try again next beat, never kill the worker
                logger.warning("heartbeat not recorded", extra={"worker": self.worker}, exc_info=True)
            self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS)
        connection.close()


_beater: _Beater | None = None


@signals.worker_ready.connect
def _start(sender=None, **kwargs):
    global _beater
    name = getattr(sender, "hostname", None) or socket.gethostname()
    _beater = _Beater(name)
    _beater.start()


@signals.worker_shutdown.connect
def _stop(**kwargs):
    if _beater is not None:
        _beater.stopped.set()
