"""Withdrawing never waits on a running parse, never leaves a notice 「解析中」, and says nothing of others' files."""
import datetime as dt
import threading
import time

import pytest
from django.db import OperationalError

from notices import services
from notices.models import Notice
from notices.services import notice_request_reparse, notice_withdraw
from notices.tasks import parse_notice, sweep_stale_notices
from tests.pipeline.conftest import issue, notice
from tests.review_support import accept
from tracking.models import FeedbackIssue, Inspection, IssueStatement

ISSUES = [issue(n, f"第{n}个问题", "in_progress") for n in range(1, 6)]


def _accepted(fake_parser, upload, clerk):
    fake_parser.results["n.txt"] = notice(ISSUES, published=dt.date(2025, 4, 3))
    return upload(clerk, "n.txt", b"the notice bytes", accept=True)


@pytest.mark.django_db
def test_a_withdrawal_during_a_parse_is_recorded_at_once_and_the_parse_then_writes_nothing(
        fake_parser, upload, hospital_a_clerk, monkeypatch, django_capture_on_commit_callbacks):
    accepted = _accepted(fake_parser, upload, hospital_a_clerk)
    assert IssueStatement.objects.filter(notice=accepted).count() == 5
    real_parse = fake_parser

    def parse_then_withdrawn_meanwhile(data, filename):
        result = real_parse(data, filename)
        # The clerk withdraws while the worker is still busy with this notice.
        notice_withdraw(notice=Notice.objects.get(pk=accepted.pk), withdrawn_by=hospital_a_clerk, reason="传错了")
        assert Notice.objects.get(pk=accepted.pk).state == "cancelled"  # recorded before the parse is done
        return result

    monkeypatch.setattr(services, "parse_bytes", parse_then_withdrawn_meanwhile)
    outcomes = []
    monkeypatch.setattr("notices.tasks._log", lambda notice_id, started, outcome, **kw: outcomes.append(outcome))
    with django_capture_on_commit_callbacks(execute=True):
        notice_request_reparse(notice=accepted)

    accepted.refresh_from_db()
    assert outcomes == ["withdrawn"]
    assert (accepted.state, accepted.is_withdrawn, accepted.inspection_id) == ("cancelled", True, None)
    assert not IssueStatement.objects.exists() and not FeedbackIssue.objects.exists()
    assert not Inspection.objects.exists()
    # Its file is free: the same bytes upload as a new notice.
    fake_parser.results["again.txt"] = fake_parser.results["n.txt"]
    assert upload(hospital_a_clerk, "again.txt", b"the notice bytes").pk != accepted.pk


@pytest.mark.django_db
def test_a_notice_withdrawn_while_stuck_parsing_is_cancelled_not_left_parsing_for_ever(
        upload, hospital_a_clerk, login, monkeypatch):
    monkeypatch.setattr(services, "notice_enqueue_parse", lambda **kw: None)  # no worker ever comes
    stuck = upload(hospital_a_clerk, "stuck.txt")
    Notice.objects.filter(pk=stuck.pk).update(state="parsing")

    notice_withdraw(notice=stuck, withdrawn_by=hospital_a_clerk, reason="不等了")

    stuck.refresh_from_db()
    assert stuck.state == "cancelled" and stuck.is_withdrawn
    client = login(hospital_a_clerk)
    status = client.get(f"/notices/{stuck.pk}/status.json").json()
    assert (status["state"], status["state_label"], status["withdrawn"]) == ("cancelled", "已取消", True)
    page = client.get(f"/notices/{stuck.pk}/").content.decode()
    assert 'data-state="cancelled"' in page and "正在处理" not in page  # the page does not poll
    assert parse_notice.apply(args=[stuck.pk]).get() == "skipped"  # a late job does not revive it
    assert sweep_stale_notices.apply().get() == 0


