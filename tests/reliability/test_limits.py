"""Every parse runs inside hard limits, and a limit hit fails the notice once, in Chinese, never retried.

The first tests run the task in-process (any database); those marked
``services`` send the upload through Redis to a real ``celery worker`` with
its real limits (CI forbids their skip).
"""
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile

from notices import services
from notices.models import Notice
from notices.parsing import NoticeFileError
from notices.parsing.extract.budget import LIMIT_MESSAGE
from notices.services import notice_create, notice_request_reparse
from notices.tasks import parse_notice
from tests.services import wait_for

from . import corpus, workers

REPO = workers.REPO


def _upload(clerk, data=None, name="通报.txt"):
    notice, _ = notice_create(data=data or corpus.NOTICE.encode(), filename=name, uploaded_by=clerk)
    notice.refresh_from_db()
    return notice


def _original_kept(notice) -> bool:
    import hashlib

    with notice.file.open("rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest() == notice.sha256


def _reparsed(notice):
    notice_request_reparse(notice=notice)
    notice.refresh_from_db()
    return notice


# --- limits hit in-process: one failure, a Chinese message, the original kept, 「重新解析」 works -------------


@pytest.mark.django_db(transaction=True)
def test_a_notice_with_more_issues_than_the_cap_fails_once_with_a_chinese_message(
        role_groups, hospital_a_clerk, settings):
    settings.NOTICE_MAX_ISSUES = 20
    failed = _upload(hospital_a_clerk, corpus.synthetic_notice(30).encode())

    assert (failed.state, failed.error_code, failed.attempts) == ("failed", "too_many_issues", 1)
    assert failed.error.startswith(LIMIT_MESSAGE) and "识别出30个问题" in failed.error and "20个" in failed.error
    assert _original_kept(failed)
    settings.NOTICE_MAX_ISSUES = 1000
    again = _reparsed(failed)
    assert (again.state, len(again.parse_result["issues"]), again.attempts) == ("parsed", 30, 2)


@pytest.mark.django_db(transaction=True)
def test_a_parse_that_runs_out_of_memory_fails_once_and_is_not_retried(role_groups, hospital_a_clerk, monkeypatch):
    calls = []

    def out_of_memory(data, filename):
        calls.append(filename)
        raise MemoryError

    monkeypatch.setattr(services, "parse_bytes", out_of_memory)
    failed = _upload(hospital_a_clerk)

    assert calls == ["通报.txt"]  # once: a memory cap is no transient error
    assert (failed.state, failed.error_code, failed.error) == ("failed", "memory_limit", services.MEMORY_FAILURE)
    assert failed.error.startswith("文件过大或结构异常，已停止解析")
    assert _original_kept(failed)
    monkeypatch.undo()
    assert _reparsed(failed).state == "parsed"


@pytest.mark.parametrize("raised", ["directly", "inside an extractor"])
@pytest.mark.django_db(transaction=True)
def test_a_parse_past_the_soft_time_limit_fails_once_with_the_time_message(
        role_groups, hospital_a_clerk, monkeypatch, raised):
    calls = []

    def too_slow(data, filename):
        calls.append(filename)
        if raised == "directly":
            raise SoftTimeLimitExceeded()
        # An extractor's catch-all turns any exception into "corrupt file"; the real cause still wins.
        raise NoticeFileError("文件无法读取（PDF格式可能已损坏）", code="corrupt") from SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "parse_bytes", too_slow)
    failed = _upload(hospital_a_clerk)

    assert calls == ["通报.txt"]
    assert (failed.state, failed.error_code) == ("failed", "time_limit")
    assert failed.error.startswith(LIMIT_MESSAGE) and "分钟仍未完成" in failed.error
    monkeypatch.undo()
    assert _reparsed(failed).state == "parsed"


