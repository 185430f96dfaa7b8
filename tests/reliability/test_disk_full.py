"""A full disk: the upload answers in Chinese (507) and keeps nothing — no row, no partial file.

``DiskFullStorage`` is the site's storage with its byte writer failing the way
a full disk does: the first part of the file reaches the disk, then the write
raises ``OSError(ENOSPC)``.  Everything above that (naming, clean-up, the
service, the views) is the real code.
"""
import errno
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import include, path

from notices.models import Notice
from rectify_site.storage import SafeFileSystemStorage

from . import corpus

pytestmark = pytest.mark.django_db

MESSAGE = "服务器存储空间不足，文件未保存，请稍后再试"


class DiskFullStorage(SafeFileSystemStorage):
    def _write(self, out, chunk):
        out.write(chunk[: len(chunk) // 2])
        out.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def full_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": f"{__name__}.DiskFullStorage", "OPTIONS": {"location": tmp_path}}}
    return tmp_path


def _files_under(root):
    return [os.path.join(d, f) for d, _, names in os.walk(root) for f in names]


def test_the_api_upload_says_the_disk_is_full_in_chinese_and_keeps_nothing(full_disk, login, hospital_a_clerk):
    upload = SimpleUploadedFile("通报.txt", corpus.NOTICE.encode())
    response = login(hospital_a_clerk).post("/api/notices/", {"file": upload})
    assert response.status_code == 507
    assert MESSAGE in response.json()["detail"]
    assert not Notice.objects.exists()
    assert _files_under(full_disk) == []


def test_the_upload_page_says_the_disk_is_full_in_chinese_and_keeps_nothing(full_disk, login, hospital_a_clerk):
    upload = SimpleUploadedFile("通报.txt", corpus.NOTICE.encode())
    response = login(hospital_a_clerk).post("/notices/", {"files": [upload]})
    assert response.status_code == 507
    page = response.content.decode()
    assert "「通报.txt」未保存" in page and MESSAGE in page
    assert not Notice.objects.exists()
    assert _files_under(full_disk) == []


def test_after_the_disk_is_freed_the_same_upload_succeeds(full_disk, settings, login, hospital_a_clerk):
    client = login(hospital_a_clerk)
    data = corpus.NOTICE.encode()
    assert client.post("/api/notices/", {"file": SimpleUploadedFile("通报.txt", data)}).status_code == 507
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "rectify_site.storage.SafeFileSystemStorage",
                                                          "OPTIONS": {"location": full_disk}}}
    response = client.post("/api/notices/", {"file": SimpleUploadedFile("通报.txt", data)})
    assert response.status_code == 202
    notice = Notice.objects.get()
    with notice.file.open("rb") as stored:
        assert stored.read() == data
    assert len(_files_under(full_disk)) == 1


def test_a_name_already_taken_is_never_overwritten_or_removed_by_a_failed_write(full_disk):
    (full_disk / "x.txt").write_bytes(b"someone else's file")
    storage = DiskFullStorage(location=full_disk)
    with pytest.raises(OSError) as raised:
        storage.save("x.txt", SimpleUploadedFile("x.txt", b"new bytes"))
    assert raised.value.errno == errno.ENOSPC
    assert _files_under(full_disk) == [str(full_disk / "x.txt")]
    assert (full_disk / "x.txt").read_bytes() == b"someone else's file"


def _full_disk_view(request):
    raise OSError(errno.ENOSPC, "No space left on device")


urlpatterns = [path("evidence-like/", _full_disk_view), path("api/evidence-like/", _full_disk_view),
               path("", include("rectify_site.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def test_a_full_disk_in_any_other_view_is_a_chinese_507_not_a_500(db):
    client = Client(raise_request_exception=False)
    page = client.get("/evidence-like/")
    assert page.status_code == 507 and MESSAGE in page.content.decode()
    api = client.get("/api/evidence-like/")
    assert api.status_code == 507 and MESSAGE in api.json()["detail"]
