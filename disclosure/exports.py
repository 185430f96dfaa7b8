"""Comments as CSV (opens in Excel, UTF-8 with BOM) and XLSX.

Comment text comes from anonymous senders, and may have been stored before
input was cleaned: every cell goes through ``rectify_site.spreadsheets``,
which drops the characters XML cannot carry (one ``\\x0b`` used to make this
export answer 500 for good), bidi overrides, and defuses formulas.
"""
import csv
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment

from rectify_site.spreadsheets import csv_cell, xlsx_cell

HEADER = ["编号", "提交时间", "针对问题", "意见内容", "姓名", "联系方式", "来源标识", "状态", "处理人", "处理时间", "处理说明"]
WIDTHS = (6, 17, 30, 60, 10, 18, 10, 8, 10, 17, 40)


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
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def comments_xlsx(comments) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("公众意见")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append([xlsx_cell(sheet, name) for name in HEADER])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in comment_rows(comments):
        sheet.append([xlsx_cell(sheet, value, alignment=wrap) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
