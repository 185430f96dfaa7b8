"""Fixtures shared by every test package: users by role, sample notices, services.

Users are made per test through factories so each test states who acts:
``staff`` (巡察办), ``hospital_a_clerk`` / ``hospital_b_clerk`` (医院填报员 of
two hospitals), and anonymous clients.
"""
import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES_DIR = REPO.parent / "shared" / "notices"
GOLD_DIR = REPO.parent / "shared" / "gold"
_SESSION_MEDIA = Path(tempfile.mkdtemp(prefix="rectify-test-media-"))

PASSWORD = "correct-horse-battery-staple-42"

@pytest.fixture(scope="session", autouse=True)
def _isolated_media_and_eager_tasks():
    """Uploads go to a throw-away directory; tasks run in-process unless a test asks for the real queue.

    pytest-django has loaded settings before this file is read, so these are
    set on the live objects rather than through the environment.
    """
    from django.conf import settings

    from rectify_site.celery import app

    settings.MEDIA_ROOT = _SESSION_MEDIA
    app.conf.CELERY_TASK_ALWAYS_EAGER = True  # the namespaced key: a bare task_always_eager is shadowed by settings
    yield


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """An in-process cache starts empty for each test.

    Cached fragments are keyed by object ids and the counters' version; a test's
    rolled-back rows free ids SQLite hands out again, so the next test could meet
    a fragment filed for another object.  (Redis is left alone: it also carries the
    real queue, and PostgreSQL never reuses an id.)
    """
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
    yield


# --- skips are failures in CI ------------------------------------------------
_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("RECTIFY_FORBID_SKIPS") == "1" and _skipped:
        print(f"\nRECTIFY_FORBID_SKIPS=1 and {len(_skipped)} test(s) skipped: {_skipped[:10]}")
        session.exitstatus = 1
    shutil.rmtree(_SESSION_MEDIA, ignore_errors=True)


# --- sample notices ------------------------------------------------------------
def sample_paths() -> list[Path]:
    return sorted(SAMPLES_DIR.glob("*.txt"))


@pytest.fixture
def samples() -> list[Path]:
    paths = sample_paths()
    if not paths:
        pytest.skip(f"the sample notices are not at {SAMPLES_DIR}")
    return paths


# --- users by role --------------------------------------------------------------
def _make_user(username, *, group=None, institution=None, is_staff=False):
    from django.contrib.auth.models import Group, User

    from tracking.models import InstitutionMember

    user = User.objects.create_user(username=username, password=PASSWORD, is_staff=is_staff)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if institution is not None:
        InstitutionMember.objects.create(user=user, institution=institution)
    return user


@pytest.fixture
def hospital_a(db):
    from tracking.models import Institution

    return Institution.objects.create(name="清远市中医院", region="清远市", aliases=["市中医院"])


@pytest.fixture
def hospital_b(db):
    from tracking.models import Institution

    return Institution.objects.create(name="长沙市中心医院", region="长沙市")


@pytest.fixture
def staff(db):
    from tracking.roles import STAFF_GROUP

    return _make_user("staff", group=STAFF_GROUP, is_staff=True)


@pytest.fixture
def hospital_a_clerk(hospital_a):
    from tracking.roles import CLERK_GROUP

    return _make_user("clerk_a", group=CLERK_GROUP, institution=hospital_a)


@pytest.fixture
def hospital_b_clerk(hospital_b):
    from tracking.roles import CLERK_GROUP

    return _make_user("clerk_b", group=CLERK_GROUP, institution=hospital_b)


@pytest.fixture
def outsider(db):
    """Logged in, but neither staff nor bound to a hospital."""
    return _make_user("outsider")


@pytest.fixture
def login(client):
    """``login(user)`` returns a test client logged in as ``user``."""
    from django.test import Client

    def _login(user):
        c = Client()
        c.force_login(user)
        return c

    return _login


# --- real services (PostgreSQL, Redis, a Celery worker) --------------------------
from tests.services import celery_worker, redis_url, require_postgres  # noqa: E402,F401
