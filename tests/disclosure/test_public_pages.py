"""The public may read a notice from the first day of its window; it does not exist before."""
import datetime as dt

import pytest
from django.urls import reverse

from notices.models import ParseState

from .factories import END, START, add_immediate_item, make_notice

pytestmark = pytest.mark.django_db


def _page(client, notice):
    return client.get(reverse("disclosure:notice", args=[notice.pk]))


def test_the_page_does_not_exist_at_the_last_minute_of_the_day_before_the_window(client, clock, hospital_a):
    notice = make_notice(institution=hospital_a)
    clock.set(2025, 4, 6, 23, 59)  # Beijing time; already 4月7日 nowhere that matters
    assert _page(client, notice).status_code == 404
    assert notice.title not in client.get(reverse("disclosure:list")).content.decode()


def test_the_page_opens_at_beijing_midnight_on_the_first_day_even_though_utc_is_still_the_day_before(
        client, clock, hospital_a):
    notice = make_notice(institution=hospital_a)
    clock.set(2025, 4, 7, 0, 0)  # 2025-04-06 16:00 UTC
    response = _page(client, notice)
    assert response.status_code == 200
    body = response.content.decode()
    assert "公示中" in body and 'name="text"' in body and "公示期已结束" not in body
    assert notice.title in client.get(reverse("disclosure:list")).content.decode()


def test_comments_are_still_accepted_at_the_last_minute_of_the_last_day(client, clock, hospital_a):
    notice = make_notice(institution=hospital_a)
    clock.set(2025, 5, 6, 23, 59)
    body = _page(client, notice).content.decode()
    assert 'name="text"' in body and "还剩1天" in body
    response = client.post(reverse("disclosure:comment", args=[notice.pk]), {"text": "最后一天的意见"})
    assert response.status_code == 302
    assert notice.public_comments.count() == 1


def test_the_day_after_the_window_the_page_stays_readable_marked_ended_with_the_form_closed(client, clock, hospital_a):
    notice = make_notice(institution=hospital_a)
    clock.set(2025, 5, 7, 0, 0)
    response = _page(client, notice)
    assert response.status_code == 200
    body = response.content.decode()
    assert "公示期已结束" in body and 'name="text"' not in body
    assert "学习贯彻不够深入" in body
    post = client.post(reverse("disclosure:comment", args=[notice.pk]), {"text": "过期的意见"})
    assert post.status_code == 403
    assert "公示期已结束，不再接收意见。" in post.content.decode()
    assert notice.public_comments.count() == 0
    listing = client.get(reverse("disclosure:list")).content.decode()
    assert "目前没有正在公示的通报" in listing and notice.title in listing  # in the ended list, not the open one


@pytest.mark.parametrize("change", [
    {"unpublished": True},
    {"state": ParseState.FAILED},
    {"state": ParseState.PARSING},
    {"start": None, "end": None},
])
def test_an_unpublished_unparsed_or_windowless_notice_has_no_public_page(client, clock, hospital_a, change):
    notice = make_notice(institution=hospital_a, **change)
    clock.set_day(START)
    assert _page(client, notice).status_code == 404
    assert client.get(reverse("disclosure:original", args=[notice.pk])).status_code == 404
    assert notice.title not in client.get(reverse("disclosure:list")).content.decode()


def test_a_withdrawn_notice_has_no_public_page(client, clock, hospital_a):
    from django.utils import timezone

    notice = make_notice(institution=hospital_a, withdrawn_at=timezone.now())
    clock.set_day(START)
    assert _page(client, notice).status_code == 404


