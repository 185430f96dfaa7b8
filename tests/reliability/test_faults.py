"""Faults with the real services: Redis down at upload, a worker killed mid-parse, a database error mid-save.

The worker tests run against PostgreSQL, Redis and real ``celery worker``
processes (CI forbids their skip); nothing inside the worker is patched.
"""
import hashlib
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
def test_a_worker_killed_outright_leaves_its_job_to_the_next_worker(
        role_groups, real_queue, require_postgres, redis_url, hospital_a_clerk, tmp_path, monkeypatch):
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    visibility = 3
    # Store the notice without sending its job anywhere; the job goes to this test's own queue below.
    monkeypatch.setattr("notices.services.notice_enqueue_parse", lambda **kwargs: None)
    notice, _ = notice_create(data=corpus.synthetic_notice(BIG).encode(), filename="大通报.txt",
                              uploaded_by=hospital_a_clerk)
    common = dict(queue=queue, db=require_postgres, redis_url=redis_url, visibility_timeout=visibility)

    first = workers.start_worker(log=tmp_path / "first.log", name="first", **common)
    try:
        workers.wait_ready(first)
        parse_notice.apply_async((notice.pk,), queue=queue)
        wait_for(lambda: Notice.objects.get(pk=notice.pk).state == "parsing", timeout=120, interval=0.02)
        killed_at = time.monotonic()
        workers.kill_group(first)
    finally:
        workers.stop(first)
    time.sleep(2)
    assert Notice.objects.get(pk=notice.pk).state == "parsing"  # nobody is working on it
    assert _rows_of(notice) == (0, 0)  # the killed transaction left nothing behind

    # Past the visibility timeout, the next worker to start takes the unacknowledged job back.
    time.sleep(max(0.0, visibility + 1 - (time.monotonic() - killed_at)))
    with workers.running_worker(log=tmp_path / "second.log", name="second", **common):
        parsed = wait_for(lambda: Notice.objects.filter(pk=notice.pk, state="parsed").first(), timeout=300)
    assert parsed.attempts == 2
    accept(parsed)
    assert _rows_of(parsed) == (BIG, 2 * BIG)
    assert FeedbackIssue.objects.count() == BIG


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
