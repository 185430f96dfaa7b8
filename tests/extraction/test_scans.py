"""Scanned PDFs and photos are recognised by OCR and parse like the text they were printed from.

OCR costs seconds per page, so each sample's scan is built and recognised
once per session (``scans``) and every assertion reads that result; the
other tests use one small page or never reach the engine.
"""
from __future__ import annotations

import importlib.util
import time

import pytest

from notices.parsing.errors import NoticeFileError
from notices.parsing.extract import ExtractContext, Limits, extract_text

from . import builders
from .support import SAMPLE_IDS, SAMPLE_PATHS, REPO, sample_text, structure_parser

NO_FONT = "no Simplified Chinese font to print the test pages (apt-get install fonts-noto-cjk)"
needs_font = pytest.mark.skipif(builders.cjk_font() is None, reason=NO_FONT)

GOLD_DIR = REPO.parent / "shared" / "gold"


def _scorer():
    spec = importlib.util.spec_from_file_location("score_parse", REPO.parent / "shared" / "tools" / "score_parse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def scans():
    """``{sample id: (ExtractedText, [(done, total)…], seconds)}`` for every sample's sealed, skewed, speckled scan."""
    if builders.cjk_font() is None:
        pytest.skip(NO_FONT)
    results = {}
    for seed, (sample_id, path) in enumerate(zip(SAMPLE_IDS, SAMPLE_PATHS)):
        data = builders.to_scanned_pdf(sample_text(path), seed=seed)
        calls: list[tuple[int, int]] = []
        started = time.monotonic()
        result = extract_text(data, path.stem + ".pdf", ExtractContext(progress=lambda d, t: calls.append((d, t))))
        results[sample_id] = (result, calls, time.monotonic() - started)
    return results


def test_every_scanned_sample_is_read_by_ocr_with_its_confidence(scans):
    for result, _calls, _seconds in scans.values():
        assert (result.format, result.text_source) == ("pdf", "ocr")
        assert 0.8 < result.ocr_confidence <= 1.0
        assert result.review_reasons and "OCR" in result.review_reasons[0]


def test_ocr_reports_progress_page_by_page(scans):
    for result, calls, _seconds in scans.values():
        assert calls == [(n, result.pages) for n in range(result.pages + 1)]


def test_the_scans_parse_like_the_text_issue_f1_and_header_fields_at_least_095(scans):
    score_parse = _scorer()
    parse_text = structure_parser()
    fields = total = matched = gold_issues = parsed_issues = 0
    for sample_id, path in zip(SAMPLE_IDS, SAMPLE_PATHS):
        import json

        gold = json.loads((GOLD_DIR / (path.stem + ".json")).read_text(encoding="utf-8"))
        got = parse_text(scans[sample_id][0].text).to_dict()
        got = json.loads(json.dumps(got, default=str))
        score = score_parse.score_one(gold, got)
        fields += score["fields"][0]
        total += score["fields"][1]
        matched += score["issues"][0]
        gold_issues += score["issues"][1]
        parsed_issues += score["issues"][2]
    precision, recall = matched / parsed_issues, matched / gold_issues
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.95, f"issue F1 {f1:.3f}"
    assert fields / total >= 0.95, f"header fields {fields}/{total}"


def test_the_red_seal_over_the_signature_does_not_break_the_last_lines(scans):
    # The lines under the seal read like any other (OCR's usual ~1% of slips allowed), and the
    # seal's own ring of text does not join them: the end of the notice is its last line.
    import difflib
    import re

    def words(text: str) -> str:
        return re.sub(r"[^\w@]", "", text)

    for sample_id, path in zip(SAMPLE_IDS, SAMPLE_PATHS):
        last = words("".join(printed_lines(path)[-2:]))
        text = words(scans[sample_id][0].text)
        tail = text[-len(last) - 5 :]
        found = sum(block.size for block in difflib.SequenceMatcher(None, last, tail, autojunk=False).get_matching_blocks())
        assert found >= 0.97 * len(last), (sample_id, last, tail)
        assert text.endswith(last[-3:]), (sample_id, last, tail)  # nothing of the seal read after the last line


def printed_lines(path):
    return [line for line in builders.printed(sample_text(path)).split("\n") if line.strip()]


def test_an_ocr_parse_is_capped_at_medium_confidence_and_sent_to_review(monkeypatch):
    from notices.parsing import extract, parse_bytes
    from notices.parsing.extract.base import ExtractedText

    text = sample_text(SAMPLE_PATHS[1])
    _extracted, typed = parse_bytes(text.encode("utf-8"), "a.txt")
    assert typed.confidence == "high"  # the text typed in is trusted…
    recognised = ExtractedText(text=text, format="pdf", text_source="ocr", ocr_confidence=0.912)
    monkeypatch.setattr(extract, "extract_text", lambda data, name, ctx: recognised)
    _extracted, scanned = parse_bytes(b"%PDF-", "scan.pdf")
    assert scanned.confidence == "medium"  # …the same words recognised from a scan are at most 「中」
    assert scanned.review_reasons[0] == "文字由OCR识别，平均置信度0.91，请对照原件核对"
    assert scanned.issues == typed.issues


def test_a_60_page_image_only_pdf_is_refused_at_the_page_limit_before_any_ocr(monkeypatch):
    from PIL import Image

    from notices.parsing.extract import ocr

    monkeypatch.setattr(ocr, "recognise", lambda rgb: pytest.fail("OCR ran past the page limit"))
    pages = [Image.new("RGB", (165, 234), "white") for _ in range(60)]
    with pytest.raises(NoticeFileError) as info:
        extract_text(builders.images_to_pdf(pages, dpi=20), "扫描件.pdf")
    assert info.value.code == "ocr_too_many_pages"
    assert "共60页" in info.value.message and "30页" in info.value.message


@needs_font
def test_a_phone_photo_taken_sideways_is_turned_upright_and_read():
    path = SAMPLE_PATHS[1]
    result = extract_text(builders.to_photo(sample_text(path), dpi=110, turn=90), "手机拍照.jpg")
    assert (result.format, result.text_source) == ("image", "ocr")
    assert "巡察整改进展情况的通报" in result.text
    assert "2025年2月24日至4月30日" in result.text


def test_the_models_load_from_the_package_without_any_network(monkeypatch):
    import os
    import socket

    import numpy as np
    import rapidocr_onnxruntime

    from notices.parsing.extract import ocr

    def no_network(*args, **kwargs):
        raise AssertionError("OCR tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(ocr, "_engine", None)  # load afresh, here, with the network gone
    engine = ocr.engine()
    package = os.path.realpath(rapidocr_onnxruntime.__path__[0])
    for holder in (engine.text_det.infer, engine.text_cls.infer, engine.text_rec.session):
        assert os.path.realpath(holder.session._model_path).startswith(package + os.sep)
    page, scores = ocr.recognise(np.full((200, 300, 3), 255, np.uint8))
    assert page[2] == [] and scores == []


def test_a_red_seal_is_washed_out_while_black_text_under_it_stays():
    import numpy as np
    from PIL import Image, ImageDraw

    from notices.parsing.extract.ocr import wash_out_seals

    page = Image.new("RGB", (1000, 1000), (245, 245, 240))
    draw = ImageDraw.Draw(page)
    draw.rectangle((300, 480, 700, 520), fill=(20, 20, 20))  # a line of text
    seal = Image.new("RGB", page.size, "white")
    ImageDraw.Draw(seal).ellipse((350, 350, 650, 650), outline=(215, 30, 40), width=20)
    from PIL import ImageChops

    washed = wash_out_seals(np.asarray(ImageChops.multiply(page, seal)))
    assert washed[360, 500].min() > 200  # the ring at the top: paper again
    assert washed[500, 360].max() < 60  # the text under the ring: still black
    assert washed[500, 500].max() < 60


def test_a_multi_page_tiff_over_the_page_limit_is_refused_before_ocr(monkeypatch):
    import io

    from PIL import Image

    from notices.parsing.extract import ocr

    monkeypatch.setattr(ocr, "recognise", lambda rgb: pytest.fail("OCR ran past the page limit"))
    frames = [Image.new("L", (50, 70), 255) for _ in range(4)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(NoticeFileError) as info:
        extract_text(out.getvalue(), "扫描.tif", ExtractContext(limits=Limits(max_ocr_pages=3)))
    assert info.value.code == "ocr_too_many_pages"


@pytest.mark.parametrize("read, meant", [
    ("中全会精神，·认真学习", "中全会精神，认真学习"),  # dust after a comma
    ("面整改到位。，（一）提高", "面整改到位。（一）提高"),
    ("3:提高医疗管理问题协调推进解决力度", "3.提高医疗管理问题协调推进解决力度"),  # a heading's full stop read as a colon
    ("联系电话：0476-4335200；时间9:00", "联系电话：0476-4335200；时间9:00"),  # real colons stay
    ("（一），问题", "（一），问题"),
])
def test_the_recognisers_commonest_slips_are_undone_and_nothing_else(read, meant):
    from notices.parsing.extract.ocr import tidy

    assert tidy(read) == meant
