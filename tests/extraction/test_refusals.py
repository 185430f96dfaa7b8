"""Bad uploads are refused with a NoticeFileError carrying a Chinese message — never another exception, never empty text."""
from __future__ import annotations

import io
import random
import re
import zipfile

import pytest

from notices.parsing.errors import NoticeFileError
from notices.parsing.extract import extract_text

from . import builders
from .support import SAMPLE_PATHS, sample_text

HAN = re.compile(r"[\u4e00-\u9fff]")
ACCEPTED = ("txt", "docx", "doc", "wps", "pdf", "ofd", "html", "jpg", "png", "tif")


def refuse(data: bytes, filename: str) -> NoticeFileError:
    with pytest.raises(NoticeFileError) as info:
        extract_text(data, filename)
    error = info.value
    assert HAN.search(str(error)), f"message should be Chinese: {error}"
    assert str(error) == error.message
    return error


@pytest.fixture(scope="module")
def notice_text() -> str:
    return sample_text(SAMPLE_PATHS[1])


@pytest.fixture(scope="module")
def notice_pdf(notice_text) -> bytes:
    return builders.to_pdf(notice_text[:3000])


@pytest.fixture(scope="module")
def notice_docx(notice_text) -> bytes:
    return builders.to_docx(notice_text)[0]


@pytest.mark.parametrize("name", ["通报.txt", "通报.docx", "通报.pdf", "通报.html", "通报.doc"])
def test_an_empty_file_is_refused_as_empty(name):
    assert refuse(b"", name).code == "empty"


def test_a_text_file_of_only_blank_lines_is_refused_as_empty():
    assert refuse(b" \r\n\r\n\t\n", "通报.txt").code == "empty"


def test_binary_noise_named_txt_is_refused_as_not_text():
    noise = random.Random(7).randbytes(8192)
    error = refuse(noise, "通报.txt")
    assert error.code == "binary"
    assert "文件不是可识别的文本" in str(error)


def test_control_character_soup_that_happens_to_be_valid_utf8_is_refused():
    assert refuse(bytes(range(1, 32)) * 200, "通报.txt").code == "binary"


def test_an_error_page_saved_as_pdf_is_refused_as_a_mismatch():
    page = b"<!DOCTYPE html><html><head><title>404</title></head><body><h1>404 Not Found</h1><p>nginx</p></body></html>"
    error = refuse(page, "巡察整改通报.pdf")
    assert error.code == "format_mismatch"
    assert ".pdf" in str(error)


def test_a_real_notice_page_saved_as_pdf_is_read_as_html_with_a_warning(notice_text):
    result = extract_text(builders.to_html(notice_text), "巡察整改通报.pdf")
    assert result.format == "html"
    assert any("扩展名为.pdf" in w for w in result.warnings)


def test_a_truncated_word_file_is_refused_as_incomplete(notice_docx):
    error = refuse(notice_docx[: len(notice_docx) // 2], "通报.docx")
    assert error.code in ("truncated", "corrupt")
    assert "不完整" in str(error) or "损坏" in str(error)


def test_a_word_file_with_a_damaged_document_part_is_refused_cleanly(notice_docx):
    src = zipfile.ZipFile(io.BytesIO(notice_docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            dst.writestr(info, data)
    assert refuse(out.getvalue(), "通报.docx").code == "corrupt"


def test_a_truncated_pdf_is_refused_as_incomplete(notice_pdf):
    error = refuse(notice_pdf[: len(notice_pdf) // 2], "通报.pdf")
    assert error.code == "truncated"


def test_a_pdf_with_an_open_password_is_refused_as_encrypted(notice_pdf):
    locked = builders.encrypted_pdf(notice_pdf, user_password="s3cret")
    error = refuse(locked, "通报.pdf")
    assert error.code == "encrypted"
    assert "加密" in str(error)


def test_a_pdf_with_only_an_owner_password_is_read_with_the_empty_password(notice_pdf, notice_text):
    restricted = builders.encrypted_pdf(notice_pdf, user_password="")
    result = extract_text(restricted, "通报.pdf")
    assert "巡察整改进展情况的通报" in result.text


def test_a_pdf_with_neither_a_text_layer_nor_recognisable_text_says_both_were_tried():
    error = refuse(builders.drawing_only_pdf(), "扫描件.pdf")
    assert error.code == "no_text_layer"
    assert "没有文字层" in str(error) and "OCR" in str(error)


def test_a_zip_bomb_docx_is_refused_before_inflating():
    error = refuse(builders.ratio_bomb_docx(), "通报.docx")
    assert error.code == "zip_bomb"
    assert "压缩" in str(error)


def test_a_docx_whose_directory_declares_a_huge_member_is_refused():
    assert refuse(builders.declared_huge_docx(), "通报.docx").code == "zip_bomb"


def test_an_unknown_extension_is_refused_listing_the_accepted_formats():
    error = refuse("一、巡察整改情况".encode(), "通报.xyz")
    assert error.code == "unsupported_format"
    for ext in ACCEPTED:
        assert f".{ext}" in str(error)


def test_a_file_without_extension_and_without_recognisable_content_is_refused():
    assert refuse("巡察整改情况".encode(), "通报").code == "unsupported_format"


def test_a_broken_image_is_refused_as_corrupt_even_when_named_pdf():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    error = refuse(png, "通报.pdf")
    assert error.code == "corrupt"
    assert "图片" in str(error)


def test_a_gif_is_refused_with_advice_to_save_it_as_png_or_jpg():
    error = refuse(b"GIF89a" + b"\x00" * 100, "通报.gif")
    assert error.code == "unsupported_format"
    assert "PNG" in str(error)


def test_a_spreadsheet_is_refused_by_name():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    error = refuse(out.getvalue(), "通报.docx")
    assert "Excel" in str(error)


def test_a_text_file_renamed_docx_is_refused_as_a_mismatch():
    assert refuse("一、巡察整改情况".encode(), "通报.docx").code == "format_mismatch"


def test_a_huge_upload_is_refused_without_reading_it(monkeypatch):
    import notices.parsing.extract as extract

    monkeypatch.setattr(extract, "MAX_BYTES", 1000)
    assert refuse(b"a" * 1001, "通报.txt").code == "too_large"


def test_a_word_file_with_only_an_image_is_refused_as_having_no_text():
    import docx

    document = docx.Document()
    document.add_paragraph("")
    out = io.BytesIO()
    document.save(out)
    assert refuse(out.getvalue(), "通报.docx").code == "no_text"


def test_a_password_protected_word_file_is_refused_as_encrypted_not_as_legacy_doc():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1000
    error = refuse(ole, "通报.docx")
    assert error.code == "encrypted"
    assert "密码" in str(error)


def test_passing_text_instead_of_bytes_is_a_programming_error_not_a_file_error():
    with pytest.raises(TypeError):
        extract_text("巡察整改", "通报.txt")


def test_a_pdf_whose_text_layer_is_mojibake_is_refused_as_garbled(monkeypatch, notice_pdf):
    # What a PDF with broken ToUnicode maps yields: private-use code points and rare hanzi.
    from notices.parsing.extract import pdf

    junk = "".join(chr(0xE000 + (i * 37) % 2000) for i in range(300)) + "乱码"
    from notices.parsing.extract.layout import Line

    monkeypatch.setattr(pdf, "_read_pages", lambda document, limits, fonts: ([(595.0, 842.0, [Line(junk, 72, 500, 700, 712)])], []))
    error = refuse(notice_pdf, "通报.pdf")
    assert error.code == "garbled"
