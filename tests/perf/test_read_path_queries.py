"""The read path costs the same number of SQL queries however big the database grows.

A functional check, not a timing: each page is requested at 5 and again at
20 generated institutions (the same hospital's page both times), and at 2,000
and 20,000, and must issue exactly as many queries.  The large sizes are
generated hospitals (full notices and issues) topped up with lean ones (one
inspection, one issue, counters recounted as the services keep them): query
counts depend on how many institutions there are, not on how many issues each
has, and this keeps the 20,000 case within a minute.  That one is marked
``slow``: deselected locally, selected in CI (``RECTIFY_FORBID_SKIPS=1``) or
with ``RECTIFY_SLOW=1`` (see ``tests/perf/conftest.py``).
``bench/read_bench.py`` measures the same endpoints for time at 2,000 and
20,000 full institutions on PostgreSQL.
"""
import datetime as dt
import itertools

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracking import counters
from tracking.models import FeedbackIssue, Inspection, Institution


def _grow_to(n):
    have = Institution.objects.count()
    call_command("generate_demo_data", institutions=n - have, seed=n, today=dt.date(2026, 6, 1),
                 stdout=open("/dev/null", "w"))


def _urls(institution):
    return {
        "overview": reverse("tracking:overview"),
        "institution page": reverse("tracking:institution", args=[institution.pk]),
        "api issues in progress": reverse("issue-list") + "?status=in_progress",
        "institution xlsx export": reverse("tracking:institution-ledger", args=[institution.pk, "xlsx"]),
    }


def _query_counts(client, institution) -> dict[str, int]:
    counts = {}
    for name, url in _urls(institution).items():
        client.get(url)  # first request fills per-process caches (content types, permissions)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(captured.captured_queries)
    return counts


@pytest.fixture
def staff_client(staff, login):
    return login(staff)


def test_read_path_query_counts_do_not_grow_with_the_number_of_institutions(staff_client):
    _grow_to(5)
    institution = Institution.objects.order_by("pk").first()
    small = _query_counts(staff_client, institution)
    _grow_to(20)
    large = _query_counts(staff_client, institution)
    assert Institution.objects.count() == 20
    assert large == small


def test_the_institution_page_costs_the_same_queries_for_a_small_and_a_large_hospital(staff_client):
    _grow_to(20)
    by_size = sorted(Institution.objects.all(), key=lambda i: sum(x.issues.count() for x in i.inspections.all()))
    smallest, largest = by_size[0], by_size[-1]
    counts = [_query_counts(staff_client, i) for i in (smallest, largest)]
    assert counts[0]["institution page"] == counts[1]["institution page"]
    assert counts[0]["institution xlsx export"] == counts[1]["institution xlsx export"]


_lean_seq = itertools.count(1)


def _top_up_to(n):
    """Add lean institutions (one inspection, one in-progress issue each) until there are ``n``."""
    numbers = [next(_lean_seq) for _ in range(n - Institution.objects.count())]
    names = [f"规模{k:05d}县人民医院" for k in numbers]
    made = Institution.objects.bulk_create(
        # The sort key spelt out: pypinyin for 18,000 names would be most of the test's time.
        [Institution(name=name, normalized_name=name, name_pinyin=f"gui mo {k:05d} xian ren min yi yuan",
                     region=f"规模{k % 50}县")
         for k, name in zip(numbers, names)], batch_size=2000)
    inspections = Inspection.objects.bulk_create(
        [Inspection(institution=i, inspecting_body="县委", group="县委第一巡察组", round=f"第{k % 7 + 1}轮",
                    feedback_on=dt.date(2025, 1, 1) + dt.timedelta(days=k % 300)) for k, i in zip(numbers, made)],
        batch_size=2000)
    FeedbackIssue.objects.bulk_create(
        [FeedbackIssue(inspection=insp, number="1", title="医保基金使用不规范", match_key="医保基金使用不规范",
                       status="in_progress", due_on=dt.date(2026, 1, 1) + dt.timedelta(days=k % 400))
         for k, insp in zip(numbers, inspections)], batch_size=2000)
    counters.inspections_recount(insp.pk for insp in inspections)
    counters.institutions_relink(i.pk for i in made)
    counters.bump()


def _sizes_compare(client, small, large):
    _grow_to(5)
    institution = Institution.objects.order_by("pk").first()
    _top_up_to(small)
    at_small = _query_counts(client, institution)
    _top_up_to(large)
    at_large = _query_counts(client, institution)
    assert Institution.objects.count() == large
    assert at_large == at_small
    return at_small


def test_read_path_query_counts_are_the_same_at_5_and_2000_institutions(staff_client):
    counts = _sizes_compare(staff_client, 5, 2000)
    assert counts["overview"] <= 12  # the counters are read, not counted: a handful of queries


@pytest.mark.slow
def test_read_path_query_counts_are_the_same_at_2000_and_20000_institutions(staff_client):
    _sizes_compare(staff_client, 2000, 20000)
