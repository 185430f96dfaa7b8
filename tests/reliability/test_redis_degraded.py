"""Redis down or frozen costs speed, never an answer: charts, public comments, uploads and /healthz.

Each case runs against a real failure — a port where nothing listens
("down") and a server that accepts the connection and never replies
("frozen", as a Redis stopped with SIGSTOP looks to its clients) — with the
site's real cache backend and publish path.  Time bounds are generous (the
point is "answers", not a benchmark): without the socket timeouts the frozen
cases would hang until the test runner gave up.
"""
import datetime as dt
import logging
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from disclosure.models import PublicComment
from disclosure.window import local_today
from notices import heartbeat
from notices.models import Notice, WorkerHeartbeat
from rectify_site.cache import reset_breakers
from tests.disclosure.factories import make_notice

from . import corpus
from .redis_faults import failing_redis, publishing_to

pytestmark = pytest.mark.django_db

BOUND_S = 5.0
FAILURES = ["down", "frozen"]


@pytest.fixture(params=FAILURES)
def broken_redis(request):
    with failing_redis(request.param) as url:
        yield url


@pytest.fixture
def broken_cache(settings, broken_redis):
    """The site's cache, as configured for production, pointed at the broken Redis."""
    settings.CACHES = {"default": {"BACKEND": "rectify_site.cache.ResilientRedisCache", "LOCATION": broken_redis,
                                   "OPTIONS": {"SOCKET_TIMEOUT": 0.5, "RETRY_AFTER": 10}}}
    reset_breakers()
    yield broken_redis
    reset_breakers()


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


# --- charts (cached in Redis) ------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/progress/", "/progress/dashboard/"])
def test_the_progress_pages_answer_without_redis_computing_the_charts(broken_cache, login, staff, path, caplog):
    client = login(staff)
    with caplog.at_level(logging.WARNING, logger="rectify_site.cache"):
        response, elapsed = _timed(lambda: client.get(path))
    assert response.status_code == 200
    assert elapsed < BOUND_S
    # The cache really was asked and really failed (this is not a page that never touches it).
    assert any(r.getMessage().startswith("cache unavailable") for r in caplog.records)
    # A second view in the same process does not wait on Redis again.
    response, again = _timed(lambda: client.get(path))
    assert response.status_code == 200 and again < BOUND_S


# --- public comments (rate limit counted in Redis) ---------------------------------------------
@pytest.fixture
def open_notice(hospital_a):
    today = local_today()
    return make_notice(institution=hospital_a, start=today - dt.timedelta(days=1), end=today + dt.timedelta(days=20))


def _comment(notice, text, address):
    return Client().post(reverse("disclosure:comment", args=[notice.pk]), {"text": text}, REMOTE_ADDR=address)


def test_a_comment_is_taken_without_redis_and_the_rate_limit_still_holds(broken_cache, open_notice, settings):
    settings.DISCLOSURE_COMMENT_RATE = (5, 600)
    answers = []
    started = time.monotonic()
    for n in range(6):
        answers.append(_comment(open_notice, f"意见{n}", "198.51.100.7").status_code)
    assert time.monotonic() - started < BOUND_S
    # Never unlimited, never a 500: five pass, the sixth is refused in Chinese as with Redis up.
    assert answers == [302] * 5 + [429]
    assert PublicComment.objects.count() == 5
    refused = _comment(open_notice, "再来一条", "198.51.100.7")
    assert refused.status_code == 429 and "提交过于频繁" in refused.content.decode()
    # The limit is per sender, not a lock on everyone.
    assert _comment(open_notice, "别人的意见", "203.0.113.10").status_code == 302


