"""Two worker processes on one Redis share the queue and never parse a notice twice.

Scale-out (docs/SCALING.md) is "start more ``celery worker`` processes on the
same PostgreSQL and Redis"; this proves that two real workers both take jobs
from the queue and that each notice is claimed and parsed exactly once.
"""
import datetime as dt
import random
import re
import uuid

import pytest

from notices.models import Notice
from notices.services import notice_create
from notices.tasks import parse_notice
from tests.reliability import workers
from tests.services import wait_for
from tracking import demo_data

NOTICES = 24


@pytest.fixture
def role_groups(transactional_db):
    from tracking.roles import ensure_role_groups

    ensure_role_groups()


def _generated_notices(count: int) -> list[tuple[str, bytes]]:
    plans = demo_data.plan_institutions(random.Random(16), 10**6, dt.date(2026, 12, 1), set())
    files = []
    while len(files) < count:
        institution = next(plans)
        for inspection in institution.inspections:
            for k in range(len(inspection.notices)):
                files.append((f"{institution.name}通报{k + 1}.txt",
                              demo_data.render_notice(institution, inspection, k).encode()))
    return files[:count]


@pytest.fixture
def through_redis():
    """Jobs go to Redis, not run in this process (the suite runs them eagerly by default)."""
    from rectify_site.celery import app

    app.conf.CELERY_TASK_ALWAYS_EAGER = False  # namespaced, see tests/conftest.py
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = True


def _received_by(worker) -> int:
    return len(re.findall(rb"Task notices\.tasks\.parse_notice\[[^]]+\] received", worker.log_path.read_bytes()))


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_redis_share_the_queue_and_parse_each_notice_exactly_once(
        role_groups, require_postgres, redis_url, through_redis, staff, tmp_path, monkeypatch):
    queue = f"pair-{uuid.uuid4().hex[:8]}"
    # Store the notices without sending their jobs anywhere; they go to this test's own queue below.
    monkeypatch.setattr("notices.services.notice_enqueue_parse", lambda **kwargs: None)
    notices = [notice_create(data=data, filename=name, uploaded_by=staff)[0] for name, data in _generated_notices(NOTICES)]

    common = dict(queue=queue, db=require_postgres, redis_url=redis_url)
    pair = [workers.start_worker(log=tmp_path / f"worker-{i}.log", name=f"pair{i}", **common) for i in (1, 2)]
    try:
        for worker in pair:
            workers.wait_ready(worker)
        for notice in notices:
            parse_notice.apply_async((notice.pk,), queue=queue)
        ids = [n.pk for n in notices]
        wait_for(lambda: Notice.objects.filter(pk__in=ids, state="parsed").count() == NOTICES, timeout=180,
                 interval=0.2)
    finally:
        for worker in pair:
            workers.stop(worker)

    # Claimed once each (a second claim would count a second attempt)…
    assert sorted(Notice.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == [1] * NOTICES
    # …each job delivered to one worker only, and both workers took jobs from the one queue.
    received = [_received_by(worker) for worker in pair]
    assert sum(received) == NOTICES, received
    assert min(received) >= 1, received
