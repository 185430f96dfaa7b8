"""The parse task: bad files fail once with their message, transient errors retry, re-runs replace."""
import datetime as dt
import logging

import pytest
from django.db import OperationalError
from django.utils import timezone

from notices.models import Notice
from notices.parsing import NoticeFileError
from notices.services import GENERIC_FAILURE, notice_request_reparse
from notices.tasks import parse_notice, sweep_stale_notices
from tracking.models import FeedbackIssue, ImmediateItem, IssueAction, IssueSection, IssueStatement, Measure, StatusChange

from tests.review_support import accept

from .conftest import issue, notice

pytestmark = pytest.mark.django_db


def test_a_bad_file_fails_once_shows_its_message_and_can_be_retried(fake_parser, upload, hospital_a_clerk, login,
                                                                     django_capture_on_commit_callbacks):
    fake_parser.results["bad.txt"] = NoticeFileError("文件中没有可读取的文字，请检查文件内容后重新上传", code="no_text")
    failed = upload(hospital_a_clerk, "bad.txt")

    assert failed.state == "failed"
    assert failed.error_code == "no_text"
    assert fake_parser.calls == 1  # not retried
    client = login(hospital_a_clerk)
    page = client.get(f"/notices/{failed.pk}/").content.decode()
    assert "文件中没有可读取的文字" in page
    assert "重试解析" in page

    fake_parser.results["bad.txt"] = notice([issue(1, "理论学习不深入", "completed")])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/notices/{failed.pk}/reparse")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.error, failed.attempts, failed.review_state) == ("parsed", "", 2, "pending")
    assert not FeedbackIssue.objects.exists()  # proposed, not counted until staff accept
    accept(failed)
    assert FeedbackIssue.objects.get().status == "completed"


def test_an_unexpected_error_fails_the_notice_with_a_generic_chinese_message(
        fake_parser, upload, hospital_a_clerk, caplog):
    fake_parser.results["crash.txt"] = KeyError("bug in the parser")
    with caplog.at_level(logging.ERROR, logger="notices.tasks"):
        crashed = upload(hospital_a_clerk, "crash.txt")
    assert (crashed.state, crashed.error, crashed.error_code) == ("failed", GENERIC_FAILURE, "internal_error")
    assert any("KeyError" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_a_transient_database_error_is_retried_and_then_parses(fake_parser, upload, hospital_a_clerk, monkeypatch):
    from notices import services

    real = services.notice_apply_parse
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(services, "notice_apply_parse", flaky)
    fake_parser.results["n.txt"] = notice([issue(1, "理论学习不深入")])
    parsed = upload(hospital_a_clerk, "n.txt")
    assert len(calls) == 2
    assert parsed.state == "parsed"


def test_the_task_declares_late_acknowledgement_and_retries_only_transient_errors():
    assert parse_notice.acks_late is True
    assert OperationalError in parse_notice.autoretry_for
    assert NoticeFileError not in parse_notice.autoretry_for and Exception not in parse_notice.autoretry_for


def _rows():
    return {model.__name__: model.objects.count() for model in
            (FeedbackIssue, IssueStatement, Measure, IssueAction, IssueSection, ImmediateItem, StatusChange)}


def test_a_reparse_replaces_rather_than_duplicates(upload, hospital_a_clerk, samples,
                                                   django_capture_on_commit_callbacks):
    sample = samples[0]
    parsed = upload(hospital_a_clerk, sample.name, sample.read_bytes(), accept=True)
    assert parsed.state == "parsed" and parsed.review_state == "accepted"
    before = _rows()
    assert before["FeedbackIssue"] > 0 and before["Measure"] > 0

    with django_capture_on_commit_callbacks(execute=True):
        notice_request_reparse(notice=parsed)
    parsed.refresh_from_db()
    assert parsed.state == "parsed" and parsed.attempts == 2
    assert (parsed.review_state, parsed.needs_recheck) == ("accepted", False)  # the same text: stays accepted
    assert _rows() == before


def test_a_duplicate_delivery_of_a_finished_job_changes_nothing(fake_parser, upload, hospital_a_clerk):
    fake_parser.results["n.txt"] = notice([issue(1, "理论学习不深入")])
    parsed = upload(hospital_a_clerk, "n.txt")
    assert parse_notice.apply(args=[parsed.pk]).get() == "skipped"
    assert fake_parser.calls == 1


def test_the_sweep_requeues_lost_jobs_and_gives_up_after_many_attempts(fake_parser, hospital_a_clerk, hospital_a):
    from django.core.files.base import ContentFile

    fake_parser.results["lost.txt"] = notice([issue(1, "理论学习不深入")])
    old = timezone.now() - dt.timedelta(hours=2)
    lost = Notice(original_name="lost.txt", sha256="a" * 64, format="txt", size=3, institution=hospital_a,
                  uploaded_by=hospital_a_clerk, state_changed_at=old)
    lost.file.save("lost.txt", ContentFile(b"abc"), save=False)
    lost.save()
    hopeless = Notice.objects.create(original_name="x.txt", sha256="b" * 64, format="txt", size=3, file=lost.file.name,
                                     state="parsing", state_changed_at=old, attempts=99)
    fresh = Notice.objects.create(original_name="y.txt", sha256="c" * 64, format="txt", size=3, file=lost.file.name)

    assert sweep_stale_notices.apply().get() == 1

    lost.refresh_from_db(), hopeless.refresh_from_db(), fresh.refresh_from_db()
    assert lost.state == "parsed"
    assert hopeless.state == "failed" and "99" in hopeless.error
    assert fresh.state == "queued"


def test_every_parse_leaves_one_structured_log_line(fake_parser, upload, hospital_a_clerk, caplog):
    fake_parser.results["n.txt"] = notice([issue(1, "理论学习不深入")])
    with caplog.at_level(logging.INFO, logger="notices.tasks"):
        parsed = upload(hospital_a_clerk, "n.txt")
    lines = [r for r in caplog.records if r.getMessage() == "parse_notice"]
    assert len(lines) == 1
    assert (lines[0].notice_id, lines[0].outcome) == (parsed.pk, "parsed")
    assert lines[0].duration_ms >= 0


def test_when_transient_retries_run_out_the_notice_fails_visibly_instead_of_hanging(
        fake_parser, upload, hospital_a_clerk, monkeypatch):
    from notices import services
    from notices.tasks import TRANSIENT_FAILURE

    calls = []

    def database_away(**kwargs):
        calls.append(kwargs)
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(services, "notice_apply_parse", database_away)
    stuck = upload(hospital_a_clerk, "n.txt")
    assert len(calls) == parse_notice.max_retries + 1
    assert (stuck.state, stuck.error, stuck.error_code) == ("failed", TRANSIENT_FAILURE, "transient")


def test_an_upload_while_the_broker_is_down_is_kept_and_picked_up_by_the_sweep(
        fake_parser, upload, hospital_a_clerk, monkeypatch):
    from kombu.exceptions import OperationalError as BrokerDown

    def broker_down(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to redis:6379. Connection refused.")

    fake_parser.results["n.txt"] = notice([issue(1, "理论学习不深入")])
    with monkeypatch.context() as patched:
        patched.setattr(parse_notice, "apply_async", broker_down)  # how notice_enqueue_parse publishes
        kept = upload(hospital_a_clerk, "n.txt")
    assert kept.state == "queued" and kept.file.storage.exists(kept.file.name)

    Notice.objects.filter(pk=kept.pk).update(state_changed_at=timezone.now() - dt.timedelta(minutes=10))
    assert sweep_stale_notices.apply().get() == 1
    kept.refresh_from_db()
    assert kept.state == "parsed"