# --- uploads (the parse job is published to Redis) ---------------------------------------------
@pytest.mark.parametrize("via", ["api", "page"])
def test_an_upload_answers_at_once_stored_and_queued_when_publishing_fails(
        broken_redis, via, login, hospital_a_clerk, django_capture_on_commit_callbacks, caplog, settings, tmp_path):
    # Its own media directory: other tests look for the files of these very bytes in the shared one.
    settings.MEDIA_ROOT = tmp_path
    client = login(hospital_a_clerk)
    data = corpus.NOTICE.encode()
    with publishing_to(broken_redis), django_capture_on_commit_callbacks(execute=True):
        if via == "api":
            response, elapsed = _timed(lambda: client.post(
                "/api/notices/", {"file": SimpleUploadedFile("通报.txt", data)}))
        else:
            response, elapsed = _timed(lambda: client.post(
                "/notices/", {"files": [SimpleUploadedFile("通报.txt", data)]}))
    assert elapsed < BOUND_S
    assert response.status_code == (202 if via == "api" else 302), response.content[:500]
    notice = Notice.objects.get()
    assert notice.state == "queued"  # the sweep enqueues it once the broker answers again
    with notice.file.open("rb") as stored:
        assert stored.read() == data
    assert (tmp_path / notice.file.name).is_file()
    assert any(r.getMessage().startswith("enqueue failed") for r in caplog.records)


# --- /healthz -----------------------------------------------------------------------------------
@pytest.fixture
def tasks_on_a_worker():
    """As in production: jobs go to a worker (so /healthz asks for its heartbeat)."""
    from rectify_site.celery import app

    saved = app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = saved


def test_healthz_reports_every_dependency_and_200_when_all_are_up(settings):
    settings.REDIS_URL = ""  # the embedded mode: no Redis to ask
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "worker", "disk"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_is_503_naming_redis_when_redis_is_down_or_frozen(settings, broken_redis):
    settings.REDIS_URL = broken_redis
    response, elapsed = _timed(lambda: Client().get("/healthz"))
    assert elapsed < BOUND_S
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down" and body["checks"]["redis"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_healthz_is_503_when_no_worker_has_beaten_recently(settings, tasks_on_a_worker):
    settings.REDIS_URL = ""
    settings.WORKER_HEARTBEAT_SECONDS = 30
    none = Client().get("/healthz")
    assert none.status_code == 503
    assert (none.json()["checks"]["worker"]["ok"], none.json()["checks"]["worker"]["last_seen"]) == (False, None)

    heartbeat.beat("celery@host-1")
    fresh = Client().get("/healthz")
    assert fresh.status_code == 200 and fresh.json()["checks"]["worker"]["ok"] is True

    # Silent for more than three beats: down.
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - dt.timedelta(seconds=91))
    stale = Client().get("/healthz")
    assert stale.status_code == 503 and stale.json()["checks"]["worker"]["age_s"] >= 91


def test_healthz_is_503_when_the_upload_disk_is_nearly_full(settings):
    settings.REDIS_URL = ""
    settings.HEALTHZ_MIN_FREE_MB = 10**12  # more than any disk has free
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["disk"]["ok"] is False


def test_the_worker_heartbeat_thread_records_the_worker_while_it_runs(settings, transactional_db):
    from types import SimpleNamespace

    settings.WORKER_HEARTBEAT_SECONDS = 0.05
    heartbeat._start(sender=SimpleNamespace(hostname="celery@test-beater"))
    try:
        first = _wait(lambda: WorkerHeartbeat.objects.filter(worker="celery@test-beater").first())
        later = _wait(lambda: WorkerHeartbeat.objects.filter(worker="celery@test-beater",
                                                             seen_at__gt=first.seen_at).first())
        assert later.seen_at > first.seen_at and heartbeat.is_alive()
    finally:
        heartbeat._stop()
        heartbeat._beater.join(timeout=5)
    assert not heartbeat._beater.is_alive()


def _wait(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    pytest.fail("condition not met")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_healthz_sees_the_real_workers_heartbeat_and_redis(role_groups, real_queue, redis_url, settings):
    """A real ``celery worker`` (started by the fixture on this database) records its heartbeat."""
    settings.REDIS_URL = redis_url
    _wait(lambda: heartbeat.last_seen(), timeout=heartbeat.interval().total_seconds() + 15)
    response = Client().get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["redis"] == {"ok": True, "configured": True, "ms": body["checks"]["redis"]["ms"]}
    assert body["checks"]["worker"]["ok"] is True and body["checks"]["worker"]["age_s"] <= 45
