"""整改台账: one row per issue, as .xlsx (openpyxl) or .csv (UTF-8 with BOM, so Excel reads Chinese).

The workbook is built in memory: a ledger is at most a few thousand rows.
Cells are always text, never formulas: a parsed sentence starting with
「=」 must not run in a reviewer's Excel (CSV injection).
"""
import csv
import io

from django.db.models import Prefetch
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import Measure
from .presentation import DUE_LABELS, current_measures, due_state

COLUMNS = [
    ("单位", 18), ("巡察组", 14), ("反馈日期", 11), ("问题类别", 24), ("序号", 6), ("问题", 40), ("整改措施", 60),
    ("通报所称状态", 12), ("状态依据", 40), ("整改时限", 11), ("时限情况", 10), ("核查状态", 12), ("核查说明", 30),
    ("核查人", 10), ("核查时间", 17),
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def ledger_queryset(issues):
    """What ``ledger_rows`` reads, loaded in three queries whatever the row count."""
    return issues.select_related("inspection__institution", "category", "verified_by").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.order_by("notice_id", "order"))
    )


def ledger_rows(issues):
    for issue in issues:
        inspection = issue.inspection
        category = f"（{issue.category.number}）{issue.category.title}" if issue.category else ""
        verified_at = timezone.localtime(issue.verified_at).strftime("%Y-%m-%d %H:%M") if issue.verified_at else ""
        yield [
            inspection.institution.name,
            inspection.group,
            inspection.feedback_on.isoformat() if inspection.feedback_on else "",
            category,
            issue.number,
            issue.title,
            "\n".join(m.text for m in current_measures(issue)),
            issue.get_status_display(),
            issue.status_evidence,
            issue.due_on.isoformat() if issue.due_on else "",
            DUE_LABELS[due_state(issue)],
            issue.get_verification_display(),
            issue.verification_note,
            (issue.verified_by.get_full_name() or issue.verified_by.username) if issue.verified_by else "",
            verified_at,
        ]


def _csv_safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def ledger_csv(issues) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _ in COLUMNS])
    for row in ledger_rows(ledger_queryset(issues)):
        writer.writerow([_csv_safe(value) for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def ledger_xlsx(issues, *, sheet_title: str = "整改台账") -> bytes:
    # Write-only mode streams rows without re-scanning the sheet: linear in the row count.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def text_cell(value, **style):
        cell = WriteOnlyCell(sheet, value=value)
        # openpyxl would store a leading 「=」 as a formula; force text.
        cell.data_type = "s"
        for name, item in style.items():
            setattr(cell, name, item)
        return cell

    sheet.append([text_cell(name, font=bold) for name, _ in COLUMNS])
    for row in ledger_rows(ledger_queryset(issues)):
        sheet.append([text_cell(value, alignment=wrap) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
