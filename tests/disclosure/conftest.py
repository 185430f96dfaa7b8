"""Disclosure fixtures: a frozen Beijing clock, a fresh rate-limit namespace per test."""
import datetime as dt
import uuid
import zoneinfo

import pytest
from django.utils import timezone

from tests.services import real_queue  # noqa: F401  (the root conftest exports only the worker)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


class FrozenClock:
    """``clock.set(2025, 4, 7, 0, 0)`` sets Beijing wall-clock time; everything reads it via timezone.now()."""

    def __init__(self):
        self.now = dt.datetime(2025, 4, 20, 10, 0, tzinfo=SHANGHAI)

    def set(self, *args):
        self.now = dt.datetime(*args, tzinfo=SHANGHAI)

    def set_day(self, day: dt.date, hour=12):
        self.now = dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)

    def advance(self, **delta):
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    frozen = FrozenClock()
    # localdate() and localtime() look ``now`` up in their own module, so this moves "today" everywhere.
    monkeypatch.setattr(timezone, "now", lambda: frozen.now.astimezone(dt.timezone.utc))
    return frozen


@pytest.fixture(autouse=True)
def _own_rate_limit_namespace(settings):
    # CI's cache is a shared Redis: counts from another test (or an earlier run) must not leak in.
    settings.DISCLOSURE_RATE_KEY_PREFIX = f"disclosure-test:{uuid.uuid4().hex}"


@pytest.fixture
def role_groups(transactional_db):
    """The role groups, whatever an earlier transactional test's flush left (they come from a migration)."""
    from tracking.roles import ensure_role_groups

    ensure_role_groups()


@pytest.fixture
def notice(hospital_a, clock):
    """Hospital A's published notice, on the first day of its window."""
    from .factories import START, make_notice

    clock.set_day(START)
    return make_notice(institution=hospital_a)
