"""A person sends an opinion during the 公开期限 and is turned away once it has ended."""
import datetime as dt

import pytest

from disclosure.models import PublicComment
from tests.browsers import screenshot
from tests.disclosure.factories import END, make_notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_comment_is_accepted_during_the_window_and_refused_after_it(in_browser, live_server, clock, hospital_a):
    notice = make_notice(institution=hospital_a)
    clock.set(END.year, END.month, END.day, 23, 58)  # the last day, Beijing time
    url = f"{live_server.url}/public/{notice.pk}/"

    def scenario(page):
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

        page.goto(url)
        assert page.locator("h1").inner_text() == notice.title
        assert page.locator(".badge.window-open").inner_text() == "公示中 · 还剩1天"
        honeypot = page.locator("input[name=website]").bounding_box()
        assert honeypot["x"] + honeypot["width"] <= 0  # off-screen: there for bots only (static/css/disclosure.css)
        page.fill("textarea[name=text]", "建议在院务公开栏同步公示整改台账")
        assert page.locator(".char-count").inner_text() == "已输入 16 / 2000 字"  # static/js/disclosure.js ran
        page.select_option("select[name=issue]", label="2. 制度建设不够健全")
        page.fill("input[name=contact]", "13800138000")
        page.click("button[type=submit]")
        page.wait_for_selector(".msg-success")
        assert "您的意见已提交" in page.locator(".messages").inner_text()
        comment = PublicComment.objects.get()
        assert comment.text == "建议在院务公开栏同步公示整改台账" and comment.issue.title == "制度建设不够健全"
        assert comment.text not in page.content()  # the public never sees comments
        screenshot(page, "disclosure-open")

        # The form was loaded on the last day; midnight passes before the second opinion is sent.
        page.fill("textarea[name=text]", "零点之后才提交的意见")
        clock.set_day(END + dt.timedelta(days=1), hour=0)
        page.click("button[type=submit]")
        page.wait_for_selector(".refusal")
        assert page.locator(".refusal").inner_text() == "公示期已结束，不再接收意见。"
        assert PublicComment.objects.count() == 1

        page.goto(url)
        assert page.locator(".closed-banner").is_visible()
        assert page.locator(".badge.window-closed").inner_text() == "公示期已结束"
        assert page.locator("textarea[name=text]").count() == 0
        assert page.locator(".comment-closed").inner_text() == "公示期已结束，不再接收意见。"
        screenshot(page, "disclosure-closed")
        assert not [e for e in errors if "Content Security Policy" in e], errors

    in_browser(scenario)
