"""The overview's province-wide charts are cached, but never show stale figures."""
import pytest

from tests import factories
from tracking import selectors
from tracking.services import issue_verify

pytestmark = pytest.mark.django_db


def test_charts_are_computed_once_while_no_issue_changes(login, staff, monkeypatch):
    factories.hospital_with_issues(name="甲市人民医院", n_issues=6)
    calls = []
    real = selectors._chart_figures
    monkeypatch.setattr(selectors, "_chart_figures", lambda *args: calls.append(1) or real(*args))
    client = login(staff)
    first = client.get("/progress/").context["breakdown"]
    second = client.get("/progress/").context["breakdown"]
    assert len(calls) == 1 and first == second and first["total"] == 6


def test_a_verification_shows_in_the_charts_at_once(login, staff):
    inspection = factories.hospital_with_issues(name="乙市人民医院", n_issues=4)
    client = login(staff)
    before = client.get("/progress/").context["breakdown"]["verified"]
    issue = inspection.issues.exclude(verification="verified").first()
    issue_verify(issue=issue, user=staff, note="现场核查属实")
    assert client.get("/progress/").context["breakdown"]["verified"] == before + 1


def test_a_clerk_gets_their_own_hospitals_figures_not_cached_staff_ones(login, staff, hospital_a,
                                                                         hospital_a_clerk):
    factories.hospital_with_issues(institution_=hospital_a, n_issues=3)
    factories.hospital_with_issues(name="丙市人民医院", n_issues=5)
    assert login(staff).get("/progress/").context["breakdown"]["total"] == 8
    assert login(hospital_a_clerk).get("/progress/").context["breakdown"]["total"] == 3
