"""The Celery app.

With ``REDIS_URL`` set, Redis is the broker and tasks go to real workers.
Without it (the embedded default for ``make run`` and plain ``make test``)
tasks run in-process, eagerly, so the application works with no services.

Two worker-side hooks live here:

- each pool process caps its own address space (``RECTIFY_WORKER_MEMORY_MB``)
  before it runs a task, so one hostile upload ends in a ``MemoryError`` (the
  notice fails with its message) or, at worst, that one process dying — never
  the machine swapping until everything else times out;
- the worker logs through the project's ``LOGGING`` (one JSON line per
  record, as the web process does) instead of Celery's own text format;
  its level is ``LOG_LEVEL``, not ``celery worker --loglevel``.
"""
import logging
import logging.config
import os
import resource

from celery import Celery
from celery.signals import setup_logging, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectify_site.settings")

app = Celery("rectify_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


@setup_logging.connect
def _use_project_logging(**kwargs) -> None:
    """Connected at all, this signal stops Celery from installing its own handlers and format."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@worker_process_init.connect
def _cap_memory(**kwargs) -> None:
    from django.conf import settings

    limit_memory(settings.RECTIFY_WORKER_MEMORY_MB)


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space (soft limit; the hard one stays, so a child may set its own)."""
    if megabytes <= 0:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    logger.info("pool process memory capped", extra={"pid": os.getpid(), "memory_mb": cap // 1048576})