def test_the_limits_fit_the_longest_legitimate_parse_and_a_dead_worker_is_retaken_in_minutes(settings):
    # OCR costs ~11 CPU-s per page (twice that in wall time on a busy machine), up to NOTICE_OCR_MAX_PAGES.
    assert settings.NOTICE_PARSE_SOFT_TIME_LIMIT >= settings.NOTICE_OCR_MAX_PAGES * 22 + 120
    assert settings.NOTICE_PARSE_TIME_LIMIT > settings.NOTICE_PARSE_SOFT_TIME_LIMIT
    assert parse_notice.soft_time_limit == settings.NOTICE_PARSE_SOFT_TIME_LIMIT
    assert parse_notice.time_limit == settings.NOTICE_PARSE_TIME_LIMIT
    # Redis never hands a running parse to a second worker…
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.NOTICE_PARSE_TIME_LIMIT
    # …and the sweep retakes a silent one within 5 minutes, while a live one beats several times per window.
    assert settings.NOTICE_PARSE_STALE_SECONDS + settings.NOTICE_SWEEP_SECONDS < 5 * 60
    assert settings.NOTICE_PARSE_HEARTBEAT_SECONDS * 4 <= settings.NOTICE_PARSE_STALE_SECONDS
    schedule = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["notices.tasks.sweep_stale_notices"] == settings.NOTICE_SWEEP_SECONDS
    # OCR of a page maps ~1.7 GB, 2.3 GB by the sixth page (docs/RELIABILITY.md, issue 13).
    assert settings.RECTIFY_WORKER_MEMORY_MB >= 3072
    assert settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD >= 1024 * 1024


def test_the_memory_cap_turns_an_oversized_allocation_into_a_memory_error():
    script = ("from rectify_site.celery import limit_memory\n"
              "limit_memory(400)\n"
              "try:\n    block = bytearray(600 * 1024 * 1024)\nexcept MemoryError:\n    print('MemoryError')\n"
              "else:\n    print('allocated')\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rectify_site.settings"}
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "MemoryError", out.stderr[-2000:]


def test_libreoffice_gets_an_address_space_cap_of_its_own(tmp_path):
    """The conversion runs under ``prlimit --as``: it neither inherits the worker's cap nor runs without one."""
    from notices.parsing.extract import doc

    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\ngrep 'Max address space' /proc/self/limits > \"$HOME/limits\"\nexit 1\n")
    fake.chmod(0o755)
    seen = {}
    real_rmtree = doc.shutil.rmtree

    def keep_limits(path, ignore_errors=False):
        limits = os.path.join(path, "limits")
        if os.path.exists(limits):
            seen["line"] = open(limits).read()
        real_rmtree(path, ignore_errors=ignore_errors)

    doc.shutil.rmtree = keep_limits
    try:
        with pytest.raises(NoticeFileError):
            doc.convert_to_docx(b"\xd0\xcf\x11\xe0", soffice=str(fake), timeout=30, memory_mb=1500)
    finally:
        doc.shutil.rmtree = real_rmtree
    assert re.search(rf"\b{1500 * 1024 * 1024}\b", seen["line"]), seen


# --- a poison file cannot loop: with a real worker and its real limits ---------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_worker_pool_runs_with_its_memory_cap(role_groups, real_queue, settings):
    [child] = workers.children(real_queue.pid)
    assert workers.address_space_limit(child) == settings.RECTIFY_WORKER_MEMORY_MB * 1024 * 1024
    assert workers.address_space_limit(real_queue.pid) is None  # the cap is the pool child's, per task process


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_file_that_keeps_killing_its_process_fails_after_three_tries_instead_of_looping(
        role_groups, real_queue, login, hospital_a_clerk, settings):
    """As the kernel's OOM killer would: the pool process dies every time this notice is being parsed."""
    response = login(hospital_a_clerk).post(
        "/api/notices/", {"file": SimpleUploadedFile("照片.png", workers.unreadable_photo())})
    assert response.status_code == 202
    pk = response.json()["id"]

    for attempt in range(1, settings.NOTICE_MAX_LOST_PARSES + 1):
        wait_for(lambda: Notice.objects.filter(pk=pk, state="parsing", attempts=attempt).exists(), timeout=120,
                 interval=0.05)
        [child] = workers.children(real_queue.pid)
        os.kill(child, signal.SIGKILL)

    failed = wait_for(lambda: Notice.objects.filter(pk=pk, state="failed").first(), timeout=120)
    assert (failed.error_code, failed.lost_parses) == ("parse_crashed", settings.NOTICE_MAX_LOST_PARSES)
    assert failed.error.startswith(LIMIT_MESSAGE) and f"{settings.NOTICE_MAX_LOST_PARSES}次异常中断" in failed.error
    attempts = failed.attempts
    assert attempts == settings.NOTICE_MAX_LOST_PARSES + 1  # the last start only recorded the failure
    time.sleep(3)
    assert Notice.objects.get(pk=pk).attempts == attempts  # no further redelivery
    assert _original_kept(failed)


