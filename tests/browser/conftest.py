"""Headless Chromium (Playwright, sync API) against pytest-django's live server."""
import pytest

from tests.browsers import launched_chromium
from tests.conftest import PASSWORD
from tests.review.conftest import progress, today  # noqa: F401  (the same data set as the review tests)


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as browser:
        yield browser


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    """The role groups, whatever an earlier transactional test's flush left (see tracking.roles)."""
    from tracking.roles import ensure_role_groups

    ensure_role_groups()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context per test; console CSP violations are collected in ``page.csp_errors``."""
    context = browser.new_context(base_url=live_server.url, accept_downloads=True, locale="zh-CN",
                                  viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.csp_errors = []
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_errors.append(m.text))
    yield page
    context.close()


def log_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
