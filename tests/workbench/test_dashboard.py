"""挂图作战: completion over time from the status history, ranking, regions, bodies, themes; tables beside charts."""
import datetime as dt

import pytest
from django.urls import reverse

from tests import factories
from tracking import dashboard, services
from tracking.models import StatusChange

pytestmark = pytest.mark.django_db


def test_month_ends_run_up_to_today():
    ends = dashboard.month_ends(dt.date(2026, 3, 15), n=3)
    assert ends == [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 15)]


def test_completion_over_time_replays_claims_by_their_notice_date_and_verification_by_its_day(staff):
    inspection = factories.inspection(institution_=factories.institution(name="甲市人民医院"))
    january = factories.notice(inspection_=inspection, published_on=dt.date(2026, 1, 10))
    march = factories.notice(inspection_=inspection, published_on=dt.date(2026, 3, 5))
    first = factories.issue(inspection_=inspection, number="1", title="问题一", status="completed")
    second = factories.issue(inspection_=inspection, number="2", title="问题二", status="in_progress")
    factories.claimed_change(issue_=first, notice_=january, old="", new="in_progress")
    factories.claimed_change(issue_=first, notice_=march, old="in_progress", new="completed")
    factories.claimed_change(issue_=second, notice_=january, old="", new="in_progress")
    overall, _ = dashboard.completion_series(
        first.__class__.objects.all(), today=dt.date(2026, 4, 20))
    by_month = {day.month: (closed, total) for day, closed, total in overall.points if day.year == 2026}
    assert by_month[1] == (0, 2) and by_month[2] == (0, 2) and by_month[3] == (1, 2) and by_month[4] == (1, 2)
    assert {day for day, _, total in overall.points if total == 0} == {
        day for day in dashboard.month_ends(dt.date(2026, 4, 20)) if day < dt.date(2026, 1, 1)}
    # A reopening counts from the day staff made it.
    StatusChange.objects.create(issue=first, kind="verification", old_value="unverified", new_value="reopened",
                                changed_by=staff, reason="抽查不合格")
    overall, _ = dashboard.completion_series(first.__class__.objects.all())
    assert overall.points[-1][1] == 0


def test_the_page_ranks_hospitals_and_shows_every_chart_with_its_table(login, staff, progress):
    services.issue_verify(issue=progress["b"]["done_personnel"], user=staff, note="核实")
    response = login(staff).get(reverse("tracking:dashboard"))
    assert response.status_code == 200
    ranking = [(row.name, row.rate) for row in response.context["ranking"]]
    assert ranking == [("长沙市中心医院", 50.0), ("清远市中医院", 25.0)]
    html = response.content.decode()
    for section in ("chart-over-time", "chart-ranking", "chart-regions", "chart-bodies", "chart-themes"):
        assert f'id="{section}"' in html, section
    assert html.count("<table") >= 5 and "<svg" in html and "50.0%（1/2）" in html
    regions = {r["label"]: r for r in response.context["figures"]["regions"]}
    assert (regions["清远市"]["total"], regions["清远市"]["closed"]) == (4, 1)
    assert response.context["figures"]["bodies"][0]["label"] == "市委"


def test_a_clerk_sees_only_their_own_hospital_on_the_dashboard(login, hospital_a_clerk, progress):
    response = login(hospital_a_clerk).get(reverse("tracking:dashboard"))
    assert [row.name for row in response.context["ranking"]] == ["清远市中医院"]
    assert "长沙市中心医院" not in response.content.decode()


def test_the_cached_dashboard_shows_a_reopening_made_after_it_was_drawn(login, staff, progress):
    client = login(staff)
    before = {row.name: row.rate for row in client.get(reverse("tracking:dashboard")).context["ranking"]}
    services.issue_reopen(issue=progress["b"]["done_personnel"], user=staff, note="抽查不合格")
    after = {row.name: row.rate for row in client.get(reverse("tracking:dashboard")).context["ranking"]}
    assert (before["长沙市中心医院"], after.get("长沙市中心医院", 0.0)) == (50.0, 0.0)
