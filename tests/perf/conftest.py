"""The perf tests: the counters test drives notices through the review loop; ``slow`` tests run in CI.

``@pytest.mark.slow`` marks a test too long for every local run (the 20,000
institution query-count check, ~a minute): it is *deselected* locally — not
skipped, since CI fails on any skip — and selected when ``RECTIFY_FORBID_SKIPS=1``
(CI) or ``RECTIFY_SLOW=1`` is set.
"""
import os

from tests.disclosure.conftest import clock, role_groups  # noqa: F401
from tests.pipeline.conftest import fake_parser, upload  # noqa: F401


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: long; deselected unless RECTIFY_FORBID_SKIPS=1 or RECTIFY_SLOW=1")


def slow_tests_selected() -> bool:
    return os.environ.get("RECTIFY_FORBID_SKIPS") == "1" or os.environ.get("RECTIFY_SLOW") == "1"


def pytest_collection_modifyitems(config, items):
    if slow_tests_selected():
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]
