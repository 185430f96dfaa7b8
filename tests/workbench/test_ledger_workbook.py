"""The Excel ledger read back with openpyxl: real dates, autofilter, frozen header, 预警 colours, a summary sheet."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tracking import services
from tracking.exports import HEADER

pytestmark = pytest.mark.django_db


def _workbook(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _rows_by_title(sheet):
    rows = list(sheet.iter_rows(min_row=2))
    return {row[HEADER.index("问题")].value: {name: cell for name, cell in zip(HEADER, row)} for row in rows}


def test_ledger_has_real_dates_autofilter_frozen_header_and_warning_colours(login, staff, progress, hospital_a,
                                                                          today):
    issue = progress["a"]["soon_finance"]
    services.issue_update_ledger(issue=issue, user=staff, responsible_department="财务科", responsible_person="赵六",
                                 due_on_override=today + dt.timedelta(days=5))
    book = _workbook(login(staff), reverse("tracking:institution-ledger", args=[hospital_a.pk, "xlsx"]))
    sheet = book["整改台账"]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.auto_filter.ref == f"A1:W{1 + 4}" and sheet.freeze_panes == "A2"
    rows = _rows_by_title(sheet)
    overdue, soon, ok, done = (rows[t] for t in ("加强医保基金使用管理", "强化财经制度执行", "加强基层党组织建设",
                                                 "规范医保收费行为"))
    assert overdue["整改时限"].is_date and overdue["整改时限"].value.date() == today - dt.timedelta(days=3)
    assert overdue["反馈日期"].value.date() == dt.date(2024, 3, 28)
    assert (overdue["预警"].value, overdue["逾期天数"].value) == ("逾期3天", 3)
    assert overdue["预警"].fill.fgColor.rgb.endswith("FFC7CE")
    assert soon["预警"].fill.fgColor.rgb.endswith("FFEB9C") and soon["预警"].value == "临期（剩5天）"
    assert ok["预警"].fill.fgColor.rgb.endswith("C6EFCE")
    assert done["预警"].fill.fill_type is None and done["预警"].value == "已完成"
    assert (soon["责任部门"].value, soon["责任人"].value, soon["时限来源"].value) == ("财务科", "赵六", "医院调整")


def test_summary_sheet_has_one_row_per_hospital_with_colour_counts(login, staff, progress):
    book = _workbook(login(staff), reverse("tracking:issues-ledger", args=["xlsx"]))
    summary = book["各单位汇总"]
    rows = {r[0]: r for r in summary.iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in summary[1]]
    a = dict(zip(header, rows["清远市中医院"]))
    assert (a["问题数"], a["已完成"], a["逾期"], a["临期"], a["正常"], a["完成率"]) == (4, 1, 1, 1, 1, "25.0%")
    assert list(rows) == ["长沙市中心医院", "清远市中医院"]  # pinyin order: chang before qing


def test_verified_against_the_claim_shows_both_the_claim_and_the_finding(login, staff, progress, hospital_a):
    issue = progress["a"]["overdue_insurance"]
    services.issue_verify(issue=issue, user=staff, note="现场核实", confirm_unclaimed=True)
    rows = _rows_by_title(_workbook(login(staff), reverse("tracking:institution-ledger",
                                                          args=[hospital_a.pk, "xlsx"]))["整改台账"])
    row = rows["加强医保基金使用管理"]
    assert row["通报所称状态"].value == "正在整改"
    assert row["核查状态"].value == "工作人员核实已完成（通报未称完成）"


def test_every_text_cell_is_text_and_control_characters_do_not_break_the_file(login, staff, progress, hospital_a):
    issue = progress["a"]["overdue_insurance"]
    issue.status_evidence = "=1+1\x07响铃"
    issue.responsible_person = "@SUM(A1)"
    issue.save()
    sheet = _workbook(login(staff), reverse("tracking:institution-ledger", args=[hospital_a.pk, "xlsx"]))["整改台账"]
    row = _rows_by_title(sheet)["加强医保基金使用管理"]
    assert row["状态依据"].value == "=1+1响铃" and row["状态依据"].data_type == "s"
    assert row["责任人"].value == "@SUM(A1)"
    assert all(cell.data_type != "f" for r in sheet.iter_rows() for cell in r)
