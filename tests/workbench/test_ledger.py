"""The hospital's ledger fields: owners, its own deadline and measures, kept across re-parses, with history."""
import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests import factories
from tracking import services
from tracking.ingest import issues_refresh
from tracking.models import FeedbackIssue, IssueAction

pytestmark = pytest.mark.django_db


def _edit(issue, user, **fields):
    values = {field: getattr(issue, field) for field in services.LEDGER_FIELDS}
    values.update(fields)
    return services.issue_update_ledger(issue=issue, user=user, **values)


def test_clerk_sets_owners_deadline_and_measures_and_each_change_is_recorded(hospital_a_clerk, issue_a):
    changed = _edit(issue_a, hospital_a_clerk, responsible_leader="王院长", responsible_department="医保办",
                    responsible_person="李明", due_on_override=dt.date(2026, 6, 30),
                    measures_override="一是完善收费制度\n二是开展自查")
    assert set(changed) == set(services.LEDGER_FIELDS)
    issue = FeedbackIssue.objects.get(pk=issue_a.pk)
    assert issue.due_on == issue.due_on_override == dt.date(2026, 6, 30)
    assert issue.owner_label == "医保办 / 李明"
    entry = LogEntry.objects.get_for_object(issue).get()
    assert entry.actor == hospital_a_clerk
    assert entry.changes_dict["responsible_person"] == ["", "李明"]


def test_another_hospitals_clerk_may_not_edit(hospital_b_clerk, issue_a):
    with pytest.raises(PermissionDenied):
        _edit(issue_a, hospital_b_clerk, responsible_person="冒名")


def test_a_reparse_keeps_the_hospitals_deadline_and_owners_and_updates_only_the_notices_side(
        hospital_a_clerk, progress):
    issue = progress["a"]["soon_finance"]
    notice = progress["notice_a"]
    IssueAction.objects.filter(issue=issue).update(date=dt.date(2026, 1, 31))
    issues_refresh(issue_ids=[issue.pk])
    issue.refresh_from_db()
    assert (issue.notice_due_on, issue.due_on) == (dt.date(2026, 1, 31), dt.date(2026, 1, 31))

    _edit(issue, hospital_a_clerk, due_on_override=dt.date(2026, 9, 30), responsible_person="张三")
    # The notice is parsed again and now states another deadline.
    IssueAction.objects.filter(issue=issue, notice=notice).update(date=dt.date(2026, 3, 31))
    issues_refresh(issue_ids=[issue.pk])
    issue.refresh_from_db()
    assert issue.notice_due_on == dt.date(2026, 3, 31)
    assert issue.due_on == dt.date(2026, 9, 30) and issue.due_on_override == dt.date(2026, 9, 30)
    assert issue.responsible_person == "张三"

    # Clearing the hospital's date gives the notice's back.
    _edit(FeedbackIssue.objects.get(pk=issue.pk), hospital_a_clerk, due_on_override=None)
    assert FeedbackIssue.objects.get(pk=issue.pk).due_on == dt.date(2026, 3, 31)


def test_a_parse_creating_an_issue_writes_no_audit_entry():
    inspection = factories.inspection()
    issue = factories.issue(inspection_=inspection)
    assert not LogEntry.objects.get_for_object(issue).exists()


def test_the_page_saves_the_ledger_and_shows_it_in_the_timeline_once(login, hospital_a_clerk, staff, issue_a):
    client = login(hospital_a_clerk)
    response = client.post(reverse("tracking:issue-ledger", args=[issue_a.pk]), {
        "responsible_leader": "王院长", "responsible_department": "医保办", "responsible_person": "李明",
        "due_on_override": "2026-06-30", "measures_override": "一是完善收费制度"})
    assert response.status_code == 302
    page = login(staff).get(reverse("tracking:issue", args=[issue_a.pk]))
    html = page.content.decode()
    assert "医保办" in html and "一是完善收费制度" in html and "医院调整" in html
    ledger_rows = [e for e in page.context["timeline"] if e.kind == "ledger"]
    assert len(ledger_rows) == 1 and "责任人：（空） → 李明" in ledger_rows[0].text
    table = login(staff).get(reverse("tracking:institution", args=[issue_a.inspection.institution_id])).content
    assert "医保办 / 李明" in table.decode()


def test_a_bad_date_is_refused_in_chinese(login, hospital_a_clerk, issue_a):
    client = login(hospital_a_clerk)
    client.post(reverse("tracking:issue-ledger", args=[issue_a.pk]), {"due_on_override": "明年"})
    messages = [str(m) for m in client.get(reverse("tracking:issue", args=[issue_a.pk])).context["messages"]]
    assert any("有效日期" in m for m in messages)
    assert FeedbackIssue.objects.get(pk=issue_a.pk).due_on_override is None


def test_timeline_shows_each_dated_step_once_even_when_two_notices_repeat_it(login, staff, progress):
    issue = progress["a"]["overdue_insurance"]
    later = factories.notice(inspection_=progress["inspection_a"], title="第二次通报")
    for action in list(IssueAction.objects.filter(issue=issue)):
        factories.action(issue_=issue, notice_=later, kind=action.kind, date=action.date, text=action.text)
    html = login(staff).get(reverse("tracking:issue", args=[issue.pk])).content.decode()
    assert html.count('class="tl-deadline"') == 1
