"""Hostile files fail fast, once, with the Chinese limit message — whatever shape the bomb takes.

The bombs here are small versions of the real ones (a few MB against a
limit lowered to match) unless the point is the real default limit.
"""
from __future__ import annotations

import io
import zipfile

import pytest

from notices.parsing.errors import NoticeFileError
from notices.parsing.extract import ExtractContext, Limits, extract_text

from . import builders

LIMIT = "文件过大或结构异常，已停止解析"
SMALL = ExtractContext(limits=Limits(max_inflated=4 * 1024 * 1024))


def refused_for_size(data: bytes, name: str, ctx: ExtractContext = SMALL) -> NoticeFileError:
    with pytest.raises(NoticeFileError) as info:
        extract_text(data, name, ctx)
    assert info.value.code == "limit_exceeded", info.value.message
    assert info.value.message.startswith(LIMIT)
    return info.value


@pytest.mark.parametrize("shape", ["plain", "far_filter", "indirect_filter", "cr_only", "double", "ascii85"])
def test_a_pdf_bomb_is_stopped_however_its_filter_is_declared(shape):
    data = builders.flate_bomb_pdf(8 * 1024 * 1024, shape=shape)
    assert len(data) < 64 * 1024
    refused_for_size(data, "通报.pdf")


def test_an_honest_pdf_passes_the_same_guard():
    result = extract_text(builders.to_pdf("关于巡察整改进展情况的通报\n一、整改情况\n1.已完成整改。"), "a.pdf", SMALL)
    assert "已完成整改" in result.text


def test_a_docx_declaring_its_true_but_absurd_xml_size_is_refused_at_the_default_limit():
    # 30 MB of plain paragraphs at ~10:1: under the old 100 MB and 200:1 checks, gigabytes as a tree.
    data = builders.big_xml_docx(30 * 1024 * 1024)
    assert len(data) < 6 * 1024 * 1024
    error = refused_for_size(data, "通报.docx", ExtractContext())
    assert "document.xml" in error.message


def test_a_zip_whose_members_inflate_past_the_budget_is_refused_while_inflating():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        for n in range(6):  # each member is small enough; together they are not
            zf.writestr(f"word/media/image{n}.png", b"\0" * (1024 * 1024))
    refused_for_size(out.getvalue(), "通报.docx")


def test_deeply_nested_html_is_refused_before_a_tree_is_built():
    refused_for_size(builders.nested_tags_html(300_000), "通报.html", ExtractContext())


def test_an_html_page_bigger_than_the_limit_is_refused_but_inline_images_do_not_count():
    import base64

    text = "<html><body><p>关于巡察整改进展情况的通报。已完成整改。</p>"
    image = '<img src="data:image/png;base64,' + base64.b64encode(b"\x89PNG" * 400_000).decode() + '">'
    small = ExtractContext(limits=Limits(max_html_bytes=1024 * 1024))
    assert "已完成整改" in extract_text((text + image + "</body></html>").encode(), "a.html", small).text
    refused_for_size((text + "<p>填充</p>" * 200_000 + "</body></html>").encode(), "a.html", small)


def test_a_pdf_with_more_pages_than_the_limit_is_refused_not_truncated():
    data = builders.to_pdf("巡察整改进展情况的通报\n" + "整改落实情况：已完成整改。\n" * 200)
    refused_for_size(data, "a.pdf", ExtractContext(limits=Limits(max_pages=3)))


def test_text_longer_than_the_character_limit_is_refused():
    refused_for_size(("巡察整改" * 1000).encode("utf-8"), "a.txt", ExtractContext(limits=Limits(max_chars=1000)))


def test_an_ofd_whose_content_inflates_past_the_budget_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", "<ofd:OFD/>")
        zf.writestr("Doc_0/Pages/Page_0/Content.xml", b"<a>" + b" " * (6 * 1024 * 1024) + b"</a>")
    refused_for_size(out.getvalue(), "通报.ofd")


def test_an_image_declaring_too_many_pixels_is_refused_before_decoding():
    with pytest.raises(NoticeFileError) as info:
        extract_text(builders.huge_png_header(30_000, 30_000), "扫描.png")
    assert info.value.code == "ocr_too_many_pixels"
    assert "像素" in info.value.message


def test_running_out_of_memory_inside_a_library_is_the_limit_message(monkeypatch):
    from notices.parsing.extract import txt

    def explode(data, ctx):
        raise MemoryError

    monkeypatch.setattr(txt, "extract", explode)
    refused_for_size("巡察".encode(), "a.txt")


def test_control_characters_and_bidi_overrides_are_removed_with_a_warning():
    text = "关于巡察整改\u202e进展情况\u2066的通报\x07\n1.问题\x1b。已完成整改。"
    result = extract_text(text.encode("utf-8"), "a.txt")
    assert result.text == "关于巡察整改进展情况的通报\n1.问题。已完成整改。"
    assert any("2个控制字符" in w for w in result.warnings)
    assert any("2个双向文字控制符" in w for w in result.warnings)


def test_a_docx_with_a_bidi_override_in_a_run_loses_it_at_the_boundary():
    data, _ = builders.to_docx("关于巡察整改进展情况的通报\n联系电话：\u202e0527-1234567")
    result = extract_text(data, "a.docx")
    assert "\u202e" not in result.text
    assert any("双向文字控制符" in w for w in result.warnings)
