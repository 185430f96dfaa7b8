"""Headless Chromium for the browser tests: one place for where it is and how it starts.

Playwright's sync API runs an event loop in the calling thread, which makes
Django refuse ORM calls as "async unsafe"; ``launched_chromium`` lifts that
guard only while its browser runs, so subprocesses started by other tests
(``check --deploy``) never inherit it.  Playwright allows one sync instance
per thread, so each module opens and closes its own.
"""
import contextlib
import os
import shutil

import pytest

from tests.conftest import REPO

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling out on a closed network.
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


def require_chromium() -> None:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium is not at {CHROMIUM} (apt-get install chromium fonts-noto-cjk; CI installs it)")


@contextlib.contextmanager
def launched_chromium():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
