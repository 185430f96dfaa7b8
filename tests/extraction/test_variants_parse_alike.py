"""Every sample notice, re-packaged as a hospital might upload it, reads back as the same notice.

For each variant the extracted text must (1) equal the original ignoring
whitespace, and (2) parse — through the structure parser — to the same
header fields, categories and issues (category, number, title, status) as
the original text file.
"""
from __future__ import annotations

import functools

import pytest

from notices.parsing.extract import extract_text

from . import builders
from .support import full_view, parse_view, squash, structure_parser

TEXT_ENCODINGS = {
    "gb18030": "gb18030",
    "utf-8-bom": "utf-8-sig",
    "utf-16-with-bom": "utf-16-le",
    "utf-16-be-with-bom": "utf-16-be",
    "utf-16-le-without-bom": "utf-16-le",
    "utf-16-be-without-bom": "utf-16-be",
}
_BUILD_ENCODING = {
    "gb18030": "gb18030",
    "utf-8-bom": "utf-8-sig",
    "utf-16-with-bom": "utf-16",
    "utf-16-be-with-bom": "utf-16-be-bom",
    "utf-16-le-without-bom": "utf-16-le",
    "utf-16-be-without-bom": "utf-16-be",
}


@functools.lru_cache(maxsize=None)
def _original_view(text: str):
    return parse_view(structure_parser(), text)


def _assert_same_notice(extracted_text: str, original: str) -> None:
    assert squash(extracted_text) == squash(original)
    parse_text = structure_parser()
    assert parse_view(parse_text, extracted_text) == _original_view(original)


@pytest.mark.parametrize("variant", list(TEXT_ENCODINGS))
def test_a_text_file_in_any_common_encoding_reads_back_exactly_and_parses_the_same(sample, variant):
    path, text = sample
    result = extract_text(builders.encode(text, _BUILD_ENCODING[variant]), path.name)
    assert result.format == "txt"
    assert result.encoding.replace("-sig", "") == TEXT_ENCODINGS[variant].replace("-sig", "")
    assert result.text == text
    assert result.warnings == []
    parse_text = structure_parser()
    assert full_view(parse_text, result.text) == full_view(parse_text, text)


def test_the_original_utf8_file_goes_through_extraction_unchanged(sample):
    path, text = sample
    result = extract_text(path.read_bytes(), path.name)
    assert (result.format, result.encoding, result.text, result.warnings) == ("txt", "utf-8", text, [])


def test_a_traditional_chinese_big5_file_is_decoded_faithfully_and_parses_like_its_utf8_twin(sample):
    path, text = sample
    trad = builders.traditional(text)
    result = extract_text(trad.encode("big5"), path.name)
    assert result.encoding in ("big5", "cp950")
    assert result.text == trad
    parse_text = structure_parser()
    assert parse_view(parse_text, result.text) == parse_view(parse_text, trad)


def _skeleton(parse_text, text: str) -> dict:
    """The script-independent part of a parse: numbers, statuses, dates, counts, phones
    (the inspecting body is printed in the notice's own script: compared folded)."""
    from opencc import OpenCC

    d = parse_text(text).to_dict()
    return {
        "dates": [d[k] for k in ("inspection_start", "inspection_end", "feedback_date", "published_date",
                                 "disclosure_start", "disclosure_end")],
        "declared": d["declared"],
        "inspecting_body": OpenCC("t2s").convert(d["inspecting_body"] or ""),
        "phones": d["contacts"]["phones"],
        "emails": d["contacts"]["emails"],
        "categories": [c["number"] for c in d["categories"]],
        "issues": [(i["category"], i["number"], i["status"]) for i in d["issues"]],
        "immediate_items": [i["status"] for i in d["immediate_items"]],
    }


def test_a_traditional_big5_notice_has_the_same_structure_as_the_simplified_original(sample):
    path, text = sample
    result = extract_text(builders.traditional(text).encode("big5"), path.name)
    parse_text = structure_parser()
    assert _skeleton(parse_text, result.text) == _skeleton(parse_text, text)


def test_a_word_file_of_the_notice_parses_the_same(sample):
    path, text = sample
    data, _ = builders.to_docx(text)
    result = extract_text(data, path.stem + ".docx")
    assert result.format == "docx"
    _assert_same_notice(result.text, text)


def test_a_word_file_using_real_auto_numbering_and_a_table_keeps_its_numbers_and_parses_the_same(sample):
    path, text = sample
    lines = text.split("\n")
    data, numbered = builders.to_docx(text, auto_numbering=True, table_lines=(len(lines) // 3, len(lines) // 3 + 6))
    assert numbered >= 3, "the sample should exercise Word's numbering"
    result = extract_text(data, path.stem + ".docx")
    _assert_same_notice(result.text, text)


def test_a_web_page_of_the_notice_loses_the_site_chrome_and_parses_the_same(sample):
    path, text = sample
    result = extract_text(builders.to_html(text), path.stem + ".html")
    assert result.format == "html"
    for noise in ("首页", "当前位置", "版权所有", "上一篇", "统计代码", "分享到", "请输入关键字"):
        assert noise not in result.text
    _assert_same_notice(result.text, text)


def test_a_gbk_web_page_declaring_gb2312_is_decoded_by_its_meta_charset(sample):
    path, text = sample
    data = builders.to_html(text, charset="gb2312", encoding="gb18030")
    result = extract_text(data, path.stem + ".htm")
    assert result.encoding == "gb18030"
    _assert_same_notice(result.text, text)


def test_a_pdf_exported_with_a_chinese_cid_font_parses_the_same(sample):
    path, text = sample
    result = extract_text(builders.to_pdf(text), path.stem + ".pdf")
    assert result.format == "pdf"
    assert "- 1 -" not in result.text  # page numbers are dropped
    _assert_same_notice(result.text, text)


def test_a_letter_spaced_pdf_indented_with_full_width_spaces_parses_the_same(sample):
    # Justified CJK comes out of pdfminer as 「巡 察 整 改」, and Word often indents
    # with two drawn full-width spaces: both must be undone.
    path, text = sample
    result = extract_text(builders.to_pdf(text, char_space=2.5, space_indent=True), path.stem + ".pdf")
    _assert_same_notice(result.text, text)


def test_an_old_table_layout_page_in_undeclared_gbk_parses_the_same(sample):
    path, text = sample
    result = extract_text(builders.to_table_layout_html(text), path.stem + ".htm")
    assert result.encoding == "gb18030"
    for noise in ("网站首页", "打印本页", "版权所有"):
        assert noise not in result.text
    _assert_same_notice(result.text, text)
