"""The one way a value enters an exported spreadsheet (xlsx or csv), whichever app writes it.

Stored text can hold anything a form, an API client or an old parse let
through: a control character makes openpyxl refuse the whole workbook
(one anonymous comment with ``\\x0b`` used to turn ``comments.xlsx`` into a
permanent 500), a bidi override makes a cell read in another order, and a
leading ``=`` runs as a formula.  ``notices.parsing.text.clean_text`` removes
the first two; here text cells are typed as text (with Excel's quote
prefix when they look like a formula), and csv cells get an apostrophe.
"""
from __future__ import annotations

import datetime as dt

from openpyxl.cell import WriteOnlyCell

from notices.parsing.text import FORMULA_START, cell_text, clean_text

DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"


def xlsx_cell(sheet, value, **style) -> WriteOnlyCell:
    """A cell for ``sheet`` (write-only or not): text stays text, dates stay dates, no character XML refuses."""
    if isinstance(value, str):
        text, _ = clean_text(value)
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # openpyxl would otherwise store a leading 「=」 as a formula
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    else:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, dt.datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
    for name, item in style.items():
        setattr(cell, name, item)
    return cell


def csv_cell(value) -> str:
    """A value as csv text: dates in ISO form, cleaned, an apostrophe before anything formula-like."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return cell_text(value)
