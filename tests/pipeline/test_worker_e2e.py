"""End to end through the real services: HTTP upload → PostgreSQL → Redis → a separate worker process.

The parser in this (the test) process is sabotaged, and every task id the
uploads published must show up as succeeded in the worker's own log, so a
parsed notice here can only have been parsed by the worker, which reached
it through Redis and wrote its rows to PostgreSQL.
"""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notices.models import Notice
from tests.conftest import GOLD_DIR
from tests.review_support import accept
from tests.services import wait_for
from tracking.models import FeedbackIssue, IssueStatement

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published_task_ids(monkeypatch):
    """Ids of the parse tasks published to the broker by this process."""
    from notices.tasks import parse_notice

    ids, publish = [], parse_notice.apply_async  # as notice_enqueue_parse publishes

    def apply_async(*args, **kwargs):
        result = publish(*args, **kwargs)
        ids.append(result.id)
        return result

    monkeypatch.setattr(parse_notice, "apply_async", apply_async)
    return ids


@pytest.fixture
def no_parsing_here(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("parsed in the test process, not in the worker")

    monkeypatch.setattr("notices.services.parse_bytes", refuse)


def _upload(client, path):
    return client.post("/api/notices/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})


def _finished(pk):
    notice = Notice.objects.get(pk=pk)
    return notice if notice.state in ("parsed", "failed") else None


def test_each_sample_uploaded_over_http_is_parsed_by_the_worker_into_postgresql(
        real_queue, published_task_ids, no_parsing_here, login, staff, samples):
    from django.db import connection

    assert connection.vendor == "postgresql"
    client = login(staff)
    accepted = {}
    for path in samples:
        response = _upload(client, path)
        assert response.status_code == 202, response.content
        assert response.json()["state"] == "queued"
        accepted[path] = response.json()["id"]

    for path, pk in accepted.items():
        notice = wait_for(lambda: _finished(pk), timeout=180, interval=0.5)
        assert notice.state == "parsed", f"{path.name}: {notice.error}"
        assert notice.review_state == "pending" and not IssueStatement.objects.filter(notice=notice).exists()
        notice = accept(notice, staff)  # the worker proposes; staff accept
        gold = json.loads((GOLD_DIR / f"{path.stem}.json").read_text())
        assert IssueStatement.objects.filter(notice=notice).count() == len(gold["issues"]), path.name
        assert FeedbackIssue.objects.filter(inspection=notice.inspection).count() == len(gold["issues"]), path.name
        assert notice.institution.normalized_name  # linked to (or created as) an institution

    worker_log = real_queue.log_path.read_text(errors="replace")
    assert len(published_task_ids) == len(samples)
    for task_id in published_task_ids:
        assert f"notices.tasks.parse_notice[{task_id}] succeeded" in worker_log

    # The same file again: no second notice, no second set of issues, no second job.
    issues_before = FeedbackIssue.objects.count()
    again = _upload(client, samples[0])
    assert again.status_code == 200 and again.json()["id"] == accepted[samples[0]]
    assert Notice.objects.count() == len(samples)
    assert FeedbackIssue.objects.count() == issues_before
    assert len(published_task_ids) == len(samples)


def test_a_bad_file_fails_in_the_worker_with_its_chinese_message_and_a_retry_goes_through_it_again(
        real_queue, published_task_ids, login, hospital_a_clerk, samples):
    client = login(hospital_a_clerk)
    response = client.post("/api/notices/", {"file": SimpleUploadedFile("扫描件.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64)})
    assert response.status_code == 202
    pk = response.json()["id"]
    failed = wait_for(lambda: _finished(pk), timeout=120, interval=0.3)
    assert failed.state == "failed" and "图片文件已损坏" in failed.error and failed.attempts == 1
    assert "图片文件已损坏" in client.get(f"/notices/{pk}/").content.decode()

    client.post(f"/notices/{pk}/reparse")
    retried = wait_for(lambda: Notice.objects.get(pk=pk).attempts == 2 and _finished(pk), timeout=120, interval=0.3)
    assert retried.state == "failed"  # the same bad bytes fail the same way, once per request
    worker_log = real_queue.log_path.read_text(errors="replace")
    assert all(f"parse_notice[{task_id}] succeeded" in worker_log for task_id in published_task_ids)
