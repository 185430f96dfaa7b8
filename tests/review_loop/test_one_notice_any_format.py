"""One notice, whatever its format: the .docx of a .txt already uploaded is filed with it, not counted twice."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notices.models import Notice
from tests.extraction.builders import to_docx, to_html
from tests.review_support import accept, publish
from tracking.models import FeedbackIssue, IssueStatement

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample_text(samples):
    return samples[0].read_text(encoding="utf-8")  # 清远市中医院, 14 issues, 公开期限 2025年4月7日至5月6日


def _post(client, name, data):
    return client.post("/notices/", {"files": [SimpleUploadedFile(name, data)]}, follow=True)


@pytest.mark.django_db(transaction=True)  # committed uploads: the in-process parse runs inside the request, as in `make run`
def test_the_docx_of_a_txt_already_uploaded_is_one_notice_with_two_formats(
        role_groups, sample_text, login, hospital_a_clerk, staff):
    client = login(hospital_a_clerk)
    _post(client, "通报.txt", sample_text.encode())
    original = Notice.objects.get()
    assert original.review_state == "pending"

    docx, _ = to_docx(sample_text, auto_numbering=True)
    response = _post(client, "通报.docx", docx)

    copy = Notice.objects.exclude(pk=original.pk).get()
    assert (copy.review_state, copy.duplicate_of, copy.format) == ("duplicate", original, "docx")
    assert response.redirect_chain[-1][0] == f"/notices/{original.pk}/"  # the uploader is sent to the notice
    page = response.content.decode()
    assert "是同一份通报，已作为它的另一格式保存" in page
    assert f'href="/notices/{copy.pk}/download"' in page  # kept, as another format of it

    accept(original, staff)
    publish(original, staff, start=dt.date.today() - dt.timedelta(days=1), end=dt.date.today() + dt.timedelta(days=9))
    assert IssueStatement.objects.filter(notice=copy).count() == 0
    assert FeedbackIssue.objects.count() == IssueStatement.objects.filter(notice=original).count() == 14
    public = client.get("/api/public/disclosures/").json()
    assert [r["id"] for r in public["results"]] == [original.pk]
    assert client.get(f"/public/{copy.pk}/").status_code == 404
    assert f'data-notice="{copy.pk}"' not in login(staff).get("/review/").content.decode()  # nothing to review


def test_a_copy_page_points_to_its_notice_and_the_status_json_says_where(
        sample_text, upload, hospital_a_clerk, login):
    original = upload(hospital_a_clerk, "通报.txt", sample_text.encode())
    copy = upload(hospital_a_clerk, "通报.html", to_html(sample_text))
    client = login(hospital_a_clerk)
    status = client.get(f"/notices/{copy.pk}/status.json").json()
    assert (status["status"], status["duplicate_of_url"]) == ("duplicate", f"/notices/{original.pk}/")
    assert status["summary"]["counted"] is False
    page = client.get(f"/notices/{copy.pk}/").content.decode()
    assert f'href="/notices/{original.pk}/"' in page and "不重复计入" in page


def test_another_progress_notice_of_the_same_inspection_is_not_a_copy(fake_parser, upload, hospital_a_clerk):
    from tests.pipeline.conftest import issue, notice

    fake_parser.results["first.txt"] = notice([issue(1, "理论学习不深入")], published=dt.date(2024, 6, 1))
    fake_parser.results["later.txt"] = notice([issue(1, "理论学习不深入", "completed")], published=dt.date(2025, 4, 7))
    upload(hospital_a_clerk, "first.txt")
    later = upload(hospital_a_clerk, "later.txt")
    assert (later.review_state, later.duplicate_of) == ("pending", None)


def test_withdrawing_a_notice_withdraws_its_other_formats_too(sample_text, upload, hospital_a_clerk):
    from notices.services import notice_withdraw

    original = upload(hospital_a_clerk, "通报.txt", sample_text.encode())
    copy = upload(hospital_a_clerk, "通报.html", to_html(sample_text))
    notice_withdraw(notice=original, withdrawn_by=hospital_a_clerk, reason="重传")
    copy.refresh_from_db()
    assert copy.is_withdrawn and copy.withdraw_reason == "随原通报撤回"