@pytest.mark.django_db
def test_rows_a_busy_parse_held_at_withdrawal_are_cleared_by_the_parse_or_else_the_sweep(
        fake_parser, upload, hospital_a_clerk, monkeypatch):
    accepted = _accepted(fake_parser, upload, hospital_a_clerk)
    Notice.objects.filter(pk=accepted.pk).update(state="parsing")  # a re-parse is running (and then dies)

    def rows_locked(ms):
        if ms is not None:
            raise OperationalError("canceling statement due to lock timeout")

    with monkeypatch.context() as patched:
        patched.setattr(services, "_lock_timeout", rows_locked)
        notice_withdraw(notice=accepted, withdrawn_by=hospital_a_clerk)
    assert Notice.objects.get(pk=accepted.pk).is_withdrawn
    assert IssueStatement.objects.filter(notice=accepted).count() == 5  # left for the parse, which died

    sweep_stale_notices.apply().get()
    assert not IssueStatement.objects.exists() and not Inspection.objects.exists()


@pytest.mark.django_db
def test_the_same_file_from_another_hospital_is_never_refused_with_what_that_hospital_holds(
        fake_parser, upload, login, hospital_a_clerk, hospital_b_clerk, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake_parser.results["a.txt"] = fake_parser.results["b.txt"] = notice(ISSUES)
    upload(hospital_a_clerk, "a.txt", b"shared")
    with django_capture_on_commit_callbacks(execute=True):
        response = login(hospital_b_clerk).post("/notices/", {"files": [SimpleUploadedFile("b.txt", b"shared")]},
                                                follow=True)
    page = response.content.decode()
    assert "「b.txt」已上传，正在排队解析" in page
    assert "已由其他单位上传" not in page and "此前已上传过" not in page and "a.txt" not in page


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_withdrawal_does_not_wait_for_a_parse_holding_the_notices_rows(
        role_groups, require_postgres, fake_parser, hospital_a_clerk, monkeypatch):
    """A re-parse of an accepted notice re-writes its rows and is held mid-transaction; the withdrawal returns."""
    from django.db import connection

    fake_parser.results["big.txt"] = notice([issue(n, f"第{n}个问题", "in_progress") for n in range(1, 401)],
                                            published=dt.date(2025, 4, 3))
    monkeypatch.setattr(services, "notice_enqueue_parse", lambda **kw: None)
    big, _ = services.notice_create(data=b"400 issues", filename="big.txt", uploaded_by=hospital_a_clerk)
    services.notice_apply_parse(notice_id=big.pk)
    accept(big)
    assert IssueStatement.objects.filter(notice=big).count() == 400

    holding, release, outcome = threading.Event(), threading.Event(), []
    real_fields = services.notice_fields_from

    def hold_after_rewriting_the_rows(corrected):
        holding.set()  # rows deleted and written again, uncommitted, locks held
        assert release.wait(30)
        return real_fields(corrected)

    monkeypatch.setattr(services, "notice_fields_from", hold_after_rewriting_the_rows)
    Notice.objects.filter(pk=big.pk).update(state="queued")

    def parse():
        try:
            outcome.append(services.notice_apply_parse(notice_id=big.pk))
        finally:
            connection.close()

    worker = threading.Thread(target=parse)
    worker.start()
    try:
        assert holding.wait(60)
        started = time.monotonic()
        notice_withdraw(notice=Notice.objects.get(pk=big.pk), withdrawn_by=hospital_a_clerk, reason="传错了")
        took = time.monotonic() - started
        assert Notice.objects.get(pk=big.pk).withdrawn_at is not None  # committed while the parse still runs
    finally:
        release.set()
        worker.join(60)
    assert took < 2.0, f"the withdrawal waited {took:.1f} s for the parse"
    assert outcome == ["withdrawn"]
    big.refresh_from_db()
    assert big.state == "cancelled"
    assert not IssueStatement.objects.filter(notice=big).exists() and not FeedbackIssue.objects.exists()
