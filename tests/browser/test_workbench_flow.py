"""The workbench loop in Chromium: a clerk reports with evidence and asks for 销号, staff return it, the clerk
resubmits, staff approve; the digest goes once; the warning colours are right at their edges."""
import datetime as dt

import pytest
from django.core import mail

from tests import factories
from tests.browsers import screenshot
from tests.workbench.conftest import JPEG, PDF
from tracking.models import FeedbackIssue, IssueEvent
from tracking.reminders import reminders_send_digests

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RED, YELLOW, GREEN = "rgb(220, 38, 38)", "rgb(234, 179, 8)", "rgb(22, 163, 74)"


@pytest.fixture
def as_user(browser, live_server):
    """``as_user(username)``: a fresh logged-in page, so the clerk and the reviewer each keep their own session."""
    contexts = []

    def _open(username):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900},
                                      accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.csp_errors = []
        page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_errors.append(m.text))
        log_in(page, username)
        return page

    yield _open
    for context in contexts:
        context.close()


def _files(tmp_path, *names):
    paths = []
    for name in names:
        path = tmp_path / name
        path.write_bytes(PDF if name.endswith(".pdf") else JPEG)
        paths.append(str(path))
    return paths


def _background(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).backgroundColor")


def test_clerk_reports_and_requests_signoff_staff_return_then_approve(as_user, hospital_a_clerk, staff, progress,
                                                                       hospital_a, tmp_path):
    issue = progress["a"]["done_insurance"]
    clerk = as_user("clerk_a")
    clerk.goto(f"/progress/institutions/{hospital_a.pk}/")
    table = clerk.locator("#workbench-table")
    assert table.locator("tbody tr").count() == 4
    overdue = table.locator("tr", has_text="加强医保基金使用管理").locator(".badge.warn-red")
    assert overdue.inner_text() == "逾期3天" and _background(overdue) == RED
    screenshot(clerk, "10-institution-workbench")

    table.get_by_role("link", name="规范医保收费行为").click()
    clerk.wait_for_selector("#report-form")
    clerk.click("#ledger summary")
    clerk.fill("#ledger-form input[name=responsible_department]", "医保办")
    clerk.fill("#ledger-form input[name=responsible_person]", "李明")
    clerk.click("#ledger-form button[type=submit]")
    clerk.wait_for_selector(".msg-success")
    assert "台账已保存" in clerk.inner_text(".messages")

    clerk.fill("#report-form textarea[name=text]", "已修订收费管理制度并组织全员培训。")
    clerk.set_input_files("#report-form input[name=files]", _files(tmp_path, "收费制度.pdf"))
    clerk.click("#signoff-button")
    clerk.wait_for_selector(".msg-success")
    assert "已提交销号申请" in clerk.inner_text(".messages")
    assert "待核查" in clerk.inner_text("#issue-badges")
    screenshot(clerk, "11-issue-page")

    reviewer = as_user("staff")
    reviewer.goto("/progress/signoffs/")
    row = reviewer.locator("#signoff-table tbody tr", has_text="规范医保收费行为")
    assert "收费制度.pdf" in row.inner_text() and "已修订收费管理制度" in row.inner_text()
    screenshot(reviewer, "12-signoffs")
    row.get_by_role("link", name="核查").click()
    reviewer.wait_for_selector("#return-form")
    reviewer.fill("#return-form textarea[name=note]", "缺少培训签到表，请补充。")
    reviewer.click("#return-form button[type=submit]")
    reviewer.wait_for_selector(".msg-success")

    clerk.reload()
    assert "缺少培训签到表，请补充。" in clerk.inner_text("#returned-note")
    clerk.fill("#report-form textarea[name=text]", "补充了培训签到表。")
    clerk.set_input_files("#report-form input[name=files]", _files(tmp_path, "签到表.jpg"))
    clerk.click("#signoff-button")
    clerk.wait_for_selector(".msg-success")

    reviewer.goto("/progress/signoffs/")
    reviewer.locator("#signoff-table tbody tr", has_text="规范医保收费行为").get_by_role("link", name="核查").click()
    reviewer.wait_for_selector("#approve-form")
    assert reviewer.locator("#approve-form input[name=confirm_unclaimed]").count() == 0  # the notice claims it done
    reviewer.fill("#approve-form textarea[name=note]", "材料齐全，同意销号。")
    reviewer.click("#approve-form button[type=submit]")
    reviewer.wait_for_selector(".msg-success")
    assert "核查：已核查销号" in reviewer.inner_text("#issue-badges")
    history = reviewer.inner_text("#history")
    for step in ("申请销号", "退回销号申请", "批准销号", "缺少培训签到表，请补充。", "医保办"):
        assert step in history, step
    issue.refresh_from_db()
    assert (issue.verification, issue.signoff, issue.responsible_person) == ("verified", "approved", "李明")
    assert list(IssueEvent.objects.filter(issue=issue).order_by("at", "id").values_list("kind", flat=True)) == [
        "signoff_requested", "signoff_returned", "signoff_requested", "signoff_approved"]

    # The evidence opens for the clerk of A as a download, never inline.
    with clerk.expect_download() as download:
        clerk.locator(".evidence-link", has_text="签到表.jpg").click()
    assert download.value.suggested_filename == "签到表.jpg"
    assert not clerk.csp_errors and not reviewer.csp_errors


