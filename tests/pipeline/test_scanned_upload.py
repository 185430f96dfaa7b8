"""A scanned upload: OCR reports each page on the notice while it parses, and the result says it was OCR'd.

The OCR engine itself is replaced by a stand-in that reads nothing from the
image (the real engine is tested in tests/extraction); everything around it —
the PDF, the page loop, progress, confidence, the pages — is real.
"""
import pytest
from PIL import Image

from notices.models import Notice

pytestmark = pytest.mark.django_db

TEXT_OF_PAGE = [
    "关于巡察整改进展情况的通报",
    "根据市委统一部署，市委第三巡察组于2025年3月14日向医院党委反馈了巡察意见。",
    "一、巡察反馈问题整改落实情况",
]


@pytest.fixture
def three_page_scan():
    from tests.extraction import builders

    return builders.images_to_pdf([Image.new("RGB", (330, 468), "white") for _ in range(3)], dpi=40)


@pytest.fixture
def recogniser(monkeypatch):
    """Stands in for the OCR engine: one line per page, and the notice's progress as each page starts."""
    from notices.parsing.extract import layout, ocr

    seen = []

    def recognise(rgb):
        notice = Notice.objects.order_by("-pk").first()
        seen.append((notice.progress_done, notice.progress_total))
        text = TEXT_OF_PAGE[len(seen) - 1]
        return (1000.0, 1400.0, [layout.Line(text, 100, 900, 1200, 1240)]), [(0.9, len(text))]

    monkeypatch.setattr(ocr, "recognise", recognise)
    return seen


def test_a_scanned_pdf_reports_its_ocr_pages_while_parsing(upload, hospital_a_clerk, three_page_scan, recogniser):
    notice = upload(hospital_a_clerk, "扫描件.pdf", three_page_scan)

    assert recogniser == [(0, 3), (1, 3), (2, 3)]
    assert (notice.state, notice.progress_done, notice.progress_total) == ("parsed", 3, 3)


def test_a_scanned_notice_records_ocr_as_its_source_and_goes_to_review(upload, hospital_a_clerk, three_page_scan,
                                                                      recogniser, login):
    notice = upload(hospital_a_clerk, "扫描件.pdf", three_page_scan)

    assert (notice.format, notice.text_source, notice.ocr_confidence) == ("pdf", "ocr", 0.9)
    assert notice.confidence in ("medium", "low")
    assert notice.review_reasons[0] == "文字由OCR识别，平均置信度0.90，请对照原件核对"
    page = login(hospital_a_clerk).get(f"/notices/{notice.pk}/").content.decode()
    assert "文字来源：OCR识别" in page


def test_the_status_json_carries_the_ocr_progress(upload, hospital_a_clerk, three_page_scan, recogniser, login):
    notice = upload(hospital_a_clerk, "扫描件.pdf", three_page_scan)
    Notice.objects.filter(pk=notice.pk).update(state="parsing", progress_done=2, progress_total=5)

    status = login(hospital_a_clerk).get(f"/notices/{notice.pk}/status.json").json()

    assert status["progress"] == {"done": 2, "total": 5}


def test_a_reparse_starts_the_progress_again(upload, hospital_a_clerk, three_page_scan, recogniser,
                                              django_capture_on_commit_callbacks):
    from notices.services import notice_request_reparse

    notice = upload(hospital_a_clerk, "扫描件.pdf", three_page_scan)
    recogniser.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notice_request_reparse(notice=notice)

    assert recogniser[0] == (0, 3)


@pytest.mark.parametrize("name", ["通报.ofd", "扫描.jpg", "扫描.png", "扫描.tif", "通报.wps"])
def test_the_new_formats_are_accepted_at_upload(name):
    from notices.services import notice_validate_upload

    assert notice_validate_upload(filename=name, size=100) in ("ofd", "image", "doc")
