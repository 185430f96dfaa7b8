"""Stored text and the exports (issue 13, items 3 and 7): no stored value breaks a ledger; new text is cleaned at input.

A verification note pasted from Word keeps its soft line break (``\\x0b``);
that used to break both ledgers (the institution's and the issues ledger)
with a 500.  Text saved before input was cleaned must still export, and
every service that stores free text now removes control characters and
bidi overrides and says how many.
"""
from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from rectify_site.input_text import HEADER
from tests import factories
from tests.hostile_text import BAD, BIDI, C0
from tracking import progress, services
from tracking.exports import HEADER as LEDGER_HEADER
from tracking.models import FeedbackIssue

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(hospital_a):
    inspection = factories.hospital_with_issues(institution_=hospital_a, n_issues=2)
    return FeedbackIssue.objects.filter(inspection=inspection).order_by("number").first()


def _ledger_cells(response) -> list:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    return [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("field", ["verification_note", "title", "status_evidence", "responsible_person"])
def test_both_ledgers_export_stored_text_with_every_control_and_bidi_character(issue, hospital_a, login, staff, field):
    FeedbackIssue.objects.filter(pk=issue.pk).update(**{field: f"已核实{C0}\u007f整改{BIDI}完成"})
    client = login(staff)
    for url in (reverse("tracking:institution-ledger", args=[hospital_a.pk, "xlsx"]),
                reverse("tracking:issues-ledger", args=["xlsx"])):
        cells = _ledger_cells(client.get(url))
        assert "已核实\n\n\n整改完成" in cells  # \x0b \x0c \r: line breaks
        assert not any(BAD & set(str(v or "")) for v in cells)
    for url in (reverse("tracking:institution-ledger", args=[hospital_a.pk, "csv"]),
                reverse("tracking:issues-ledger", args=["csv"])):
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode("utf-8-sig")
        assert not BAD & set(text)
        assert "已核实\n\n\n整改完成" in [c for row in csv.reader(io.StringIO(text)) for c in row]


def test_a_verification_note_with_words_soft_line_break_is_saved_clean_and_the_reviewer_told(issue, login, staff):
    client = login(staff)
    response = client.post(reverse("tracking:issue-verify", args=[issue.pk]),
                           {"note": "现场核实\x0b台账齐全\x01\u202e", "expected": issue.verification,
                            "confirm_unclaimed": "on"})
    assert response.status_code == 302 and response[HEADER] == "2"
    issue.refresh_from_db()
    assert issue.verification_note == "现场核实\n台账齐全"
    page = client.get(response["Location"]).content.decode()
    assert "已核查销号" in page and "已移除2个不可见控制字符" in page
    row = [r for r in load_workbook(io.BytesIO(client.get(reverse("tracking:issues-ledger", args=["xlsx"])).content))
           .active.iter_rows(values_only=True)][1:]
    assert "现场核实\n台账齐全" in [r[LEDGER_HEADER.index("核查说明")] for r in row]


def test_the_api_cleans_a_note_too_and_says_so_in_a_header(issue, staff, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=staff)
    response = client.post(f"/api/issues/{issue.pk}/verify/", {"note": "核\x00实\u202e", "confirm_unclaimed": True},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200, response.content
    assert response[HEADER] == "2"
    issue.refresh_from_db()
    assert issue.verification_note == "核实"


def test_every_free_text_service_cleans_what_it_stores(issue, hospital_a_clerk, staff):
    dirty = "整改\x01进展\u202e说明\x0b第二行"
    clean = "整改进展说明\n第二行"
    report = progress.report_submit(issue=issue, user=hospital_a_clerk, text=dirty)
    assert report.text == clean
    services.issue_verify(issue=issue, user=staff, note=dirty, confirm_unclaimed=True)
    issue.refresh_from_db()
    assert issue.verification_note == clean
    services.issue_update_ledger(issue=issue, user=hospital_a_clerk, responsible_person="王\u202e五",
                                 measures_override=dirty)
    issue.refresh_from_db()
    assert (issue.responsible_person, issue.measures_override) == ("王五", clean)


def test_rejection_and_withdrawal_reasons_are_cleaned(hospital_a, staff):
    from notices.services import notice_withdraw
    from review.services import notice_reject

    first = factories.notice(institution_=hospital_a)
    rejected = notice_reject(notice=first, user=staff, reason="不是\x07整改通报\u202e")
    assert rejected.review_note == "不是整改通报"
    second = factories.notice(institution_=hospital_a)
    notice_withdraw(notice=second, withdrawn_by=staff, reason="上传\x1b错了\u2066")
    second.refresh_from_db()
    assert second.withdraw_reason == "上传错了"


def test_a_right_to_left_override_reaches_no_stored_field_and_no_export(hospital_a, hospital_a_clerk, staff, login,
                                                                       django_capture_on_commit_callbacks):
    """Item 7: in the file name, the title, the header and the issues — none of it survives to the database."""
    from notices.models import AWAITING_REVIEW, Notice
    from notices.services import notice_create
    from tests.review_support import accept
    from tracking.models import Inspection, IssueStatement, Measure

    from .corpus import synthetic_notice

    rlo = "\u202e"
    text = synthetic_notice(4).replace("整改进展情况的通报", f"整改进展情况的{rlo}通报", 1)
    text = text.replace("联系电话：0763", f"联系电话：{rlo}0763").replace("第五巡察组", f"第五{rlo}巡察组")
    text = text.replace("制度执行不到位", f"制度{rlo}执行不到位")
    with django_capture_on_commit_callbacks(execute=True):
        notice, _ = notice_create(data=text.encode(), filename=f"通报{rlo}fdp.txt", uploaded_by=hospital_a_clerk)
    notice.refresh_from_db()
    if notice.review_state in AWAITING_REVIEW:
        notice = accept(notice)
    assert notice.state == "parsed", notice.error
    stored = Notice.objects.filter(pk=notice.pk).values().get()
    assert notice.original_name == "通报fdp.txt"  # with U+202E it read 「通报txt.pdf」
    assert "整改进展情况的通报" in notice.title
    assert not [k for k, v in stored.items() if rlo in str(v)]
    rows = [*Inspection.objects.filter(institution=hospital_a).values(), *FeedbackIssue.objects.values(),
            *IssueStatement.objects.values(), *Measure.objects.values()]
    assert len(rows) > 4
    assert not [r for r in rows if rlo in str(r)]
    client = login(staff)
    for url in (reverse("tracking:institution-ledger", args=[hospital_a.pk, "xlsx"]),
                reverse("tracking:issues-ledger", args=["csv"])):
        response = client.get(url)
        assert response.status_code == 200 and rlo.encode() not in response.content
