"""Headless Chromium on the review loop; the same browser set-up as tests/browser."""
from tests.browser.conftest import _role_groups, browser, log_in, page  # noqa: F401
