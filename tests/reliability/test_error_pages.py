"""Error answers are Chinese: 400 (with too many files named as the cause), 403, 404, 500, on pages and the API."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import include, path

pytestmark = pytest.mark.django_db


def _files(n):
    return [SimpleUploadedFile(f"通报{i}.txt", b"x") for i in range(n)]


@pytest.fixture
def few_files_allowed(settings):
    # The same refusal as at Django's default of 100, with a smaller body to build.
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    return 3


def test_too_many_files_on_the_upload_page_is_refused_in_chinese(few_files_allowed, hospital_a_clerk):
    from notices.models import Notice

    client = Client(enforce_csrf_checks=True)  # as in production: the CSRF check is what reads the body first
    client.force_login(hospital_a_clerk)
    client.get("/notices/")
    response = client.post("/notices/", {"files": _files(4), "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code == 400
    page = response.content.decode()
    assert "一次提交的文件过多（最多 3 个），未上传任何文件，请分批上传" in page
    assert "Bad Request" not in page and "<html" in page
    assert not Notice.objects.exists()


def test_too_many_files_on_the_api_is_refused_in_chinese_json(few_files_allowed, login, hospital_a_clerk):
    response = login(hospital_a_clerk).post("/api/notices/", {"file": _files(4)})
    assert response.status_code == 400
    assert response.json() == {"detail": "一次提交的文件过多（最多 3 个），未上传任何文件，请分批上传"}


def test_the_default_limit_is_djangos_hundred_files(settings):
    from rectify_site.views import too_many_files_message

    assert "最多 100 个" in too_many_files_message()


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
