"""Every list page and endpoint costs a fixed number of queries, however many issues there are.

Each test measures once on a small data set and once after adding hundreds of
issues across many hospitals; the ceiling is the same for both.
"""
import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db

INSURANCE_TITLES = ["加强医保基金使用管理", "强化财经制度执行", "加强医德医风建设", "规范招标采购", "加强药品耗材管理"]


@pytest.fixture
def grow(hospital_a):
    """``grow(n_hospitals, issues_each)`` adds hospitals with full issues (measures, actions, history)."""
    def _grow(n_hospitals, issues_each):
        for n in range(n_hospitals):
            factories.hospital_with_issues(
                name=f"规模测试第{n}医院{issues_each}", n_issues=issues_each, titles=INSURANCE_TITLES,
                region=f"地区{n % 3}", due_on=dt.date(2020, 1, 1) if n % 2 else None)
        factories.hospital_with_issues(institution_=hospital_a, n_issues=issues_each, titles=INSURANCE_TITLES,
                                       feedback_on=dt.date(2024, 1, 1) + dt.timedelta(days=issues_each))
    return _grow


def _measure(django_assert_max_num_queries, client, url, params, ceiling):
    with django_assert_max_num_queries(ceiling):
        response = client.get(url, params)
    assert response.status_code == 200
    return response


PAGES = [
    # One more than before the workbench: the green / no-deadline / 待核查 counts of the page, grouped.
    # One more for the counters' version with the institutions' number (the cache keys); this measures the
    # request right after a change, which recomputes the cached figures (a repeated request runs ~10).
    ("tracking:overview", {}, 16),
    ("tracking:overview", {"theme": "medical_insurance", "status": "overdue", "ordering": "-overdue"}, 16),
    ("tracking:issues", {"theme": "medical_insurance", "open": "true"}, 10),
    ("tracking:issues-ledger", {"fmt": "xlsx"}, 8),
]


@pytest.mark.parametrize("name, params, ceiling", PAGES)
def test_review_pages_run_a_bounded_number_of_queries(django_assert_max_num_queries, login, staff, grow, name,
                                                      params, ceiling):
    client = login(staff)
    kwargs = {"fmt": params.pop("fmt")} if "fmt" in params else {}
    url = reverse(name, kwargs=kwargs)
    grow(2, 3)
    _measure(django_assert_max_num_queries, client, url, params, ceiling)
    grow(30, 12)  # 32 hospitals, ~370 issues with ~740 measures and as many actions
    _measure(django_assert_max_num_queries, client, url, params, ceiling)


def test_institution_page_is_bounded_whatever_the_number_of_issues(django_assert_max_num_queries, login, staff,
                                                                   hospital_a, grow):
    client = login(staff)
    url = reverse("tracking:institution", args=[hospital_a.pk])
    factories.hospital_with_issues(institution_=hospital_a, n_issues=3, feedback_on=dt.date(2023, 1, 1))
    # 17: one prefetch more for the staff corrections shown in each issue's history.
    _measure(django_assert_max_num_queries, client, url, {}, 17)
    factories.hospital_with_issues(institution_=hospital_a, n_issues=300, feedback_on=dt.date(2024, 1, 1))
    response = _measure(django_assert_max_num_queries, client, url, {}, 16)
    assert response.content.decode().count("data-issue=") == 50 and response.context["page_obj"].paginator.count == 303


API = [
    ("/api/institutions/", {"theme": "medical_insurance"}),
    ("/api/inspections/", {}),
    ("/api/issues/", {"theme": "medical_insurance", "overdue": "false"}),
    ("/api/status-changes/", {}),
]


@pytest.mark.parametrize("url, params", API)
def test_api_lists_run_a_bounded_number_of_queries(django_assert_max_num_queries, staff, grow, url, params):
    client = APIClient()
    client.force_authenticate(staff)
    grow(2, 3)
    _measure(django_assert_max_num_queries, client, url, params, 6)
    grow(30, 12)
    response = _measure(django_assert_max_num_queries, client, url, params, 6)
    assert response.json()["results"]