# --- 3,000 issues in one .txt: within the real limits, and the rest of the system answers meanwhile -----------


def _answers_while(pk, client, until_done, timeout=90):
    """Poll a page of the web app and a database query until the notice is done; how many ran while it parsed."""
    from django.db import connection

    during, slowest = 0, 0.0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.monotonic()
        state = Notice.objects.filter(pk=pk).values_list("state", flat=True).get()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        assert client.get("/notices/").status_code == 200
        slowest = max(slowest, time.monotonic() - started)
        if state == "parsing":
            during += 1
        if until_done(state):
            return during, slowest
        time.sleep(0.02)
    pytest.fail(f"the notice was not done within {timeout}s")


@pytest.mark.parametrize("issue_cap", ["default", "raised to 5000"])
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_3000_issues_parse_within_the_real_limits_or_fail_clearly_while_the_site_keeps_answering(
        role_groups, real_queue, require_postgres, redis_url, login, hospital_a_clerk, tmp_path, settings,
        issue_cap):
    data = corpus.synthetic_notice(3000).encode()
    assert 300_000 < len(data) < 700_000
    client = login(hospital_a_clerk)
    env = {} if issue_cap == "default" else {"NOTICE_MAX_ISSUES": "5000"}
    queue = f"limits-{os.getpid()}-{time.monotonic_ns()}"
    with workers.running_worker(queue=queue, log=tmp_path / "worker.log", db=require_postgres,
                                redis_url=redis_url, name="limits", env=env) as worker:
        [child] = workers.children(worker.pid)
        assert workers.address_space_limit(child) == settings.RECTIFY_WORKER_MEMORY_MB * 1024 * 1024
        with pytest.MonkeyPatch.context() as patched:  # this upload's job goes to this worker
            patched.setattr("notices.services.notice_enqueue_parse",
                            lambda notice_id: parse_notice.apply_async((notice_id,), queue=queue))
            response = client.post("/api/notices/", {"file": SimpleUploadedFile("三千个问题.txt", data)})
        assert response.status_code == 202
        pk = response.json()["id"]

        peak = [0.0]
        sampling = threading.Event()

        def sample():
            while not sampling.wait(0.05):
                peak[0] = max(peak[0], workers.group_rss_mb(worker.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            during, slowest = _answers_while(pk, client, lambda state: state in ("parsed", "failed"))
        finally:
            sampling.set()
            sampler.join()

    notice = Notice.objects.get(pk=pk)
    if issue_cap == "default":
        assert (notice.state, notice.error_code) == ("failed", "too_many_issues")
        assert notice.error.startswith(LIMIT_MESSAGE) and "识别出3000个问题" in notice.error
    else:
        assert notice.state in ("parsed", "failed"), notice.state
        if notice.state == "parsed":
            assert len(notice.parse_result["issues"]) == 3000
        else:
            assert notice.error.startswith(LIMIT_MESSAGE), notice.error
    assert notice.attempts == 1
    assert peak[0] < 1024, f"the worker group grew to {peak[0]:.0f} MB"
    assert during >= 1 and slowest < 5.0, (during, slowest)


# --- dead parses: the claim, the heartbeat and the sweep -------------------------------------------------------


def _parsing(notice, *, task_id="job-1", beat_ago=0.0, started_ago=None, lost=0):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    started_ago = beat_ago if started_ago is None else started_ago
    Notice.objects.filter(pk=notice.pk).update(
        state="parsing", parse_task_id=task_id, heartbeat_at=now - dt.timedelta(seconds=beat_ago),
        state_changed_at=now - dt.timedelta(seconds=started_ago), lost_parses=lost)


@pytest.fixture
def held(role_groups, hospital_a_clerk, monkeypatch):
    """A stored notice whose job went nowhere, so each test puts it in the state it needs."""
    monkeypatch.setattr("notices.services.notice_enqueue_parse", lambda **kwargs: None)
    return _upload(hospital_a_clerk)


@pytest.mark.django_db(transaction=True)
def test_a_late_delivery_is_skipped_while_a_live_parse_holds_the_notice(held):
    _parsing(held, task_id="the-live-one", beat_ago=3)
    assert parse_notice.apply(args=[held.pk], task_id="a-late-copy").get() == "skipped"
    held.refresh_from_db()
    assert (held.state, held.attempts, held.parse_task_id) == ("parsing", 0, "the-live-one")


@pytest.mark.django_db(transaction=True)
def test_a_late_delivery_of_a_notice_already_parsed_changes_nothing(held):
    assert parse_notice.apply(args=[held.pk], task_id="first").get() == "parsed"
    assert parse_notice.apply(args=[held.pk], task_id="first").get() == "skipped"
    assert parse_notice.apply(args=[held.pk], task_id="second").get() == "skipped"
    held.refresh_from_db()
    assert (held.state, held.attempts) == ("parsed", 1)


@pytest.mark.django_db(transaction=True)
def test_the_same_job_delivered_again_after_its_process_died_is_taken_and_counted_as_lost(held):
    _parsing(held, task_id="job-1", beat_ago=3)  # its process was killed a moment ago; Redis gives it back
    assert parse_notice.apply(args=[held.pk], task_id="job-1").get() == "parsed"
    held.refresh_from_db()
    assert (held.state, held.attempts, held.lost_parses) == ("parsed", 1, 0)  # counted, then cleared by success


@pytest.mark.django_db(transaction=True)
def test_a_parse_whose_heartbeat_went_silent_is_taken_by_another_delivery(held, settings):
    _parsing(held, task_id="dead-one", beat_ago=settings.NOTICE_PARSE_STALE_SECONDS + 5)
    assert parse_notice.apply(args=[held.pk], task_id="another").get() == "parsed"


@pytest.mark.django_db(transaction=True)
def test_the_third_lost_parse_fails_the_notice_in_chinese_instead_of_parsing_again(held, settings, monkeypatch):
    _parsing(held, task_id="job-1", beat_ago=3, lost=settings.NOTICE_MAX_LOST_PARSES - 1)
    monkeypatch.setattr(services, "parse_bytes", lambda *a: pytest.fail("a poison file was parsed once more"))
    assert parse_notice.apply(args=[held.pk], task_id="job-1").get() == "failed"
    held.refresh_from_db()
    assert (held.state, held.error_code, held.lost_parses) == (
        "failed", "parse_crashed", settings.NOTICE_MAX_LOST_PARSES)
    assert held.error.startswith(LIMIT_MESSAGE) and "重新解析" in held.error
    monkeypatch.undo()
    again = _reparsed(held)  # 「重新解析」 starts the count afresh
    assert (again.state, again.lost_parses) == ("parsed", 0)


@pytest.mark.django_db(transaction=True)
def test_a_superseded_parse_writes_nothing_when_it_finally_finishes(held, monkeypatch):
    """A run that was presumed dead (its notice retaken) but still finishes must not overwrite the new run."""
    real = services.parse_bytes

    def retaken_meanwhile(data, filename):
        Notice.objects.filter(pk=held.pk).update(parse_task_id="the-new-run")
        return real(data, filename)

    monkeypatch.setattr(services, "parse_bytes", retaken_meanwhile)
    assert parse_notice.apply(args=[held.pk], task_id="the-old-run").get() == "skipped"
    held.refresh_from_db()
    assert (held.state, held.parse_task_id, held.raw_text) == ("parsing", "the-new-run", "")


@pytest.mark.django_db(transaction=True)
def test_the_sweep_retakes_a_silent_parse_and_leaves_a_beating_one(held, hospital_a_clerk, settings):
    from notices.tasks import sweep_stale_notices

    beating = _upload(hospital_a_clerk, corpus.synthetic_notice(5).encode(), name="另一份.txt")
    _parsing(held, task_id="dead", beat_ago=settings.NOTICE_PARSE_STALE_SECONDS + 1, started_ago=400)
    _parsing(beating, task_id="alive", beat_ago=5, started_ago=400)
    sent = []
    services_enqueue = services.notice_enqueue_parse
    services.notice_enqueue_parse = lambda notice_id: sent.append(notice_id)
    try:
        assert sweep_stale_notices.apply().get() == 1
    finally:
        services.notice_enqueue_parse = services_enqueue
    held.refresh_from_db(), beating.refresh_from_db()
    assert sent == [held.pk]
    assert (held.state, held.lost_parses) == ("queued", 1)
    assert (beating.state, beating.parse_task_id) == ("parsing", "alive")


@pytest.mark.django_db(transaction=True)
def test_the_sweep_fails_a_parse_that_beat_until_the_hard_time_limit_killed_it(held, settings):
    from notices.tasks import sweep_stale_notices

    ran = settings.NOTICE_PARSE_TIME_LIMIT
    _parsing(held, task_id="slow", beat_ago=settings.NOTICE_PARSE_STALE_SECONDS + 1,
             started_ago=settings.NOTICE_PARSE_STALE_SECONDS + 1 + ran)
    assert sweep_stale_notices.apply().get() == 0
    held.refresh_from_db()
    assert (held.state, held.error_code) == ("failed", "time_limit")
    assert held.error.startswith(LIMIT_MESSAGE)


@pytest.mark.django_db(transaction=True)
def test_a_notice_withdrawn_while_its_parse_was_dead_does_not_stay_parsing(held, hospital_a_clerk, settings):
    """Withdrawing a running parse cancels it at once (tests/review_loop); a row left 解析中 anyway is swept."""
    from django.utils import timezone

    from notices.tasks import sweep_stale_notices

    _parsing(held, beat_ago=settings.NOTICE_PARSE_STALE_SECONDS + 1)
    Notice.objects.filter(pk=held.pk).update(withdrawn_at=timezone.now())  # as before withdraw cancelled it
    sweep_stale_notices.apply().get()
    held.refresh_from_db()
    assert held.state == "cancelled"


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_advances_while_the_parse_runs_and_stops_with_it(held, settings):
    from notices.tasks import _heartbeat

    settings.NOTICE_PARSE_HEARTBEAT_SECONDS = 0.2
    _parsing(held, task_id="me", beat_ago=60)
    before = Notice.objects.get(pk=held.pk).heartbeat_at
    with _heartbeat(held.pk, "me"):
        wait_for(lambda: Notice.objects.get(pk=held.pk).heartbeat_at > before, timeout=10)
    stopped = Notice.objects.get(pk=held.pk).heartbeat_at
    time.sleep(0.6)
    assert Notice.objects.get(pk=held.pk).heartbeat_at == stopped
    assert not any(t.name == f"heartbeat-{held.pk}" for t in threading.enumerate())


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_parse_past_the_real_memory_cap_fails_once_and_the_same_worker_parses_the_next_notice(
        role_groups, real_queue, require_postgres, redis_url, hospital_a_clerk, tmp_path, monkeypatch):
    """A real worker whose pool process may map only 450 MB: 19 MB of text cannot be parsed in that.

    The character cap is raised for this worker, so the memory cap is what stops the parse.
    """
    queue = f"memory-{os.getpid()}-{time.monotonic_ns()}"
    monkeypatch.setattr("notices.services.notice_enqueue_parse",
                        lambda notice_id: parse_notice.apply_async((notice_id,), queue=queue))
    line = "（一）巡察发现理论学习不深入，整改措施落实不到位，问题整改仍需加强。\n"
    huge = (line * (19 * 1024 * 1024 // len(line.encode()))).encode()
    capped = {"RECTIFY_WORKER_MEMORY_MB": "450", "NOTICE_MAX_CHARS": "100000000"}
    with workers.running_worker(queue=queue, log=tmp_path / "worker.log", db=require_postgres, redis_url=redis_url,
                                name="capped", env=capped) as worker:
        [child] = workers.children(worker.pid)
        assert workers.address_space_limit(child) == 450 * 1024 * 1024
        big = _upload(hospital_a_clerk, huge, name="超大.txt")
        failed = wait_for(lambda: Notice.objects.filter(pk=big.pk, state="failed").first(), timeout=120)
        normal = _upload(hospital_a_clerk, corpus.NOTICE.encode())
        parsed = wait_for(lambda: Notice.objects.filter(pk=normal.pk, state="parsed").first(), timeout=120)
    # A MemoryError, wherever it struck: in the parser (the task's handler) or in an extractor (its own).
    assert (failed.error_code, failed.error) in (("memory_limit", services.MEMORY_FAILURE),
                                                 ("limit_exceeded", f"{LIMIT_MESSAGE}（文件结构过于复杂）"))
    assert (failed.attempts, failed.lost_parses) == (1, 0)  # failed once, in Python: no process died
    assert _original_kept(failed)
    assert parsed.attempts == 1
