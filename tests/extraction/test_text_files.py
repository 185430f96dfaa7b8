"""Plain-text uploads: the encoding is found, recorded, and doubts are said out loud."""
from __future__ import annotations

import pytest

from notices.parsing.extract import extract_text

NOTICE = "关于巡察整改进展情况的通报\n一、已完成整改的问题\n1.学习贯彻不深入。整改落实情况：已完成整改。\n联系电话：0476-4335200\n"


@pytest.mark.parametrize(
    "encoding, expected",
    [
        ("utf-8", "utf-8"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_a_short_notice_is_decoded_and_its_encoding_recorded(encoding, expected):
    result = extract_text(NOTICE.encode(encoding), "a.txt")
    assert result.text == NOTICE
    assert result.encoding == expected


def test_pure_chinese_utf16_without_bom_or_ascii_is_still_recognised():
    text = "巡察整改情况通报已完成整改"
    assert extract_text(text.encode("utf-16-le"), "a.txt").encoding == "utf-16-le"
    assert extract_text(text.encode("utf-16-be"), "a.txt").encoding == "utf-16-be"


def test_a_big5_file_is_recorded_as_big5():
    text = "關於巡察整改進展情況的通報。整改落實情況：已完成整改。"
    result = extract_text(text.encode("big5"), "a.txt")
    assert result.text == text
    assert result.encoding in ("big5", "cp950")


def test_a_tiny_legacy_file_is_decoded_but_flagged_as_uncertain():
    # Four hanzi are too little evidence to be sure which legacy encoding this is.
    result = extract_text("巡察整改".encode("gbk"), "a.txt")
    assert result.text == "巡察整改"
    assert result.encoding == "gb18030"
    assert result.warnings and "编码" in result.warnings[0]


def test_windows_and_old_mac_newlines_become_unix_newlines():
    result = extract_text("一、问题\r\n1.内容\r2.内容\r\n".encode("gbk"), "a.txt")
    assert result.text == "一、问题\n1.内容\n2.内容\n"


def test_stray_nuls_and_control_characters_are_stripped_but_tabs_and_newlines_kept():
    raw = ("一、问题\x00\x07\n\t1.内容\x1b\x0c2.内容\u200b\n" + NOTICE * 3).encode("utf-8")
    assert extract_text(raw, "a.txt").text == "一、问题\n\t1.内容\n2.内容\n" + NOTICE * 3


def test_a_bom_inside_the_text_is_dropped():
    assert extract_text("\ufeff巡察\ufeff整改".encode("utf-8"), "a.txt").text == "巡察整改"


def test_a_bom_that_lies_about_the_encoding_is_refused_clearly():
    from notices.parsing.errors import NoticeFileError

    with pytest.raises(NoticeFileError) as info:
        extract_text(b"\xef\xbb\xbf" + "巡察整改".encode("gbk"), "a.txt")
    assert info.value.code == "encoding"


def test_a_web_page_saved_as_txt_is_read_as_a_web_page():
    page = "<html><body><p>一、巡察整改情况</p><p>1.问题。已完成整改。</p></body></html>".encode()
    result = extract_text(page, "a.txt")
    assert result.format == "html"
    assert result.text == "一、巡察整改情况\n1.问题。已完成整改。"
    assert result.warnings


def test_a_utf8_file_cut_in_the_middle_of_a_character_is_kept_as_utf8_with_a_warning():
    raw = (NOTICE * 5 + "通报").encode("utf-8")[:-2]  # cut inside the last character
    result = extract_text(raw, "a.txt")
    assert result.encoding == "utf-8"
    assert result.text.startswith(NOTICE)
    assert result.warnings and "UTF-8" in result.warnings[0]


def test_a_page_declaring_gb2312_but_written_in_utf8_is_decoded_as_utf8_with_a_warning():
    page = '<html><head><meta charset="gb2312"></head><body><p>关于巡察整改进展情况的通报，整改落实情况：已完成整改。</p></body></html>'
    result = extract_text(page.encode("utf-8"), "a.html")
    assert result.text == "关于巡察整改进展情况的通报，整改落实情况：已完成整改。"
    assert result.encoding == "utf-8"
    assert result.warnings


def test_a_utf16_file_cut_to_an_odd_length_is_kept_with_a_warning():
    raw = b"\xff\xfe" + (NOTICE * 3).encode("utf-16-le")
    result = extract_text(raw[:-1], "a.txt")
    assert result.encoding == "utf-16-le"
    assert result.text.startswith(NOTICE * 2)
    assert result.warnings
