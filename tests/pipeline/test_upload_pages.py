"""The upload page, the notice page, the status JSON and the download, by role."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notices.models import Notice

from tests.review_support import accept, publish

from .conftest import issue, notice

pytestmark = pytest.mark.django_db


def _file(name, data=None):
    return SimpleUploadedFile(name, data if data is not None else f"{name} 通报正文".encode(), "text/plain")


def test_the_upload_page_states_formats_and_size_limit(login, hospital_a_clerk):
    response = login(hospital_a_clerk).get("/notices/")
    page = response.content.decode()
    for text in (".txt", ".docx", ".pdf", ".html", ".doc", "不超过 20 MB", "拖到这里", 'multiple'):
        assert text in page
    assert "institution" not in response.context["form"].fields  # a clerk's uploads are always their own hospital's
    assert "<script>" not in page and "style=" not in page  # CSP: no inline code or styles


def test_staff_choose_the_institution_on_the_upload_page(login, staff, hospital_a):
    response = login(staff).get("/notices/")
    assert "institution" in response.context["form"].fields
    assert "清远市中医院" in response.content.decode()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get("/notices/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_user_without_a_hospital_cannot_upload(login, outsider):
    response = login(outsider).post("/notices/", {"files": [_file("a.txt")]})
    assert response.status_code == 403
    assert not Notice.objects.exists()


def test_a_clerk_uploads_several_files_at_once_for_their_own_hospital(
        fake_parser, login, hospital_a_clerk, hospital_a, hospital_b, django_capture_on_commit_callbacks):
    fake_parser.results["a.txt"] = notice([issue(1, "理论学习不深入")])
    fake_parser.results["b.docx"] = notice([issue(1, "理论学习不深入")], title="第二份")
    with django_capture_on_commit_callbacks(execute=True):
        response = login(hospital_a_clerk).post(
            "/notices/", {"files": [_file("a.txt"), _file("b.docx", b"PK other bytes")], "institution": hospital_b.pk})
    assert response.status_code == 302
    assert sorted(Notice.objects.values_list("original_name", "institution_id", "state")) == [
        ("a.txt", hospital_a.pk, "parsed"), ("b.docx", hospital_a.pk, "parsed")]


def test_oversized_uploads_are_refused_in_chinese(login, hospital_a_clerk, settings):
    settings.NOTICE_MAX_UPLOAD_BYTES = 10
    response = login(hospital_a_clerk).post("/notices/", {"files": [_file("big.txt", b"x" * 11)]})
    assert response.status_code == 400
    assert "「big.txt」超过了每个文件" in response.content.decode()
    assert not Notice.objects.exists()


def test_unsupported_formats_are_refused_in_chinese(login, hospital_a_clerk):
    response = login(hospital_a_clerk).post("/notices/", {"files": [_file("animation.gif", b"GIF89a")]})
    assert response.status_code == 400
    assert "格式不受支持" in response.content.decode()
    assert not Notice.objects.exists()


def test_the_same_file_twice_leaves_one_notice_and_sends_the_uploader_to_it(
        fake_parser, login, hospital_a_clerk, django_capture_on_commit_callbacks):
    fake_parser.results["a.txt"] = fake_parser.results["copy.txt"] = notice([issue(1, "理论学习不深入")])
    client = login(hospital_a_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/notices/", {"files": [_file("a.txt")]})
        second = client.post("/notices/", {"files": [_file("copy.txt", b"a.txt \xe9\x80\x9a\xe6\x8a\xa5\xe6\xad\xa3\xe6\x96\x87")]})
    only = Notice.objects.get()
    assert first["Location"] == second["Location"] == f"/notices/{only.pk}/"
    assert fake_parser.calls == 1


def test_a_clerk_gets_404_for_another_hospitals_notice(fake_parser, upload, login, hospital_a_clerk,
                                                        hospital_b_clerk):
    fake_parser.results["a.txt"] = notice([issue(1, "理论学习不深入")])
    theirs = upload(hospital_a_clerk, "a.txt")
    client = login(hospital_b_clerk)
    for suffix in ("", "status.json", "download"):
        assert client.get(f"/notices/{theirs.pk}/{suffix}").status_code == 404
    assert client.post(f"/notices/{theirs.pk}/withdraw").status_code == 404
    assert client.post(f"/notices/{theirs.pk}/reparse").status_code == 404
    assert "a.txt" not in client.get("/notices/").content.decode()


def test_the_download_returns_the_original_bytes_as_an_attachment(fake_parser, upload, login, hospital_a_clerk):
    fake_parser.results["原件.txt"] = notice([issue(1, "理论学习不深入")])
    mine = upload(hospital_a_clerk, "原件.txt", "原始字节 \r\n".encode("gb18030"))
    response = login(hospital_a_clerk).get(f"/notices/{mine.pk}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "原始字节 \r\n".encode("gb18030")
    assert response["Content-Disposition"].startswith("attachment")


def test_the_notice_page_and_status_json_show_the_summary(fake_parser, upload, login, hospital_a_clerk):
    fake_parser.results["a.txt"] = notice(
        [issue(1, "理论学习不深入", "completed"), issue(2, "财务管理<b>不规范</b>", "in_progress"),
         issue(3, "制度执行不到位")])
    mine = upload(hospital_a_clerk, "a.txt")
    client = login(hospital_a_clerk)
    status = client.get(f"/notices/{mine.pk}/status.json").json()
    assert (status["state"], status["status"], status["status_label"]) == ("parsed", "pending", "待审核")
    assert status["summary"]["issues"] == 3 and status["summary"]["counted"] is False
    assert {c["status"]: c["count"] for c in status["summary"]["by_status"]} == {
        "completed": 1, "in_progress": 1, "long_term": 0, "not_stated": 1}
    page = client.get(f"/notices/{mine.pk}/").content.decode()
    assert "清远市中医院 · 市委第五巡察组 · 2024-03-28反馈" in page and "尚未计入台账" in page
    assert "/progress/institutions/" not in page and "/progress/issues/" not in page  # nothing to link to yet

    accept(mine)
    status = client.get(f"/notices/{mine.pk}/status.json").json()
    assert (status["status_label"], status["summary"]["counted"]) == ("已通过", True)
    page = client.get(f"/notices/{mine.pk}/").content.decode()
    assert "清远市中医院 · 市委第五巡察组" in page
    assert f'href="/progress/institutions/{mine.institution_id}/"' in page
    first_issue = mine.statements.get(number="1").issue_id
    assert f'href="/progress/issues/{first_issue}/"' in page
    assert "已完成整改 1" in page


def test_the_notice_page_polls_while_the_parse_runs(upload, login, hospital_a_clerk, monkeypatch):
    monkeypatch.setattr("notices.services.notice_enqueue_parse", lambda **kw: None)
    waiting = upload(hospital_a_clerk, "a.txt")
    page = login(hospital_a_clerk).get(f"/notices/{waiting.pk}/").content.decode()
    assert waiting.state == "queued"
    assert f'data-status-url="/notices/{waiting.pk}/status.json"' in page
    assert "js/upload.js" in page
    listing = login(hospital_a_clerk).get("/notices/").content.decode()
    assert f'data-poll="/notices/{waiting.pk}/status.json"' in listing


def test_the_uploader_can_withdraw_a_notice_that_is_not_public(fake_parser, upload, login, hospital_a_clerk):
    fake_parser.results["a.txt"] = notice([issue(1, "理论学习不深入")])
    mine = upload(hospital_a_clerk, "a.txt")
    login(hospital_a_clerk).post(f"/notices/{mine.pk}/withdraw", {"reason": "传错了文件"})
    mine.refresh_from_db()
    assert mine.is_withdrawn and mine.withdrawn_by == hospital_a_clerk and mine.withdraw_reason == "传错了文件"
    assert mine.file.storage.exists(mine.file.name)  # nothing destroyed


def test_a_public_notice_cannot_be_withdrawn(fake_parser, upload, login, staff, hospital_a_clerk):
    import datetime as dt

    from django.utils import timezone

    fake_parser.results["a.txt"] = notice([issue(1, "理论学习不深入")])
    mine = upload(hospital_a_clerk, "a.txt")
    today = timezone.localdate()
    publish(mine, staff, start=today - dt.timedelta(days=1), end=today + dt.timedelta(days=10))
    response = login(staff).post(f"/notices/{mine.pk}/withdraw", follow=True)
    mine.refresh_from_db()
    assert not mine.is_withdrawn
    assert "公开期内" in response.content.decode()


def test_parsed_text_is_escaped_on_the_page(fake_parser, upload, login, hospital_a_clerk):
    fake_parser.results["a.txt"] = notice([issue(1, "理论学习不深入")], title="<script>alert(1)</script>通报")
    mine = upload(hospital_a_clerk, "a.txt")
    page = login(hospital_a_clerk).get(f"/notices/{mine.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_issue_titles_from_the_notice_are_escaped(fake_parser, upload, login, hospital_a_clerk):
    fake_parser.results["a.txt"] = notice([issue(1, "<img src=x onerror=alert(1)>收费不规范")])
    mine = upload(hospital_a_clerk, "a.txt", accept=True)
    page = login(hospital_a_clerk).get(f"/notices/{mine.pk}/").content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;收费不规范" in page
def test_notice_page_links_to_its_disclosure_management(login, hospital_a_clerk, django_capture_on_commit_callbacks):
    from notices.services import notice_create

    with django_capture_on_commit_callbacks(execute=True):
        notice, _ = notice_create(data="根据市委统一部署……".encode(), filename="n.txt", uploaded_by=hospital_a_clerk)
    page = login(hospital_a_clerk).get(f"/notices/{notice.pk}/").content.decode()
    assert f'href="/public/manage/{notice.pk}/"' in page
