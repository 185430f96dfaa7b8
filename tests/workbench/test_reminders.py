"""The to-do list and the daily digest: what each role is reminded of, once a day."""
import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from tracking import progress as workflow
from tracking import reminders
from tracking.models import ReminderDigest
from tracking.tasks import send_reminder_digests

from .conftest import evidence_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_emails(staff, hospital_a_clerk, hospital_b_clerk):
    for user, address in ((staff, "staff@example.cn"), (hospital_a_clerk, "a@example.cn"),
                          (hospital_b_clerk, "")):
        user.email = address
        user.save()


def test_clerk_is_reminded_of_overdue_and_due_soon_problems_and_returned_requests(hospital_a_clerk, staff, progress):
    report = workflow.report_submit(issue=progress["a"]["done_insurance"], user=hospital_a_clerk, text="完成",
                                    files=[evidence_file()], request_signoff=True)
    workflow.report_return(report=report, user=staff, note="补材料")
    items = {item.kind: item for item in reminders.todo_items(hospital_a_clerk)}
    assert set(items) == {"overdue", "soon", "returned"}
    assert [text for text, _ in items["overdue"].links] == ["9. 加强医保基金使用管理"]
    assert items["soon"].count == 1 and items["returned"].count == 1


def test_staff_are_reminded_of_requests_waiting_and_hospitals_with_overdue_problems(hospital_a_clerk, staff,
                                                                                     progress):
    workflow.report_submit(issue=progress["a"]["done_insurance"], user=hospital_a_clerk, text="完成",
                           files=[evidence_file()], request_signoff=True)
    items = {item.kind: item for item in reminders.todo_items(staff)}
    assert items["pending"].count == 1 and "清远市中医院" in items["pending"].links[0][0]
    assert items["hospitals"].links == [("清远市中医院（逾期1项）", items["hospitals"].links[0][1])]


def test_the_digest_goes_once_a_day_to_each_user_with_something_to_do(with_emails, progress, today):
    assert send_reminder_digests() == 2  # staff and clerk A; clerk B has no address
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.cn", "staff@example.cn"]
    clerk_mail = next(m for m in mail.outbox if m.to == ["a@example.cn"])
    assert "已逾期的问题" in clerk_mail.body and "加强医保基金使用管理" in clerk_mail.body
    assert django_settings.SITE_URL in clerk_mail.body and clerk_mail.subject.startswith("【整改通】")
    assert send_reminder_digests() == 0 and len(mail.outbox) == 2  # not twice in a day
    assert reminders.reminders_send_digests(today=today + dt.timedelta(days=1)) == 2
    assert ReminderDigest.objects.count() == 4


def test_a_failed_send_is_retried_by_the_next_run(with_emails, progress, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    assert reminders.reminders_send_digests() == 0 and not ReminderDigest.objects.exists()
    monkeypatch.undo()
    assert reminders.reminders_send_digests() == 2


def test_nobody_with_nothing_to_do_gets_mail(with_emails):
    assert send_reminder_digests() == 0 and mail.outbox == []


def test_beat_runs_the_digest_daily_and_email_defaults_to_the_console():
    entry = django_settings.CELERY_BEAT_SCHEDULE["daily-reminder-digests"]
    assert entry["task"] == "tracking.tasks.send_reminder_digests"
    assert entry["schedule"].hour == {8}


def test_the_todo_page_lists_the_same_items(login, hospital_a_clerk, progress):
    html = login(hospital_a_clerk).get(reverse("tracking:todo")).content.decode()
    assert 'id="todo-overdue"' in html and "加强医保基金使用管理" in html and "长沙市中心医院" not in html
