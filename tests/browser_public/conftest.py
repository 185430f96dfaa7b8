import os
import shutil

import pytest

from tests.disclosure.conftest import _own_rate_limit_namespace, clock  # noqa: F401

# The live server runs in a thread of this process; Playwright's sync API runs an event loop in it too.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium is not at {CHROMIUM} (apt-get install chromium; CI installs it)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Once Playwright's loop runs, Django hands this thread new context-local
    # connections without the snapshot serialized_rollback restores the role
    # groups from after each flush; carry it over (as tests/browser does).
    snapshots = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    with sync_playwright() as p:
        for alias, snapshot in snapshots.items():
            if snapshot is not None:
                connections[alias]._test_serialized_contents = snapshot
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