def test_an_issue_the_notice_does_not_claim_done_needs_the_confirmation_box(as_user, hospital_a_clerk, staff,
                                                                            progress, tmp_path):
    issue = progress["a"]["overdue_insurance"]
    clerk = as_user("clerk_a")
    clerk.goto(f"/progress/issues/{issue.pk}/")
    clerk.fill("#report-form textarea[name=text]", "已完成整改。")
    clerk.set_input_files("#report-form input[name=files]", _files(tmp_path, "证明.pdf"))
    clerk.click("#signoff-button")
    clerk.wait_for_selector(".msg-success")
    reviewer = as_user("staff")
    reviewer.goto(f"/progress/issues/{issue.pk}/")
    reviewer.fill("#approve-form textarea[name=note]", "现场核实已完成。")
    reviewer.check("#approve-form input[name=confirm_unclaimed]")
    reviewer.click("#approve-form button[type=submit]")
    reviewer.wait_for_selector(".msg-success")
    assert "工作人员核实已完成（通报未称完成）" in reviewer.inner_text("#issue-badges")
    assert FeedbackIssue.objects.get(pk=issue.pk).verified_against_claim


def test_colours_and_days_are_right_at_the_edges(as_user, staff, hospital_a, today):
    inspection = factories.inspection(institution_=hospital_a)
    for n, (offset, title) in enumerate(((0, "今日到期的问题"), (1, "明日到期的问题"), (-1, "昨日到期的问题"),
                                         (21, "远期问题"))):
        factories.issue(inspection_=inspection, number=str(n + 1), title=title, status="in_progress", order=n,
                        due_on=today + dt.timedelta(days=offset))
    page = as_user("staff")
    page.goto(f"/progress/institutions/{hospital_a.pk}/")
    expected = {"今日到期的问题": ("今日到期", YELLOW), "明日到期的问题": ("临期（剩1天）", YELLOW),
                "昨日到期的问题": ("逾期1天", RED), "远期问题": ("正常", GREEN)}
    for title, (label, colour) in expected.items():
        badge = page.locator("#workbench-table tr", has_text=title).locator("td .badge[title='预警']")
        assert (badge.inner_text(), _background(badge)) == (label, colour), title
    counts = page.inner_text("#warning-counts")
    assert "逾期 1" in counts and "临期 2" in counts and "正常 1" in counts


def test_the_digest_is_sent_once_and_the_dashboard_draws(as_user, staff, hospital_a_clerk, progress, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for user, address in ((staff, "staff@example.cn"), (hospital_a_clerk, "a@example.cn")):
        user.email = address
        user.save()
    assert reminders_send_digests() == 2 and reminders_send_digests() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.cn", "staff@example.cn"]

    clerk = as_user("clerk_a")
    clerk.goto("/progress/todo/")
    assert "加强医保基金使用管理" in clerk.inner_text("#todo-overdue")
    reviewer = as_user("staff")
    reviewer.goto("/progress/dashboard/")
    reviewer.wait_for_selector("#chart-ranking")
    assert reviewer.locator("#ranking-table tbody tr").count() == 2
    assert reviewer.locator("svg.linechart").count() == 1
    screenshot(reviewer, "13-dashboard")
    assert not reviewer.csp_errors
