"""The review loop in a real browser: a misfiled upload, then a reviewer correcting, accepting and publishing."""
import pytest
from django.utils import timezone

from notices.models import Notice
from notices.services import notice_create
from tests.browsers import screenshot
from tests.conftest import sample_paths
from tracking.models import FeedbackIssue

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sample(prefix):
    paths = [p for p in sample_paths() if p.name.startswith(prefix)]
    if not paths:
        pytest.skip(f"sample {prefix} is missing")
    return paths[0]


def _log_out(page):
    page.context.clear_cookies()


def test_a_misfiled_upload_is_flagged_to_the_clerk_withdrawn_and_then_uploaded_by_the_right_hospital(
        page, hospital_a_clerk, hospital_b_clerk, hospital_b):
    changsha = _sample("002")  # 长沙市中心医院's notice
    log_in(page, "clerk_a")
    page.goto("/notices/")
    page.set_input_files("#upload-form input[type=file]", [str(changsha)])
    item = page.locator(".upload-item", has_text=changsha.name)
    item.locator(".review-line").wait_for()
    text = item.inner_text()
    assert "单位不一致" in text and "已解析" not in text
    assert "与上传所属单位「清远市中医院」不一致" in text and "不计入统计" in text
    screenshot(page, "review-01-misfiled-upload")

    item.get_by_role("link").click()
    page.wait_for_selector("#parse-state")
    assert "单位不一致" in page.locator("#state-badge").inner_text()
    assert "暂不计入任何统计" in page.locator("#parse-state").inner_text()
    page.fill(".withdraw-form input[name=reason]", "传错了文件")
    page.click(".withdraw-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已撤回" in page.content()
    assert page.goto("/progress/").ok and "清远市中医院" in page.content()
    assert "长沙" not in page.locator("#overview-table").inner_text()
    screenshot(page, "review-02-withdrawn")

    _log_out(page)
    log_in(page, "clerk_b")
    page.goto("/notices/")
    page.set_input_files("#upload-form input[type=file]", [str(changsha)])
    item = page.locator(".upload-item", has_text=changsha.name)
    item.locator(".review-line").wait_for()
    text = item.inner_text()
    assert "待审核" in text and "其他单位" not in text and "清远" not in text
    assert Notice.objects.filter(institution=hospital_b, review_state="pending").count() == 1
    assert not page.csp_errors, page.csp_errors


def test_staff_correct_an_issue_add_a_missing_one_from_a_text_selection_accept_and_publish(
        page, staff, hospital_a_clerk, hospital_a):
    qingyuan = _sample("000")
    notice, _ = notice_create(data=qingyuan.read_bytes(), filename=qingyuan.name, uploaded_by=hospital_a_clerk)
    notice.refresh_from_db()
    assert notice.review_state == "pending"

    log_in(page, "staff")
    page.goto("/review/")
    page.locator(f"#review-queue tr[data-notice='{notice.pk}'] a").first.click()
    page.wait_for_selector("#notice-text")
    screenshot(page, "review-03-review-page")

    # Picking an issue highlights its lines in the text.
    first = page.locator(".parsed-issue").first
    first.locator(".issue-pick").click()
    assert page.locator("#notice-text li.hl").count() >= 1
    highlighted = page.locator("#notice-text li.hl").first.inner_text()
    assert first.locator(".issue-pick").inner_text().split(". ", 1)[-1][:6] in highlighted

    # Correct its status, taking the evidence sentence from the text by selection.
    evidence_line = page.locator("#notice-text li", has_text="坚定不移").first
    first.locator("details.issue-edit summary").click()
    evidence_line.evaluate("""li => { const r = document.createRange(); r.selectNodeContents(li);
        const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }""")
    page.locator("#use-as-evidence").wait_for(state="visible")
    page.click("#use-as-evidence")
    form = first.locator("details.issue-edit form")
    assert form.locator("textarea[name=status_evidence]").input_value() == evidence_line.inner_text().strip()
    form.locator("select[name=status]").select_option("long_term")
    form.locator("input[name=reason]").fill("原文说明需长期坚持")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "已更正" in page.locator(".messages").inner_text()

    # A missing issue from a text selection.
    line = page.locator("#notice-text li", has_text="巡察").nth(2)
    line.evaluate("""li => { const r = document.createRange(); r.selectNodeContents(li);
        const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }""")
    page.locator("#use-as-new-issue").wait_for(state="visible")
    page.click("#use-as-new-issue")
    assert page.locator("#add-issue-text").input_value() == line.inner_text().strip()
    page.fill("#add-issue-title", "审核时补充的遗漏问题")
    page.fill("#add-issue-form input[name=reason]", "解析漏掉")
    page.click("#add-issue-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "补充遗漏问题「审核时补充的遗漏问题」" in page.locator("#corrections").inner_text()
    screenshot(page, "review-04-corrected")

    page.click("#accept-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已审核通过" in page.locator(".messages").inner_text()
    assert FeedbackIssue.objects.filter(title="审核时补充的遗漏问题").exists()
    assert FeedbackIssue.objects.filter(status="long_term", status_evidence__contains="坚定不移").count() == 1

    # Publish with a window that includes today (the sample's own ended long ago).
    page.goto(f"/public/manage/{notice.pk}/")
    page.fill("input[name=start]", str(timezone.localdate()))
    page.fill("input[name=end]", "")
    page.fill("input[name=working_days]", "15")
    page.click(".window-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.click("#publish-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已发布公开" in page.locator(".messages").inner_text()
    page.goto("/public/")
    assert "正在公示（1）" in page.content()
    screenshot(page, "review-05-published")
    assert not page.csp_errors, page.csp_errors
