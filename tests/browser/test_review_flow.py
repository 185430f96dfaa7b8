"""A reviewer's afternoon, in a real browser: overview → filter → hospital → 核查销号 → ledger."""
import io

import pytest
from openpyxl import load_workbook

from tests.browsers import screenshot

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_filters_the_overview_verifies_an_issue_and_downloads_the_ledger(page, staff, progress, hospital_a):
    log_in(page, "staff")
    assert page.url.endswith("/progress/")
    page.wait_for_selector("#overview-table")
    screenshot(page, "01-overview")

    # "Which hospitals still have open 医保 problems, and which are overdue?"
    page.select_option("select[name=theme]", "medical_insurance")
    page.select_option("select[name=status]", "open")
    page.click("#overview-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#overview-table tbody tr")
    assert rows.count() == 2
    row_a = page.locator("#overview-table tbody tr[data-institution='清远市中医院']")
    assert "1 项逾期" in row_a.inner_text()
    assert not [t for t in page.locator("#overview-table tbody tr[data-institution='长沙市中心医院'] .badge").all_inner_texts()
                if "逾期" in t]
    assert "只统计「医保」主题的问题" in page.content()
    screenshot(page, "02-overview-insurance-open")

    row_a.get_by_role("link", name="清远市中医院").click()
    page.wait_for_selector("#workbench-table")
    issue = progress["a"]["done_insurance"]
    row = page.locator(f"#issue-{issue.pk}")
    assert "已完成整改" in row.inner_text() and "已完成" in row.locator(".badge[title='预警']").inner_text()
    screenshot(page, "03-institution")

    row.get_by_role("link", name="规范医保收费行为").click()
    page.wait_for_selector("#verify-form")
    assert "通报称：已完成整改" in page.inner_text("#issue-badges") and "核查：未核查" in page.inner_text("#issue-badges")
    page.fill("#verify-form textarea[name=note]", "经现场核查，收费行为已规范。")
    screenshot(page, "04-issue-verify")
    page.click("#verify-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "核查：已核查销号" in page.inner_text("#issue-badges")
    history = page.locator(".history-table").inner_text()
    assert "已核查销号" in history and "经现场核查，收费行为已规范。" in history and "staff" in history
    screenshot(page, "05-issue-after-verify")

    page.goto(f"/progress/institutions/{hospital_a.pk}/")
    with page.expect_download() as download_info:
        page.click("#ledger-xlsx")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx") and "整改台账" in download.suggested_filename
    sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    verified = [r for r in rows[1:] if r[header.index("问题")] == "规范医保收费行为"][0]
    assert verified[header.index("核查状态")] == "已核查销号"
    assert not page.csp_errors, page.csp_errors


def test_clerk_sees_only_their_own_hospital(page, hospital_a_clerk, progress, hospital_b):
    log_in(page, "clerk_a")
    page.goto("/progress/")
    names = page.locator("#overview-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.institution)")
    assert names == ["清远市中医院"]
    assert "长沙市中心医院" not in page.content()
    screenshot(page, "06-clerk-overview")
    response = page.goto(f"/progress/institutions/{hospital_b.pk}/")
    assert response.status == 404
    page.goto("/progress/issues/")
    assert "长沙市中心医院" not in page.locator("#issue-table").inner_text()
    assert page.locator("#verify-form").count() == 0


def test_swagger_ui_renders_from_local_files(page, staff):
    log_in(page, "staff")
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=20000)
    assert "整改进展" in page.content()
    screenshot(page, "07-api-docs")
    origin = page.url.split("/api/")[0]
    assert all(url.startswith(origin) or url.startswith("data:") for url in requested), requested
    # Swagger UI (React) sets a few inline styles that the CSP drops harmlessly; no script may be blocked.
    assert not [e for e in page.csp_errors if "script" in e], page.csp_errors
