"""What ``/healthz`` checks: the database, Redis, the parse worker and the upload disk.

Each check answers ``{"ok": bool, ...}`` within about a second, whatever the
dependency does (Redis gets its own short timeouts; the database is asked one
trivial query).  Errors are named by type only: the endpoint is public.
"""
import shutil
import time

from django.conf import settings
from django.db import connection
from django.utils import timezone


def _timed(check):
    started = time.monotonic()
    try:
        result = check()
    except Exception as exc:  # a check reports, it never raises
        result = {"ok": False, "error": type(exc).__name__}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def redis() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "configured": False}  # the embedded mode: no queue, no shared cache
    import redis as redis_lib

    timeout = max(settings.REDIS_SOCKET_TIMEOUT, 0.5)
    client = redis_lib.Redis.from_url(settings.REDIS_URL, socket_timeout=timeout, socket_connect_timeout=timeout,
                                      retry_on_timeout=False)
    try:
        client.ping()
    finally:
        client.close()
    return {"ok": True, "configured": True}


def worker() -> dict:
    from notices import heartbeat
    from rectify_site.celery import app

    if app.conf.task_always_eager:
        return {"ok": True, "mode": "in-process"}  # tasks run inside the web process; there is no worker
    seen = heartbeat.last_seen()
    if seen is None:
        return {"ok": False, "last_seen": None}
    age = (timezone.now() - seen).total_seconds()
    return {"ok": age <= heartbeat.stale_after().total_seconds(), "last_seen": seen.isoformat(),
            "age_s": round(age)}


def disk() -> dict:
    usage = shutil.disk_usage(settings.MEDIA_ROOT)
    free_mb = usage.free // (1024 * 1024)
    return {"ok": free_mb >= settings.HEALTHZ_MIN_FREE_MB, "free_mb": free_mb,
            "min_free_mb": settings.HEALTHZ_MIN_FREE_MB}


CHECKS = {"database": database, "redis": redis, "worker": worker, "disk": disk}


def report() -> tuple[bool, dict]:
    checks = {name: _timed(check) for name, check in CHECKS.items()}
    ok = all(c["ok"] for c in checks.values())
    return ok, {"status": "ok" if ok else "down", "checks": checks}
