"""Faults with the real services: Redis down at upload, a worker killed mid-parse, a database error mid-save.

The worker tests run against PostgreSQL, Redis and real ``celery worker``
processes (CI forbids their skip); nothing inside the worker is patched.
"""
import hashlib
import json
import os
import re
import signal
import time
import uuid
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.utils import timezone

from notices.models import Notice
from notices.services import notice_create, notice_request_reparse
from notices.tasks import STALE_QUEUED, parse_notice, sweep_stale_notices
from tests.review_support import accept
from tests.services import wait_for
from tracking.models import FeedbackIssue, Inspection, IssueStatement, Measure, StatusChange

from . import corpus, workers


# Big enough that its parse (mostly writing the rows) lasts long enough to be caught mid-way.
BIG = 300
DEAD_BROKER = "redis://127.0.0.1:6390/0"  # nothing listens there


@contextmanager
def broker_unreachable():
    """This process publishes to a port where nothing listens; the worker keeps its own (working) broker."""
    from rectify_site.celery import app

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None

    saved = app.conf.broker_write_url
    app.conf.broker_write_url = DEAD_BROKER
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_write_url = saved
        reset_pools()


def _post(client, name, data):
    return client.post("/api/notices/", {"file": SimpleUploadedFile(name, data)})


def _rows_of(notice):
    return IssueStatement.objects.filter(notice=notice).count(), Measure.objects.filter(notice=notice).count()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_an_upload_while_redis_is_down_is_stored_queued_and_parsed_by_the_sweep_once_redis_is_back(
        role_groups, real_queue, login, hospital_a_clerk, caplog):
    data = corpus.NOTICE.encode()
    client = login(hospital_a_clerk)
    with broker_unreachable():
        response = _post(client, "通报.txt", data)

    assert response.status_code == 202, response.content
    notice = Notice.objects.get(pk=response.json()["id"])
    assert notice.state == "queued"
    with notice.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == notice.sha256
    assert "排队中" in client.get(f"/notices/{notice.pk}/").content.decode()
    assert any(r.getMessage().startswith("enqueue failed") for r in caplog.records)

    # Nothing reached Redis, so nothing happens by itself; the sweep only takes notices queued for a while.
    assert sweep_stale_notices.apply().get() == 0
    Notice.objects.filter(pk=notice.pk).update(state_changed_at=timezone.now() - STALE_QUEUED * 2)
    sweep_stale_notices.delay()  # through Redis to the worker, as celery beat sends it
    wait_for(lambda: Notice.objects.get(pk=notice.pk).state == "parsed", timeout=120)
    accept(notice)
    assert _rows_of(notice)[0] == 12


def test_the_sweep_is_on_the_beat_schedule(settings):
    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks["notices.tasks.sweep_stale_notices"] <= STALE_QUEUED.total_seconds()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_pool_process_killed_mid_parse_has_its_job_redelivered_and_parsed_exactly_once(
        role_groups, real_queue, login, hospital_a_clerk):
    response = _post(login(hospital_a_clerk), "大通报.txt", corpus.synthetic_notice(BIG).encode())
    assert response.status_code == 202
    pk = response.json()["id"]
    log_before = real_queue.log_path.stat().st_size

    wait_for(lambda: Notice.objects.get(pk=pk).state == "parsing", timeout=120, interval=0.02)
    [child] = workers.children(real_queue.pid)
    os.kill(child, signal.SIGKILL)

    notice = wait_for(lambda: Notice.objects.filter(pk=pk, state="parsed").first(), timeout=300)
    assert notice.attempts == 2  # the killed attempt and the redelivered one
    accept(notice)
    assert FeedbackIssue.objects.filter(inspection=notice.inspection).count() == BIG
    assert _rows_of(notice) == (BIG, 2 * BIG)
    assert StatusChange.objects.filter(issue__inspection=notice.inspection).count() == BIG
    assert b"WorkerLostError" in real_queue.log_path.read_bytes()[log_before:]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_outright_has_its_notice_retaken_by_the_sweep_and_parsed_once(
        role_groups, real_queue, require_postgres, redis_url, hospital_a_clerk, tmp_path, monkeypatch):
    """Production visibility timeout (the killed job stays in Redis for 20 min); the heartbeat sweep retakes it.

    Shortened for the test, in the workers' environment only: the heartbeat (1 s), the silence after which
    the sweep retakes a parse (5 s instead of 120 s) and the sweep's period (the test sends it every 2 s,
    as celery beat does every 120 s). With the production values the retake comes within 4 minutes.
    """
    from django.conf import settings

    queue = f"fault-{uuid.uuid4().hex[:8]}"
    # Store the notice without sending its job anywhere; the job goes to this test's own queue below.
    monkeypatch.setattr("notices.services.notice_enqueue_parse", lambda **kwargs: None)
    notice, _ = notice_create(data=workers.scanned_notice_page(), filename="扫描件.pdf",
                              uploaded_by=hospital_a_clerk)
    common = dict(queue=queue, db=require_postgres, redis_url=redis_url,
                  env={"NOTICE_PARSE_HEARTBEAT_SECONDS": "1", "NOTICE_PARSE_STALE_SECONDS": "5"})
    assert "CELERY_VISIBILITY_TIMEOUT" not in os.environ  # the production visibility timeout, not a short one

    first = workers.start_worker(log=tmp_path / "first.log", name="first", **common)
    try:
        workers.wait_ready(first)
        parse_notice.apply_async((notice.pk,), queue=queue)
        claimed = wait_for(lambda: Notice.objects.filter(pk=notice.pk, state="parsing").first(), timeout=120,
                           interval=0.05)
        # The parse shows it is alive while OCR runs.
        wait_for(lambda: Notice.objects.get(pk=notice.pk).heartbeat_at > claimed.heartbeat_at, timeout=20)
        workers.kill_group(first)
    finally:
        workers.stop(first)
    killed_at = time.monotonic()
    assert Notice.objects.get(pk=notice.pk).state == "parsing"  # nobody is working on it

    with workers.running_worker(log=tmp_path / "second.log", name="second", **common) as second:
        def parsed():
            sweep_stale_notices.apply_async(queue=queue)  # what celery beat sends
            return Notice.objects.filter(pk=notice.pk, state="parsed").first()

        done = wait_for(parsed, timeout=240, interval=2)
        retaken_in = time.monotonic() - killed_at
        time.sleep(1)  # a duplicate parse would show now
    done.refresh_from_db()
    assert retaken_in < 5 * 60
    assert (done.state, done.attempts, done.lost_parses) == ("parsed", 2, 0)  # the killed run and one more
    log = second.log_path.read_text(errors="replace")
    parse_lines = [json.loads(line) for line in log.splitlines() if '"message": "parse_notice"' in line]
    assert [(line["notice_id"], line["outcome"]) for line in parse_lines] == [(notice.pk, "parsed")]
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.NOTICE_PARSE_TIME_LIMIT

    # The killed job's message is still in Redis and returns once its visibility timeout passes (20 min in
    # production; this third worker alone uses 1 s to bring that moment forward): it must not parse again.
    with workers.running_worker(log=tmp_path / "third.log", name="third", visibility_timeout=1, **common) as third:
        wait_for(lambda: f'"notice_id": {notice.pk}, "outcome": "skipped"' in third.log_path.read_text(
            errors="replace"), timeout=60, interval=0.5)
    done.refresh_from_db()
    assert (done.state, done.attempts) == ("parsed", 2)


