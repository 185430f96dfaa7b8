"""The upload page in headless Chromium: several files, drag and drop, progress, then the parse summary."""
import pytest

from tests.browsers import launched_chromium, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _screenshot(page, name):
    screenshot(page, f"pipeline-{name}")


@pytest.fixture(scope="module")
def chromium():
    with launched_chromium() as browser:
        yield browser


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30000)
    page.problems = []
    page.on("console", lambda m: "Content Security Policy" in m.text and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("response", lambda r: _is_problem(r) and page.problems.append(f"{r.status} {r.url}"))
    yield page
    context.close()


def _is_problem(response) -> bool:
    """Any failed request, except a status poll the in-memory SQLite test database briefly locked.

    The page simply polls again (that is what the test shows); on PostgreSQL (CI) reads never block.
    """
    if response.status < 400 or "favicon" in response.url:
        return False
    return not (response.status >= 500 and response.url.endswith("status.json"))


def _log_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_clerk_uploads_two_files_and_drops_a_third_and_sees_each_parse_finish(page, hospital_a_clerk, samples):
    from notices.models import Notice

    _log_in(page, "clerk_a")
    page.goto("/notices/")
    assert page.locator("#upload-submit").is_hidden()  # with JavaScript, choosing files starts the upload
    page.set_input_files("#upload-form input[type=file]", [str(samples[0]), str(samples[1])])
    page.locator(".upload-item .upload-summary .summary-line").nth(1).wait_for()
    items = page.locator(".upload-item")
    assert items.count() == 2
    texts = items.all_inner_texts()
    first = next(t for t in texts if samples[0].name in t)
    # Parsed, but a proposal: nothing green until staff accept it.
    assert "待审核" in first and "已解析" not in first and "不计入统计" in first
    assert "清远市中医院" in first and "14 个问题" in first and "解析置信度" in first
    second = next(t for t in texts if samples[1].name in t)
    assert "单位不一致" in second and "与上传所属单位「清远市中医院」不一致" in second  # another hospital's notice

    # Drag and drop a file that is not a notice format: refused before anything is sent.
    page.evaluate("""() => {
        const dt = new DataTransfer();
        dt.items.add(new File(["gif"], "动图.gif", {type: "image/gif"}));
        document.getElementById("dropzone").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true}));
    }""")
    refused = page.locator(".upload-item", has_text="动图.gif")
    refused.wait_for()
    assert "格式不受支持" in refused.inner_text()
    assert Notice.objects.count() == 2
    _screenshot(page, "upload")

    page.locator(".upload-item", has_text=samples[0].name).get_by_role("link").click()
    page.wait_for_selector("#parse-state")
    assert "待审核" in page.locator("#state-badge").inner_text()
    shown = Notice.objects.get(original_name=samples[0].name)
    state_text = page.locator("#parse-state").inner_text()
    assert "清远市中医院 · 市委第五巡察组" in state_text and "尚未计入台账" in state_text
    not_stated = sum(1 for i in shown.parse_result["issues"] if i["status"] == "not_stated")
    assert f"未说明 {not_stated}" in state_text
    _screenshot(page, "notice")
    assert not page.problems, page.problems
