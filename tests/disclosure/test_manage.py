"""Staff and the notice's own hospital read and handle comments; staff alone decide publicity."""
import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from disclosure.models import DisclosureChange, PublicComment
from disclosure.services import DisclosureRefused, comment_mark_handled, notice_set_disclosure_window

from .factories import START, make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(notice):
    return PublicComment.objects.create(notice=notice, text="=HYPERLINK(\"http://evil\")建议公开台账",
                                        name="李四", contact="13800138000", client_hash="ab" * 32)


def _urls(notice, comment):
    return {
        "manage_notice": ("get", reverse("disclosure:manage_notice", args=[notice.pk])),
        "export_csv": ("get", reverse("disclosure:export", args=[notice.pk, "csv"])),
        "export_xlsx": ("get", reverse("disclosure:export", args=[notice.pk, "xlsx"])),
        "handle": ("post", reverse("disclosure:comment_handle", args=[comment.pk])),
    }


def test_anonymous_visitors_are_sent_to_log_in(notice, comment):
    client = Client()
    for name, (method, url) in _urls(notice, comment).items():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name
    assert Client().get(reverse("disclosure:manage_list")).status_code == 302


def test_the_other_hospitals_clerk_gets_404_everywhere(notice, comment, login, hospital_b_clerk):
    client = login(hospital_b_clerk)
    for name, (method, url) in _urls(notice, comment).items():
        assert getattr(client, method)(url, {"reply_note": "越权"}).status_code == 404, name
    assert not PublicComment.objects.get().handled
    listing = client.get(reverse("disclosure:manage_list")).content.decode()
    assert notice.title not in listing


def test_someone_with_no_role_is_refused(notice, comment, login, outsider):
    client = login(outsider)
    assert client.get(reverse("disclosure:manage_list")).status_code == 403
    assert client.get(reverse("disclosure:manage_notice", args=[notice.pk])).status_code == 404


@pytest.mark.parametrize("who", ["staff", "hospital_a_clerk"])
def test_staff_and_the_own_hospitals_clerk_see_the_comments(notice, comment, login, request, who):
    client = login(request.getfixturevalue(who))
    body = client.get(reverse("disclosure:manage_notice", args=[notice.pk])).content.decode()
    assert "建议公开台账" in body and "李四" in body and "1 条待处理" in body
    assert notice.title in client.get(reverse("disclosure:manage_list")).content.decode()