def test_the_original_file_downloads_while_public_and_not_before(client, clock, hospital_a):
    notice = make_notice(institution=hospital_a, file_bytes="通报原文".encode())
    clock.set_day(START - dt.timedelta(days=1))
    assert client.get(reverse("disclosure:original", args=[notice.pk])).status_code == 404
    clock.set_day(END + dt.timedelta(days=30))
    response = client.get(reverse("disclosure:original", args=[notice.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "通报原文".encode()
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and "upload-" not in disposition


def test_the_page_renders_categories_issues_statuses_next_steps_and_contacts(client, clock, hospital_a):
    notice = make_notice(institution=hospital_a, next_steps="坚定不移加强巡察整改和成果运用。")
    add_immediate_item(notice, "清理超标办公用房")
    clock.set_day(START)
    body = _page(client, notice).content.decode()
    for text in ["（一）关于聚焦党中央各项决策部署落实情况方面", "1. 学习贯彻不够深入", "已完成整改", "2. 制度建设不够健全",
                 "正在整改", "一是制定学习计划。二是开展专题学习。", "清理超标办公用房", "坚定不移加强巡察整改和成果运用。",
                 "0763-3126147", "qyszyydb@163.com", "清远市清城区桥北路10号", "本通报共列出 2 个问题"]:
        assert text in body, text
    assert body.index("学习贯彻不够深入") < body.index("制度建设不够健全")


def test_the_public_pages_need_no_login_and_send_a_strict_content_security_policy(client, clock, hospital_a):
    notice = make_notice(institution=hospital_a)
    clock.set_day(START)
    response = _page(client, notice)
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode()  # scripts only from static files


def test_the_download_name_comes_from_the_title_with_path_characters_replaced(client, clock, hospital_a):
    notice = make_notice(institution=hospital_a, title='整改/通报:"第一批"')
    clock.set_day(START)
    disposition = client.get(reverse("disclosure:original", args=[notice.pk]))["Content-Disposition"]
    from urllib.parse import quote

    assert disposition == f"attachment; filename*=utf-8''{quote('整改_通报__第一批_.txt')}"


def test_the_notice_page_costs_the_same_queries_for_two_issues_or_forty(client, clock, hospital_a,
                                                                      django_assert_max_num_queries):
    small = make_notice(institution=hospital_a)
    large = make_notice(institution=hospital_a, issues=[(f"问题{i}", f"全文{i}", "in_progress") for i in range(40)])
    clock.set_day(START)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert _page(client, small).status_code == 200
    assert 0 < len(few.captured_queries) <= 6
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert _page(client, large).status_code == 200


@pytest.mark.parametrize("group", ["第五巡察组", "市委第五巡察组"])
def test_the_inspection_group_is_named_once_with_its_body(client, clock, hospital_a, group):
    notice = make_notice(institution=hospital_a)
    notice.inspection.group = group
    notice.inspection.save()
    clock.set_day(START)
    body = _page(client, notice).content.decode()
    assert "<dd>市委第五巡察组</dd>" in body and "市委市委" not in body


def test_a_notice_without_a_title_is_named_after_its_hospital(client, clock, hospital_a):
    notice = make_notice(institution=hospital_a, title="")
    clock.set_day(START)
    assert "<h1>清远市中医院巡察整改进展情况通报</h1>" in _page(client, notice).content.decode()
    assert "清远市中医院巡察整改进展情况通报" in client.get(reverse("disclosure:list")).content.decode()


def test_an_issue_text_is_shown_as_paragraphs_without_repeating_its_title(client, clock, hospital_a):
    notice = make_notice(institution=hospital_a,
                         issues=[("学习贯彻不够深入", "学习贯彻不够深入\n一是制定学习计划。\n\n二是开展专题学习。", "completed")])
    clock.set_day(START)
    body = _page(client, notice).content.decode()
    assert '<div class="issue-text"><p>一是制定学习计划。</p><p>二是开展专题学习。</p></div>' in body


def test_the_public_page_is_served_from_the_cache_until_a_ledger_write_bumps_the_version(client, clock, hospital_a):
    from tracking import counters
    from tracking.models import IssueStatement

    notice = make_notice(institution=hospital_a)
    clock.set(2025, 4, 10, 9, 0)
    assert "学习贯彻不够深入" in _page(client, notice).content.decode()
    IssueStatement.objects.filter(notice=notice, title__contains="学习贯彻不够深入").update(title="已更正的问题标题")
    assert "学习贯彻不够深入" in _page(client, notice).content.decode()  # the cached fragment
    counters.bump()  # what every re-parse, correction and acceptance does
    body = _page(client, notice).content.decode()
    assert "已更正的问题标题" in body and "学习贯彻不够深入" not in body
