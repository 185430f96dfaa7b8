"""A 200 MB upload streams through the real upload page and API and is refused in Chinese, memory staying low."""
import tracemalloc

import pytest

from notices.models import Notice
from notices.services import too_large_message
from rectify_site.uploads import too_large_message as body_too_large_message

from .streams import huge_upload, post_stream

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


@pytest.mark.parametrize(("path", "field"), [("/notices/", "files"), ("/api/notices/", "file")], ids=["page", "api"])
def test_a_200_mb_upload_is_refused_in_chinese_while_it_streams_without_filling_memory(
        path, field, hospital_a_clerk, settings):
    # Warm up first: the first request imports and compiles what every later one reuses.
    post_stream(path, huge_upload(field=field, filename="warm-up.pdf", size=MB), user=hospital_a_clerk)
    body = huge_upload(field=field, filename="巡察整改通报.pdf", size=200 * MB)
    tracemalloc.start()
    try:
        response = post_stream(path, body, user=hospital_a_clerk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert response.status_code == 400
    assert too_large_message("巡察整改通报.pdf") in response.content.decode()
    assert body.position == len(body)  # it really streamed through the parser, not refused by its header
    assert peak < 16 * MB, f"peak {peak / MB:.1f} MB"
    assert not Notice.objects.filter(original_name="巡察整改通报.pdf").exists()


def test_a_body_larger_than_any_batch_is_refused_before_a_byte_is_read(hospital_a_clerk, settings):
    body = huge_upload(field="file", filename="巡察整改通报.pdf", size=settings.MAX_REQUEST_BODY_BYTES + MB)
    response = post_stream("/api/notices/", body, user=hospital_a_clerk)
    assert response.status_code == 413
    assert response.content.decode() == body_too_large_message()
    assert body.position == 0