def test_the_own_hospitals_clerk_marks_a_comment_handled_with_a_reply(notice, comment, login, hospital_a_clerk):
    client = login(hospital_a_clerk)
    response = client.post(reverse("disclosure:comment_handle", args=[comment.pk]), {"reply_note": "已在院务公开栏公示台账"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.handled and comment.handled_by == hospital_a_clerk and comment.reply_note == "已在院务公开栏公示台账"
    assert comment.handled_at is not None
    # Handling twice is refused rather than overwriting the first reply.
    client.post(reverse("disclosure:comment_handle", args=[comment.pk]), {"reply_note": "第二次"})
    comment.refresh_from_db()
    assert comment.reply_note == "已在院务公开栏公示台账"
    with pytest.raises(DisclosureRefused):
        comment_mark_handled(comment=comment, user=hospital_a_clerk, reply_note="第三次")


def test_a_reply_note_is_required(notice, comment, login, staff):
    client = login(staff)
    response = client.post(reverse("disclosure:comment_handle", args=[comment.pk]), {"reply_note": " "}, follow=True)
    assert "请填写处理说明。" in response.content.decode()
    assert not PublicComment.objects.get().handled


def test_comments_export_as_csv_with_formulas_defused(notice, comment, login, staff):
    response = login(staff).get(reverse("disclosure:export", args=[notice.pk, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # Excel reads the UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["编号", "提交时间", "针对问题", "意见内容"]
    assert rows[1][3] == "'=HYPERLINK(\"http://evil\")建议公开台账" and rows[1][4] == "李四"
    assert rows[1][1] == "2025-04-07 12:00"  # Beijing time


def test_comments_export_as_xlsx(notice, comment, login, hospital_a_clerk):
    response = login(hospital_a_clerk).get(reverse("disclosure:export", args=[notice.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["D1"].value == "意见内容"
    # Stored as text with Excel's quote prefix (the same rule as the ledgers): never a formula.
    assert sheet["D2"].value == '=HYPERLINK("http://evil")建议公开台账' and sheet["H2"].value == "未处理"
    assert sheet["D2"].data_type == "s" and sheet["D2"].quotePrefix


def test_an_unknown_export_format_does_not_exist(notice, login, staff):
    assert login(staff).get(f"/public/manage/{notice.pk}/comments.pdf").status_code == 404


def test_staff_set_a_window_by_working_days_for_a_notice_that_states_none(hospital_a, login, staff, clock):
    notice = make_notice(institution=hospital_a, start=None, end=None)
    clock.set_day(dt.date(2025, 11, 24))
    client = login(staff)
    assert Client().get(reverse("disclosure:notice", args=[notice.pk])).status_code == 404
    response = client.post(reverse("disclosure:set_window", args=[notice.pk]),
                           {"start": "2025-11-24", "working_days": "15", "reason": "通报未载明公开期限"})
    assert response.status_code == 302
    assert "公开期限已保存：2025年11月24日至2025年12月12日。" in client.get(response["Location"]).content.decode()
    notice.refresh_from_db()
    assert (notice.disclosure_start, notice.disclosure_end) == (dt.date(2025, 11, 24), dt.date(2025, 12, 12))
    assert notice.disclosure_set_by_staff
    change = DisclosureChange.objects.get()
    assert (change.kind, change.working_days, change.changed_by, change.reason) == ("window_set", 15, staff, "通报未载明公开期限")
    assert Client().get(reverse("disclosure:notice", args=[notice.pk])).status_code == 200


def test_staff_set_a_window_by_end_date(notice, login, staff):
    login(staff).post(reverse("disclosure:set_window", args=[notice.pk]), {"start": "2025-04-10", "end": "2025-04-30"})
    notice.refresh_from_db()
    assert (notice.disclosure_start, notice.disclosure_end) == (dt.date(2025, 4, 10), dt.date(2025, 4, 30))


@pytest.mark.parametrize("data, message", [
    ({"start": "2025-04-10"}, "请填写结束日期或工作日数（二选一）。"),
    ({"start": "2025-04-10", "end": "2025-04-30", "working_days": "5"}, "结束日期和工作日数只能填写一项。"),
    ({"start": "2025-04-10", "end": "2025-04-01"}, "结束日期不能早于开始日期。"),
    ({"start": "2025-04-10", "working_days": "61"}, "工作日数不能超过60。"),
    ({"start": "", "end": "2025-04-30"}, "请填写开始日期。"),
])
def test_a_bad_window_is_refused_with_a_chinese_message(notice, login, staff, data, message):
    response = login(staff).post(reverse("disclosure:set_window", args=[notice.pk]), data)
    assert response.status_code == 400 and message in response.content.decode()
    notice.refresh_from_db()
    assert notice.disclosure_start == START and not notice.disclosure_set_by_staff


def test_a_hospital_clerk_cannot_set_the_window_or_unpublish(notice, login, hospital_a_clerk):
    client = login(hospital_a_clerk)
    assert client.post(reverse("disclosure:set_window", args=[notice.pk]),
                       {"start": "2025-04-10", "end": "2025-04-30"}).status_code == 403
    assert client.post(reverse("disclosure:unpublish", args=[notice.pk])).status_code == 403
    notice.refresh_from_db()
    assert notice.disclosure_start == START and not notice.unpublished
    assert "设定公开期限" not in client.get(reverse("disclosure:manage_notice", args=[notice.pk])).content.decode()
    with pytest.raises(PermissionDenied):
        notice_set_disclosure_window(notice=notice, start=START, end=START, user=hospital_a_clerk)


def test_staff_unpublish_at_any_time_and_republish(notice, login, staff):
    client = login(staff)
    assert Client().get(reverse("disclosure:notice", args=[notice.pk])).status_code == 200
    client.post(reverse("disclosure:unpublish", args=[notice.pk]), {"reason": "内容有误"})
    assert Client().get(reverse("disclosure:notice", args=[notice.pk])).status_code == 404
    assert Client().get(reverse("disclosure:original", args=[notice.pk])).status_code == 404
    # Unpublishing twice changes nothing and leaves one history row.
    response = client.post(reverse("disclosure:unpublish", args=[notice.pk]), follow=True)
    assert "这份通报已经撤下公开。" in response.content.decode()
    client.post(reverse("disclosure:republish", args=[notice.pk]))
    assert Client().get(reverse("disclosure:notice", args=[notice.pk])).status_code == 200
    assert list(DisclosureChange.objects.order_by("id").values_list("kind", "reason")) == [
        ("unpublished", "内容有误"), ("republished", "")]


def test_the_window_form_shows_the_current_window_in_the_date_inputs(notice, login, staff):
    body = login(staff).get(reverse("disclosure:manage_notice", args=[notice.pk])).content.decode()
    assert 'type="date" name="start" value="2025-04-07"' in body and 'name="end" value="2025-05-06"' in body


def test_the_public_page_links_to_the_comments_only_for_those_who_may_read_them(notice, login, staff,
                                                                                  hospital_a_clerk, hospital_b_clerk):
    url = reverse("disclosure:notice", args=[notice.pk])
    link = reverse("disclosure:manage_notice", args=[notice.pk])
    assert link in login(staff).get(url).content.decode()
    assert link in login(hospital_a_clerk).get(url).content.decode()
    assert link not in login(hospital_b_clerk).get(url).content.decode()
    assert link not in Client().get(url).content.decode()
