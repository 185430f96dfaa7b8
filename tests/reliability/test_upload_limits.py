import io

import pytest
from django.test import override_settings
from django.urls import path
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from rectify_site.uploads import too_large_message


@csrf_exempt
def _echo_files(request):
    return JsonResponse({
        "files": {name: f.size for name, f in request.FILES.items()},
        "oversized": getattr(request, "oversized_uploads", []),
    })


urlpatterns = [path("echo/", _echo_files)]


@override_settings(ROOT_URLCONF=__name__, NOTICE_MAX_UPLOAD_BYTES=1024)
def test_a_file_over_the_limit_is_dropped_while_streaming_and_named(client):
    small, big = io.BytesIO(b"x" * 100), io.BytesIO(b"y" * 5000)
    small.name, big.name = "ok.txt", "huge.pdf"
    response = client.post("/echo/", {"a": small, "b": big})
    assert response.json() == {"files": {"a": 100}, "oversized": ["huge.pdf"]}


@override_settings(ROOT_URLCONF=__name__, MAX_REQUEST_BODY_BYTES=10_000)
def test_a_body_declared_larger_than_any_batch_is_refused_unread(client):
    response = client.generic("POST", "/echo/", b"z" * 20_000, content_type="application/octet-stream")
    assert response.status_code == 413
    assert response.content.decode() == too_large_message()
    assert "MB" in too_large_message() and "文件过大" in too_large_message()
