"""Comments as CSV (opens in Excel, UTF-8 with BOM) and XLSX.

Comment text comes from anonymous senders: a cell starting with = + - @ would
run as a formula in a spreadsheet, so such cells are prefixed with an apostrophe.
"""
import csv
import io

from django.utils import timezone
from openpyxl import Workbook

HEADER = ["编号", "提交时间", "针对问题", "意见内容", "姓名", "联系方式", "来源标识", "状态", "处理人", "处理时间", "处理说明"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def comment_rows(comments):
    for c in comments:
        issue = f"{c.issue.number}. {c.issue.title}" if c.issue else ""
        handler = (c.handled_by.get_full_name() or c.handled_by.username) if c.handled_by else ""
        yield [
            c.pk, _when(c.created_at), issue, c.text, c.name, c.contact, c.client_hash[:8],
            "已处理" if c.handled else "未处理", handler, _when(c.handled_at), c.reply_note,
        ]


def comments_csv(comments) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in comment_rows(comments):
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def comments_xlsx(comments) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "公众意见"
    sheet.append(HEADER)
    for row in comment_rows(comments):
        sheet.append([row[0], *(_cell(v) for v in row[1:])])
    for column, width in zip("ABCDEFGHIJK", (6, 17, 30, 60, 10, 18, 10, 8, 10, 17, 40)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
