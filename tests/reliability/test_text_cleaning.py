"""The one text-cleaning rule (``notices.parsing.text``) and the one spreadsheet cell (``rectify_site.spreadsheets``).

Every C0 control character, DEL, C1, every bidi control: what input keeps,
what it turns into a line break, what it removes and counts, and that no
stored value can stop openpyxl from writing a workbook.
"""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from notices.parsing.text import cell_text, clean_text, count_removed, removal_notice
from rectify_site.spreadsheets import csv_cell, xlsx_cell

C0 = [chr(c) for c in range(0x20)]
LINE_BREAKS = ["\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]  # Word's soft break is \x0b
KEPT = ["\t", "\n"]
REMOVED_CONTROLS = [c for c in C0 if c not in KEPT and c not in LINE_BREAKS] + ["\x7f", "\x80", "\x9f", "\ufffe",
                                                                                "\uffff"]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f",
        "\u061c"]
EVERYTHING = "".join(C0) + "\x7f\x80\x85\x9f\ufffe\uffff" + "".join(BIDI)


@pytest.mark.parametrize("char", REMOVED_CONTROLS + BIDI, ids=lambda c: f"U+{ord(c):04X}")
def test_each_control_and_bidi_character_is_removed_and_counted(char):
    assert clean_text(f"整改{char}完成") == ("整改完成", 1)


@pytest.mark.parametrize("char", LINE_BREAKS, ids=lambda c: f"U+{ord(c):04X}")
def test_line_separators_become_a_newline_not_nothing(char):
    assert clean_text(f"第一行{char}第二行") == ("第一行\n第二行", 0)
    assert clean_text("第一行\r\n第二行") == ("第一行\n第二行", 0)


def test_tab_newline_and_ordinary_text_are_kept():
    text = "一、问题\t整改情况\n已完成；English, 123 (ok) ＝全角"
    assert clean_text(text) == (text, 0)


def test_controls_and_bidi_are_counted_apart_for_the_extraction_warning():
    assert count_removed("a\x01b\u202ec\x07") == ("abc", 2, 1)


def test_the_user_is_told_how_many_characters_went():
    assert removal_notice(3) == "已移除3个不可见控制字符"
    assert removal_notice(0) == ""


@pytest.mark.parametrize("value", ["=1+1", "+86", "-5", "@SUM(A1)", "\t=1"])
def test_csv_cells_that_look_like_formulas_get_an_apostrophe(value):
    assert cell_text(value).startswith("'")
    assert csv_cell(value) == cell_text(value)


def test_csv_cells_for_dates_and_none():
    assert csv_cell(None) == ""
    assert csv_cell(dt.date(2025, 4, 7)) == "2025-04-07"
    assert csv_cell(dt.datetime(2025, 4, 7, 9, 30)) == "2025-04-07 09:30"


@pytest.mark.parametrize("write_only", [True, False], ids=["write-only", "normal"])
def test_a_workbook_of_every_control_and_bidi_character_saves_and_reads_back_clean(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("意见") if write_only else book.active
    values = [f"意见{ch}内容" for ch in EVERYTHING] + [EVERYTHING, "=HYPERLINK(\"http://x\")" + EVERYTHING]
    sheet.append([xlsx_cell(sheet, v) for v in values])
    out = io.BytesIO()
    book.save(out)  # openpyxl raises IllegalCharacterError for a raw \x0b or \x01
    row = next(load_workbook(out).worksheets[-1].iter_rows())
    for cell in row:
        assert cell.data_type == "s"
        assert not any(ch in cell.value for ch in REMOVED_CONTROLS + BIDI), repr(cell.value)
    assert row[-1].value.startswith("=HYPERLINK") and row[-1].quotePrefix


def test_a_csv_of_every_character_keeps_only_line_breaks_and_tabs():
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_cell(EVERYTHING)])
    (value,) = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert set(value) <= {"\t", "\n", "'"}