@pytest.mark.django_db(transaction=True)
def test_a_database_error_mid_save_leaves_nothing_half_written_and_a_retry_succeeds(
        role_groups, hospital_a_clerk, monkeypatch):
    from auditlog.models import LogEntry

    from review import decide

    written_before_failure = []
    real_original_of = decide._original_of

    def fail_after_the_history_is_written(*args, **kwargs):
        written_before_failure.append(LogEntry.objects.count())
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(decide, "_original_of", fail_after_the_history_is_written)
    # Tasks run in-process here; the commit runs the parse, which fails on every automatic retry.
    notice, _ = notice_create(data=corpus.NOTICE.encode(), filename="通报.txt", uploaded_by=hospital_a_clerk)

    notice.refresh_from_db()
    assert notice.attempts == len(written_before_failure) > 1  # retried as a transient error
    # Out of retries it says so in Chinese rather than staying 「解析中」; the result is not half-written.
    assert (notice.state, notice.error_code) == ("failed", "transient")
    assert re.search(r"[\u4e00-\u9fff]", notice.error)
    assert (notice.raw_text, notice.title, notice.parse_result, notice.review_state) == ("", "", None, "")

    monkeypatch.setattr(decide, "_original_of", real_original_of)
    notice_request_reparse(notice=notice)
    notice.refresh_from_db()
    assert (notice.state, notice.review_state) == ("parsed", "pending")


@pytest.mark.django_db(transaction=True)
def test_a_database_error_mid_acceptance_leaves_nothing_half_written_and_accepting_again_succeeds(
        role_groups, hospital_a_clerk, monkeypatch):
    notice, _ = notice_create(data=corpus.NOTICE.encode(), filename="通报.txt", uploaded_by=hospital_a_clerk)
    written_before_failure = []

    def fail_after_the_issues_are_written(notice, inspection, items):
        written_before_failure.append(IssueStatement.objects.filter(notice=notice).count())
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patched:
        patched.setattr("tracking.ingest._write_immediate_items", fail_after_the_issues_are_written)
        with pytest.raises(OperationalError):
            accept(notice)
    notice.refresh_from_db()
    assert written_before_failure == [12]  # the error hit a half-written ledger
    assert (notice.review_state, notice.inspection_id) == ("pending", None)
    assert not IssueStatement.objects.exists() and not FeedbackIssue.objects.exists()
    assert not Inspection.objects.exists()

    accept(notice)
    assert notice.review_state == "accepted"
    assert IssueStatement.objects.filter(notice=notice).count() == 12


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_withdrawing_a_notice_a_real_worker_is_parsing_answers_at_once_and_the_parse_discards_its_result(
        role_groups, real_queue, login, hospital_a_clerk):
    client = login(hospital_a_clerk)
    response = _post(client, "扫描件.pdf", workers.scanned_notice_page())  # OCR: seconds of parsing
    assert response.status_code == 202
    pk = response.json()["id"]
    log_before = real_queue.log_path.stat().st_size
    wait_for(lambda: Notice.objects.filter(pk=pk, state="parsing").exists(), timeout=120, interval=0.05)

    started = time.monotonic()
    withdrawn = client.post(f"/notices/{pk}/withdraw", {"reason": "传错了"})
    took = time.monotonic() - started
    assert withdrawn.status_code == 302
    assert took < 2.0, f"the withdrawal waited {took:.1f} s"
    notice = Notice.objects.get(pk=pk)
    assert (notice.state, notice.is_withdrawn) == ("cancelled", True)  # recorded while the parse still runs

    wait_for(lambda: f'"notice_id": {pk}, "outcome": "withdrawn"' in real_queue.log_path.read_bytes()[
        log_before:].decode("utf-8", "replace"), timeout=120, interval=0.5)
    notice.refresh_from_db()
    assert (notice.state, notice.raw_text, notice.parse_result) == ("cancelled", "", None)
