"""The API's keyset pages: every row exactly once, in the list's own order, forwards and back, filters kept."""
import datetime as dt

import pytest
from django.db.models import F
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests import factories
from tracking.api.pagination import KeysetPagination
from tracking.models import FeedbackIssue

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(staff):
    client = APIClient()
    client.force_authenticate(staff)
    return client


@pytest.fixture
def issues():
    """Three hospitals, 17 issues; deadlines repeat and some are missing, so ties and NULLs cross page ends."""
    made = []
    for h in range(3):
        inspection = factories.inspection(institution_=factories.institution(name=f"分页测试第{h}医院"))
        for n in range(6 if h < 2 else 5):
            due = None if n % 3 == 0 else dt.date(2026, 1, 1) + dt.timedelta(days=n % 2)
            made.append(factories.issue(inspection_=inspection, number=str(n + 1), title=f"问题{h}-{n}",
                                        order=n, due_on=due, status="in_progress" if n % 2 else "completed"))
    return made


def _walk(api, url, params):
    """(ids page by page going forwards, ids of the pages walked back from the last)."""
    pages, body = [], api.get(url, params).json()
    while True:
        pages.append([row["id"] for row in body["results"]])
        if not body["next"]:
            break
        body = api.get(body["next"]).json()
    back = [[row["id"] for row in body["results"]]]
    while body["previous"]:
        body = api.get(body["previous"]).json()
        back.append([row["id"] for row in body["results"]])
    return pages, back[::-1]


@pytest.mark.parametrize("params, order", [
    ({}, ("inspection_id", "order", "pk")),
    ({"ordering": "due_on"}, ("due_on", "pk")),
    ({"ordering": "-due_on"}, ("-due_on", "pk")),
    ({"ordering": "-institution"}, ("-inspection__institution__name", "pk")),
    ({"status": "in_progress", "ordering": "updated"}, ("updated_at", "pk")),
])
def test_pages_hold_every_issue_once_in_the_lists_order(api, issues, monkeypatch, params, order):
    monkeypatch.setattr(KeysetPagination, "page_size", 4)
    pages, back = _walk(api, "/api/issues/", params)
    expected = FeedbackIssue.objects.all()
    if "status" in params:
        expected = expected.filter(status=params["status"])
    # NULL deadlines last in both directions, as the pagination documents.
    nulls_last = [F(f[1:]).desc(nulls_last=True) if f.startswith("-") else F(f).asc(nulls_last=True) for f in order]
    ids = list(expected.order_by(*nulls_last).values_list("pk", flat=True))
    assert [pk for page in pages for pk in page] == ids
    assert all(len(page) == 4 for page in pages[:-1]) and 0 < len(pages[-1]) <= 4
    assert back == pages  # walking back from the end meets the same pages


def test_a_cursor_cannot_be_forged_into_an_error(api, issues):
    assert api.get("/api/issues/", {"cursor": "not-a-cursor"}).status_code == 404
    assert api.get("/api/issues/", {"cursor": "eyJrIjpbMV19"}).status_code == 404  # {"k":[1]}: wrong length


def test_pages_never_count_the_table(api, issues):
    with CaptureQueriesContext(connection) as captured:
        assert api.get("/api/issues/", {"status": "in_progress"}).status_code == 200
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
