"""Fixtures for tests that need the real services.

They skip with the reason on a bare machine; ``.ci/run`` sets
``RECTIFY_FORBID_SKIPS=1`` so a skip there fails the run.  ``celery_worker``
starts a separate ``celery worker`` process on the test database, so a test
that uses it proves a task travelled through Redis to another process.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _redis_ok(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set (CI sets it; run .ci/run for the service tests)")
    if not _redis_ok(url):
        pytest.skip(f"Redis at {url} does not answer")
    return url


@pytest.fixture(scope="session")
def require_postgres(django_db_setup, django_db_blocker):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL; .ci/run does)")
    return connection.settings_dict


@pytest.fixture(scope="session")
def celery_worker(require_postgres, redis_url, tmp_path_factory):
    """A real ``celery worker`` process on the test database, fed through Redis.

    Tests using it need ``transactional_db`` (the worker only sees committed
    rows) and must enqueue for real: they use the ``real_queue`` fixture.

    """
    import redis

    from rectify_site.celery import app

    db = require_postgres
    user = f"{db['USER']}@" if db.get("USER") else ""
    database_url = f"postgres://{user}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    redis.Redis.from_url(redis_url).delete(app.conf.task_default_queue)  # nothing left from an earlier run
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    from django.conf import settings

    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "CELERY_EAGER": "0",
           "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "rectify_site", "worker", "--pool=prefork", "--concurrency=1",
             "--loglevel=INFO", "-Q", app.conf.task_default_queue, "-n", f"test-{os.getpid()}@%h"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"celery worker exited: {log.read_text(errors='replace')[-2000:]}")
        if b"ready." in log.read_bytes():
            break
        time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail(f"celery worker did not start: {log.read_text(errors='replace')[-2000:]}")
    proc.log_path = log
    yield proc
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture
def real_queue(celery_worker):
    """Send tasks through Redis to the worker instead of running them in-process."""
    from rectify_site.celery import app

    app.conf.CELERY_TASK_ALWAYS_EAGER = False  # namespaced, see tests/conftest.py
    yield celery_worker
    app.conf.CELERY_TASK_ALWAYS_EAGER = True


def wait_for(predicate, timeout=30.0, interval=0.1):
    """Poll ``predicate`` until it returns truthy; return its value or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout}s")
