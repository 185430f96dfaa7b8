"""Every parse leaves one JSON log line: which notice, how long it took, how it ended."""
import json
import logging

import pytest

from notices.services import notice_create
from rectify_site.logging import JsonFormatter

from . import corpus

pytestmark = pytest.mark.django_db


def _parse_lines(caplog):
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.getMessage() == "parse_notice"]


@pytest.mark.parametrize(("case", "outcome"), [
    (corpus.gb18030_text, "parsed"),
    (corpus.encrypted_pdf, "failed"),
    (corpus.not_a_rectification_notice, "parsed"),
], ids=["parsed", "failed", "not a notice"])
def test_each_parse_logs_one_json_line_with_notice_id_duration_and_outcome(
        case, outcome, hospital_a_clerk, django_capture_on_commit_callbacks, caplog):
    upload = case()
    with caplog.at_level(logging.INFO, logger="notices"), django_capture_on_commit_callbacks(execute=True):
        notice, _ = notice_create(data=upload.data, filename=upload.filename, uploaded_by=hospital_a_clerk)

    [line] = _parse_lines(caplog)
    assert line["notice_id"] == notice.pk
    assert line["outcome"] == outcome
    assert isinstance(line["duration_ms"], int) and line["duration_ms"] >= 0
    assert line["logger"] == "notices.tasks" and line["level"] == "INFO"


def test_the_json_logging_is_what_the_settings_configure(settings):
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"
    assert settings.LOGGING["formatters"]["json"]["()"] == "rectify_site.logging.JsonFormatter"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_under_a_real_celery_worker_each_parse_logs_one_json_line(role_groups, real_queue, login, hospital_a_clerk):
    """Celery would format the worker's log its own way; the worker logs through LOGGING instead."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from notices.models import Notice
    from tests.services import wait_for

    client = login(hospital_a_clerk)
    log_before = real_queue.log_path.stat().st_size
    ids = {}
    for case, outcome in ((corpus.gb18030_text, "parsed"), (corpus.encrypted_pdf, "failed")):
        upload = case()
        response = client.post("/api/notices/", {"file": SimpleUploadedFile(upload.filename, upload.data)})
        assert response.status_code == 202
        ids[response.json()["id"]] = outcome
    wait_for(lambda: Notice.objects.filter(pk__in=ids, state__in=["parsed", "failed"]).count() == len(ids),
             timeout=120)

    def parse_lines():
        text = real_queue.log_path.read_bytes()[log_before:].decode("utf-8", "replace")
        return [line for line in text.splitlines() if '"parse_notice"' in line]

    lines = wait_for(lambda: len(parse_lines()) >= len(ids) and parse_lines(), timeout=10)
    records = [json.loads(line) for line in lines]  # each one a whole JSON object on its own line
    assert sorted((r["notice_id"], r["outcome"]) for r in records) == sorted(ids.items())
    for record in records:
        assert (record["logger"], record["level"], record["message"]) == ("notices.tasks", "INFO", "parse_notice")
        assert isinstance(record["duration_ms"], int) and record["duration_ms"] >= 0
    assert all(Notice.objects.get(pk=pk).state == outcome for pk, outcome in ids.items())
