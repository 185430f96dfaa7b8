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
