"""Every case of the bad-input corpus goes through the real pipeline (upload service, then the parse task).

Each must end as a parsed notice (with the warning it deserves) or a failed
notice with a Chinese message — never an unhandled exception — and the
original bytes must still be stored, hash to the notice's sha256 and be
parseable again on request.
"""
import hashlib
import re
import tracemalloc

import pytest
from django.core.exceptions import ValidationError

from notices.models import AWAITING_REVIEW, Notice
from tests.review_support import accept
from notices.services import notice_create, notice_request_reparse
from tracking.models import FeedbackIssue, IssueStatement

from . import corpus

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u4e00-\u9fff]")
STORED_CASES = [name for name, build in corpus.CASES.items() if name != "empty_file"]


@pytest.fixture
def upload(django_capture_on_commit_callbacks, hospital_a_clerk):
    """Upload as hospital A's clerk through the service; the parse task runs as it would after the commit.

    A parse awaiting review is then accepted, as staff would, so its rows reach the ledger.
    """

    def _upload(case):
        with django_capture_on_commit_callbacks(execute=True):
            notice, created = notice_create(data=case.data, filename=case.filename, uploaded_by=hospital_a_clerk)
        assert created
        notice.refresh_from_db()
        return accept(notice) if notice.review_state in AWAITING_REVIEW else notice

    return _upload


def _reparse(notice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice_request_reparse(notice=notice)
    notice.refresh_from_db()
    return notice


def _assert_outcome(notice, case):
    if case.outcome == "failed":
        assert notice.state == "failed", (notice.state, notice.warnings)
        assert notice.error_code in (case.code, *case.alt_codes)
        assert HAN.search(notice.error), notice.error
        assert IssueStatement.objects.filter(notice=notice).count() == 0
    else:
        assert notice.state == "parsed", (notice.error_code, notice.error)
        assert notice.error == ""
        if case.code:
            assert case.code in {w["code"] for w in notice.warnings}, notice.warnings
        if case.issues is not None:
            assert IssueStatement.objects.filter(notice=notice).count() == case.issues


@pytest.mark.parametrize("name", STORED_CASES)
def test_each_bad_input_ends_parsed_or_failed_in_chinese_with_its_original_kept_and_retryable(
        name, upload, django_capture_on_commit_callbacks):
    case = corpus.CASES[name]()
    notice = upload(case)

    _assert_outcome(notice, case)
    with notice.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == notice.sha256 == hashlib.sha256(case.data).hexdigest()

    again = _reparse(notice, django_capture_on_commit_callbacks)
    assert again.attempts == 2
    _assert_outcome(again, case)  # a re-parse replaces, never duplicates


def test_an_empty_file_is_refused_at_upload_in_chinese_and_nothing_is_stored(hospital_a_clerk):
    case = corpus.empty_file()
    with pytest.raises(ValidationError) as refused:
        notice_create(data=case.data, filename=case.filename, uploaded_by=hospital_a_clerk)
    assert "空文件" in refused.value.messages[0]
    assert not Notice.objects.exists()


def test_an_empty_file_posted_to_the_upload_page_gets_a_chinese_error(login, hospital_a_clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(hospital_a_clerk).post("/notices/", {"files": SimpleUploadedFile("通报.txt", b"")})
    assert response.status_code == 400
    assert "空" in response.content.decode()
    assert not Notice.objects.exists()


def test_a_text_that_is_not_a_notice_is_flagged_and_invents_no_issues(upload):
    notice = upload(corpus.not_a_rectification_notice())
    assert any("未识别为巡察整改通报" in w["message"] for w in notice.warnings)
    assert notice.inspection is None
    assert not FeedbackIssue.objects.exists()


def test_the_zip_bomb_is_refused_without_inflating_it(upload):
    case = corpus.docx_zip_bomb()
    tracemalloc.start()
    try:
        notice = upload(case)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert notice.error_code == "zip_bomb"
    # Inflating would take 128 MB; refusing from the zip directory takes a few.
    assert peak < corpus.BOMB_INFLATED // 8, f"peak {peak / 1e6:.1f} MB"


def test_script_and_sql_in_a_notice_are_kept_as_text_and_shown_escaped(upload, login, staff):
    notice = upload(corpus.script_and_sql_in_the_text())
    first = FeedbackIssue.objects.get(statements__notice=notice, number="1")
    assert "<script>alert('xss')</script>" in first.text
    assert "DROP TABLE notices_notice" in first.text
    assert Notice.objects.filter(pk=notice.pk).exists()  # the table is still there, obviously

    page = login(staff).get(f"/progress/issues/{first.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "&lt;script&gt;alert(" in html
    assert "<script>alert(" not in html and "<img src=x" not in html


def test_control_characters_do_not_reach_the_stored_issue_text(upload):
    notice = upload(corpus.control_characters())
    texts = IssueStatement.objects.filter(notice=notice).values_list("text", flat=True)
    for text in texts:
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text), repr(text[:80])
