"""The read path costs the same number of SQL queries however big the database grows.

A functional check, not a timing: each page is requested at 5 and again at
20 generated institutions (the same hospital's page both times) and must
issue exactly as many queries.  ``bench/read_bench.py`` measures the same
endpoints for time at 200 and 2,000 institutions on PostgreSQL.
"""
import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracking.models import Institution


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
