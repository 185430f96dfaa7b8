"""Headless Chromium for the public pages, each test in a thread of its own.

Playwright's sync API allows one instance per thread, and other packages keep
a session-wide one open in the main thread; running ours in its own thread
keeps the two apart.  The live server and the test share the database (the
test is transactional) and the frozen clock (one process).
"""
import threading

import pytest

from tests.browsers import CHROMIUM, LAUNCH_ARGS, require_chromium
from tests.disclosure.conftest import _own_rate_limit_namespace, clock  # noqa: F401


@pytest.fixture
def in_browser(monkeypatch):
    """``in_browser(scenario)`` runs ``scenario(page)`` in headless Chromium and re-raises what it raised."""
    require_chromium()
    # Playwright's loop runs in the browser thread, where the scenario also checks the database.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    def run(scenario):
        outcome = {}

        def target():
            from django.db import connections
            from playwright.sync_api import sync_playwright

            try:
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                    try:
                        page = browser.new_context(locale="zh-CN").new_page()
                        page.set_default_timeout(15000)
                        scenario(page)
                    finally:
                        browser.close()
            except BaseException as exc:  # noqa: BLE001 - handed back to the test thread
                outcome["error"] = exc
            finally:
                connections.close_all()

        thread = threading.Thread(target=target, name="playwright")
        thread.start()
        thread.join(timeout=300)
        if thread.is_alive():
            pytest.fail("the browser scenario did not finish within 300 s")
        if "error" in outcome:
            raise outcome["error"]

    return run
