"""``/api/notices/``: upload answers 202, everything scoped to what the caller may see."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notices.models import Notice

from .conftest import issue, notice

pytestmark = pytest.mark.django_db


def _post(client, name, data=None, **extra):
    body = {"file": SimpleUploadedFile(name, data or f"{name} 通报正文".encode())} | extra
    return client.post("/api/notices/", body)


def test_an_upload_answers_202_with_the_notices_url_and_state(fake_parser, login, hospital_a_clerk):
    fake_parser.results["a.txt"] = notice([issue(1, "理论学习不深入")])
    response = _post(login(hospital_a_clerk), "a.txt")
    assert response.status_code == 202
    body = response.json()
    created = Notice.objects.get()
    assert body["url"].endswith(f"/api/notices/{created.pk}/") and response["Location"] == body["url"]
    assert body["state"] == "queued" and body["created"] is True  # parse runs after the response's commit
    assert body["status_url"] == f"/notices/{created.pk}/status.json"


def test_the_same_file_again_answers_200_with_the_existing_notice(fake_parser, login, hospital_a_clerk):
    fake_parser.results["a.txt"] = notice([issue(1, "理论学习不深入")])
    client = login(hospital_a_clerk)
    first = _post(client, "a.txt").json()
    again = _post(client, "a.txt")
    assert again.status_code == 200
    assert again.json()["id"] == first["id"] and again.json()["created"] is False
    assert Notice.objects.count() == 1


def test_a_clerk_cannot_upload_for_another_institution(login, hospital_a_clerk, hospital_b):
    response = _post(login(hospital_a_clerk), "a.txt", institution=hospital_b.pk)
    assert response.status_code == 403
    assert "本单位" in response.json()["detail"]
    assert not Notice.objects.exists()


def test_staff_may_upload_for_any_institution(fake_parser, login, staff, hospital_b):
    fake_parser.results["b.txt"] = notice([issue(1, "理论学习不深入")], institution="长沙市中心医院")
    response = _post(login(staff), "b.txt", institution=hospital_b.pk)
    assert response.status_code == 202
    assert Notice.objects.get().institution == hospital_b


def test_uploads_are_refused_without_the_role_or_with_a_bad_file(login, outsider, hospital_a_clerk, client):
    assert _post(client, "a.txt").status_code in (401, 403)
    assert _post(login(outsider), "a.txt").status_code == 403
    bad = _post(login(hospital_a_clerk), "a.exe")
    assert bad.status_code == 400 and "格式不受支持" in bad.json()["file"][0]
    assert not Notice.objects.exists()


def test_the_list_shows_only_the_callers_notices_and_filters_by_state(
        fake_parser, upload, login, hospital_a_clerk, hospital_b_clerk, staff):
    fake_parser.results["a.txt"] = notice([issue(1, "理论学习不深入")])
    fake_parser.results["b.txt"] = notice([issue(1, "理论学习不深入")], institution="长沙市中心医院")
    fake_parser.results["bad.txt"] = ValueError("boom")
    a = upload(hospital_a_clerk, "a.txt")
    upload(hospital_b_clerk, "b.txt")
    upload(hospital_a_clerk, "bad.txt")

    mine = login(hospital_a_clerk).get("/api/notices/").json()
    assert sorted(n["original_name"] for n in mine["results"]) == ["a.txt", "bad.txt"]
    failed = login(staff).get("/api/notices/", {"state": "failed"}).json()
    assert [n["original_name"] for n in failed["results"]] == ["bad.txt"]
    detail = login(hospital_a_clerk).get(f"/api/notices/{a.pk}/").json()
    assert detail["summary"]["issues"] == 1
    assert login(hospital_b_clerk).get(f"/api/notices/{a.pk}/").status_code == 404


def test_withdraw_and_reparse_over_the_api(fake_parser, upload, login, hospital_a_clerk, staff,
                                           django_capture_on_commit_callbacks):
    fake_parser.results["a.txt"] = notice([issue(1, "理论学习不深入")])
    mine = upload(hospital_a_clerk, "a.txt")
    clerk = login(hospital_a_clerk)
    assert clerk.post(f"/api/notices/{mine.pk}/reparse/").status_code == 403  # parsed: only staff re-parse
    with django_capture_on_commit_callbacks(execute=True):
        assert login(staff).post(f"/api/notices/{mine.pk}/reparse/").status_code == 202
    mine.refresh_from_db()
    assert mine.attempts == 2 and mine.state == "parsed"

    response = clerk.post(f"/api/notices/{mine.pk}/withdraw/", {"reason": "重复"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["withdrawn_at"]
    assert clerk.post(f"/api/notices/{mine.pk}/withdraw/").status_code == 403  # already withdrawn


def test_the_schema_documents_the_upload(login, staff):
    schema = login(staff).get("/api/schema/", {"format": "json"}).json()
    post = schema["paths"]["/api/notices/"]["post"]
    assert "202" in post["responses"] and "multipart/form-data" in post["requestBody"]["content"]


def test_withdrawn_notices_are_found_with_the_withdrawn_filter(fake_parser, upload, login, staff, hospital_a_clerk):
    from notices.services import notice_withdraw

    fake_parser.results["keep.txt"] = notice([issue(1, "理论学习不深入")])
    fake_parser.results["gone.txt"] = notice([issue(2, "财务管理不规范")])
    upload(hospital_a_clerk, "keep.txt")
    notice_withdraw(notice=upload(hospital_a_clerk, "gone.txt"), withdrawn_by=staff)
    client = login(staff)
    names = lambda **q: [n["original_name"] for n in client.get("/api/notices/", q).json()["results"]]  # noqa: E731
    assert names(withdrawn="true") == ["gone.txt"]
    assert names(withdrawn="false") == ["keep.txt"]
    assert sorted(names()) == ["gone.txt", "keep.txt"]


def test_a_file_another_hospital_already_uploaded_becomes_the_uploaders_own_notice_and_reveals_nothing(
        fake_parser, login, hospital_a_clerk, hospital_b_clerk, hospital_b):
    fake_parser.results["a.txt"] = notice([issue(1, "理论学习不深入")])
    theirs = _post(login(hospital_a_clerk), "a.txt", b"shared bytes").json()
    response = _post(login(hospital_b_clerk), "a.txt", b"shared bytes")
    assert response.status_code == 202 and response.json()["created"] is True
    body = response.content.decode()
    assert str(theirs["id"]) not in response.json()["url"] and "其他单位" not in body and "清远" not in body
    assert Notice.objects.get(pk=response.json()["id"]).institution == hospital_b
    assert Notice.objects.count() == 2
