"""整改台账: one row per issue, as .xlsx (openpyxl) or .csv (UTF-8 with BOM, so Excel reads Chinese).

The workbook has the ledger sheet — real date cells, an autofilter, a frozen
header, the 预警 cell coloured red / yellow / green — and a summary sheet with
one row per hospital.  It is written in openpyxl's write-only mode, linear in
the row count.  Every cell goes through ``rectify_site.spreadsheets`` (shared
with the comment export): text is always stored as text, never as a formula
(a parsed sentence starting with 「=」 must not run in a reviewer's Excel), and
control characters and bidi overrides are dropped — a verification note
pasted from Word with its soft line break (``\x0b``) used to break both ledgers.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections import defaultdict

from django.db.models import Prefetch
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.views import Pane, Selection

from rectify_site.spreadsheets import csv_cell, xlsx_cell

from .models import Measure
from .naming import pinyin_sort_key
from .presentation import measure_texts, warning


@dataclasses.dataclass(frozen=True)
class Column:
    name: str
    width: int
    kind: str = "text"  # text / date / datetime / int / warning


COLUMNS = [
    Column("单位", 18), Column("地区", 10), Column("巡察组", 14), Column("反馈日期", 11, "date"),
    Column("问题类别", 24), Column("序号", 6), Column("问题", 40), Column("整改措施", 60),
    Column("通报所称状态", 12), Column("状态依据", 40), Column("责任领导", 10), Column("责任部门", 12),
    Column("责任人", 10), Column("整改时限", 11, "date"), Column("时限来源", 10), Column("预警", 12, "warning"),
    Column("逾期天数", 8, "int"), Column("销号申请", 10), Column("核查状态", 16), Column("核查说明", 30),
    Column("核查人", 10), Column("核查时间", 17, "datetime"), Column("最近更新", 17, "datetime"),
]
HEADER = [c.name for c in COLUMNS]
SUMMARY_COLUMNS = [
    Column("单位", 24), Column("地区", 12), Column("问题数", 8, "int"), Column("已完成", 8, "int"),
    Column("未完成", 8, "int"), Column("逾期", 8, "int"), Column("临期", 8, "int"), Column("正常", 8, "int"),
    Column("未定时限", 9, "int"), Column("待核查", 8, "int"), Column("已核查销号", 10, "int"),
    Column("完成率", 8, "text"),
]
FILLS = {
    "red": PatternFill(fill_type="solid", fgColor="FFC7CE"),
    "yellow": PatternFill(fill_type="solid", fgColor="FFEB9C"),
    "green": PatternFill(fill_type="solid", fgColor="C6EFCE"),
}


def ledger_queryset(issues):
    """What ``ledger_rows`` reads, loaded in three queries whatever the row count."""
    return issues.select_related("inspection__institution", "category", "verified_by").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.order_by("notice_id", "order"))
    )


def _local(moment):
    # Excel has no time zones: write the wall-clock time in Beijing.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def ledger_row(issue, today: dt.date) -> tuple[list, object]:
    """The row's values (dates as dates) and the issue's warning."""
    inspection = issue.inspection
    state = warning(issue, today)
    category = f"（{issue.category.number}）{issue.category.title}" if issue.category else ""
    source = "医院调整" if issue.due_on_override else ("通报所载" if issue.due_on else "")
    reviewer = (issue.verified_by.get_full_name() or issue.verified_by.username) if issue.verified_by else ""
    return [
        inspection.institution.name, inspection.institution.region, inspection.group, inspection.feedback_on,
        category, issue.number, issue.title, "\n".join(measure_texts(issue)), issue.get_status_display(),
        issue.status_evidence, issue.responsible_leader, issue.responsible_department, issue.responsible_person,
        issue.due_on, source, state.label, state.days_overdue or None, issue.get_signoff_display() if issue.signoff
        else "", issue.verification_label, issue.verification_note, reviewer, _local(issue.verified_at),
        _local(issue.updated_at),
    ], state


def ledger_rows(issues, today: dt.date | None = None):
    today = today or timezone.localdate()
    for issue in ledger_queryset(issues):
        yield (*ledger_row(issue, today), issue)


def ledger_csv(issues) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for values, _, _ in ledger_rows(issues):
        writer.writerow([csv_cell(v) for v in values])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _prepare(sheet, columns) -> None:
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    # Write-only sheets ignore ``freeze_panes``; the pane must be spelled out.
    sheet.sheet_view.pane = Pane(ySplit=1, topLeftCell="A2", activePane="bottomLeft", state="frozen")
    sheet.sheet_view.selection = [Selection(pane="bottomLeft", activeCell="A2", sqref="A2")]
    bold = Font(bold=True)
    sheet.append([xlsx_cell(sheet, c.name, font=bold) for c in columns])


@dataclasses.dataclass
class _Tally:
    name: str = ""
    region: str = ""
    counts: dict = dataclasses.field(default_factory=lambda: defaultdict(int))


def ledger_xlsx(issues, *, sheet_title: str = "整改台账") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    _prepare(sheet, COLUMNS)
    wrap = Alignment(wrap_text=True, vertical="top")
    tallies: dict[int, _Tally] = {}
    n = 0
    for values, state, issue in ledger_rows(issues):
        n += 1
        cells = []
        for column, value in zip(COLUMNS, values):
            style = {"alignment": wrap}
            if column.kind == "warning" and state.colour in FILLS:
                style["fill"] = FILLS[state.colour]
            cells.append(xlsx_cell(sheet, value, **style))
        sheet.append(cells)
        institution = issue.inspection.institution
        tally = tallies.setdefault(institution.pk, _Tally(institution.name, institution.region))
        tally.counts["total"] += 1
        tally.counts[state.state] += 1
        tally.counts["pending"] += issue.signoff == "pending"
        tally.counts["verified"] += issue.verification == "verified"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{n + 1}"
    _summary(workbook.create_sheet("各单位汇总"), tallies)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _summary(sheet, tallies: dict[int, _Tally]) -> None:
    _prepare(sheet, SUMMARY_COLUMNS)
    for tally in sorted(tallies.values(), key=lambda t: pinyin_sort_key(t.name)):
        c = tally.counts
        closed = c["done"]
        open_ = c["total"] - closed
        rate = f"{closed * 100 / c['total']:.1f}%" if c["total"] else "—"
        values = [tally.name, tally.region, c["total"], closed, open_, c["overdue"], c["soon"], c["ok"], c["none"],
                  c["pending"], c["verified"], rate]
        row = []
        for column, value in zip(SUMMARY_COLUMNS, values):
            style = {}
            if column.name == "逾期" and value:
                style["fill"] = FILLS["red"]
            elif column.name == "临期" and value:
                style["fill"] = FILLS["yellow"]
            row.append(xlsx_cell(sheet, value, **style))
        sheet.append(row)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(SUMMARY_COLUMNS))}{len(tallies) + 1}"
