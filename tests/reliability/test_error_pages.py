"""Error answers are Chinese: 400 (with too many files named as the cause), 403, 404, 500, on pages and the API."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import include, path

pytestmark = pytest.mark.django_db


def _files(n):
    return [SimpleUploadedFile(f"通报{i}.txt", b"x") for i in range(n)]


def test_101_files_on_the_upload_page_are_refused_in_chinese(hospital_a_clerk):
    from notices.models import Notice

    client = Client(enforce_csrf_checks=True)  # as in production: the CSRF check is what reads the body first
    client.force_login(hospital_a_clerk)
    client.get("/notices/")
    token = client.cookies["csrftoken"].value
    response = client.post("/notices/", {"files": _files(101), "csrfmiddlewaretoken": token})
    assert response.status_code == 400
    page = response.content.decode()
    assert "一次提交的文件过多（最多 100 个），未上传任何文件，请分批上传" in page
    assert "Bad Request" not in page and "<html" in page
    assert not Notice.objects.exists()


def test_101_files_on_the_api_are_refused_in_chinese_json(login, hospital_a_clerk):
    from notices.models import Notice

    response = login(hospital_a_clerk).post("/api/notices/", {"file": _files(101)})
    assert response.status_code == 400
    assert response.json() == {"detail": "一次提交的文件过多（最多 100 个），未上传任何文件，请分批上传"}
    assert not Notice.objects.exists()


def test_the_limit_in_the_message_follows_the_setting(settings, login, hospital_a_clerk):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    response = login(hospital_a_clerk).post("/api/notices/", {"file": _files(4)})
    assert response.json()["detail"].startswith("一次提交的文件过多（最多 3 个）")


def _boom(request):
    raise RuntimeError("boom")


def _suspicious(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("odd")


def _forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


urlpatterns = [path("boom/", _boom), path("odd/", _suspicious), path("forbidden/", _forbidden),
               path("", include("rectify_site.urls"))]


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("url, status, heading", [
    ("/odd/", 400, "请求无法处理"),
    ("/forbidden/", 403, "无权访问"),
    ("/no-such-page/", 404, "页面不存在"),
    ("/boom/", 500, "系统出错了"),
])
def test_error_pages_are_chinese(url, status, heading):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert heading in page and 'lang="zh-Hans"' in page
    for english in ("Bad Request", "Forbidden", "Not Found", "Server Error"):
        assert english not in page
