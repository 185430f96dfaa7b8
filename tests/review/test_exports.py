import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tracking import services
from tracking.exports import HEADER

pytestmark = pytest.mark.django_db



def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_institution_ledger_has_one_row_per_issue_with_evidence_deadline_and_verification(login, staff, progress,
                                                                                          hospital_a):
    services.issue_verify(issue=progress["a"]["done_insurance"], user=staff, note="已核实")
    response = login(staff).get(reverse("tracking:institution-ledger", args=[hospital_a.pk, "xlsx"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    rows = _xlsx_rows(response)
    assert rows[0] == HEADER and len(rows) == 1 + 4
    by_title = {row[HEADER.index("问题")]: dict(zip(HEADER, row)) for row in rows[1:]}
    overdue = by_title["加强医保基金使用管理"]
    assert overdue["问题类别"] == "（二）关于群众身边腐败问题方面" and overdue["序号"] == "9"
    assert overdue["通报所称状态"] == "正在整改" and overdue["状态依据"] == "该问题正在整改中。"
    assert overdue["预警"] == "逾期3天" and overdue["整改措施"].count("措施") == 2
    assert by_title["规范医保收费行为"]["核查状态"] == "已核查销号" and by_title["规范医保收费行为"]["核查说明"] == "已核实"
    assert {row[0] for row in rows[1:]} == {"清远市中医院"}


def test_filtered_issue_list_exports_as_csv_with_bom_that_excel_reads(login, staff, progress):
    response = login(staff).get(reverse("tracking:issues-ledger", args=["csv"]), {"theme": "medical_insurance",
                                                                                  "open": "true"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert sorted(r[HEADER.index("问题")] for r in rows[1:]) == sorted(["医保违规收费问题整改不到位", "加强医保基金使用管理"])


def test_clerk_exports_only_their_own_hospital(login, hospital_a_clerk, progress, hospital_b):
    client = login(hospital_a_clerk)
    assert client.get(reverse("tracking:institution-ledger", args=[hospital_b.pk, "xlsx"])).status_code == 404
    rows = _xlsx_rows(client.get(reverse("tracking:issues-ledger", args=["xlsx"])))
    assert {row[0] for row in rows[1:]} == {"清远市中医院"}


def test_text_that_looks_like_a_formula_stays_text(login, staff, progress, hospital_a):
    issue = progress["a"]["overdue_insurance"]
    issue.status_evidence = '=HYPERLINK("http://evil.example","点我")'
    issue.save()
    client = login(staff)
    rows = _xlsx_rows(client.get(reverse("tracking:institution-ledger", args=[hospital_a.pk, "xlsx"])))
    evidence = [r[HEADER.index("状态依据")] for r in rows if r[HEADER.index("问题")] == "加强医保基金使用管理"][0]
    assert evidence == issue.status_evidence
    sheet = load_workbook(io.BytesIO(client.get(
        reverse("tracking:institution-ledger", args=[hospital_a.pk, "xlsx"])).content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    text = client.get(reverse("tracking:institution-ledger", args=[hospital_a.pk, "csv"])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
