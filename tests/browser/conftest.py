"""Headless Chromium (Playwright, sync API) against pytest-django's live server.

Playwright's sync API runs an event loop in this thread, which makes Django
refuse ORM calls as "async unsafe"; the tests only touch the ORM to set up
data before the browser acts, so the guard is switched off while this
module's browser runs (and only then: a subprocess such as
``check --deploy`` must not inherit it).
"""
import os
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, REPO
from tests.review.conftest import progress, today  # noqa: F401  (the same data set as the review tests)

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    # Module scope: Playwright's sync API refuses to start while another instance runs in this
    # thread, so other packages' browser tests need ours stopped when this module is done.
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not at {CHROMIUM} (CI installs it: apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


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


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
