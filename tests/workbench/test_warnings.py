"""预警 at its edges, in Beijing time: due today and tomorrow are yellow, a day late is red with the days."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests import factories
from tracking import presentation
from tracking.models import FeedbackIssue

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def at(monkeypatch):
    """``at(datetime)`` freezes "now"; pages and queries then read that day in Asia/Shanghai."""
    def _at(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
    return _at


def _issue(due_on, **fields):
    inspection = factories.inspection()
    return factories.issue(inspection_=inspection, due_on=due_on, status=fields.pop("status", "in_progress"),
                           **fields)


@pytest.mark.parametrize("offset, state, colour, label", [
    (-30, "overdue", "red", "逾期30天"),
    (-1, "overdue", "red", "逾期1天"),
    (0, "soon", "yellow", "今日到期"),
    (1, "soon", "yellow", "临期（剩1天）"),
    (20, "soon", "yellow", "临期（剩20天）"),
    (21, "ok", "green", "正常"),
])
def test_colour_and_days_at_the_edges(offset, state, colour, label):
    today = dt.date(2026, 3, 10)
    found = presentation.warning(_issue(today + dt.timedelta(days=offset)), today)
    assert (found.state, found.colour, found.label) == (state, colour, label)
    assert found.days_overdue == max(-offset, 0)


def test_a_problem_without_a_deadline_says_so_and_a_closed_one_is_done():
    assert presentation.warning(_issue(None)).label == "未定整改时限"
    assert presentation.warning(_issue(dt.date(2020, 1, 1), status="completed")).label == "已完成"
    verified = _issue(dt.date(2020, 1, 1), verification="verified")
    assert presentation.warning(verified).label == "已销号"


def test_the_day_turns_at_midnight_in_shanghai_not_utc(at):
    issue = _issue(dt.date(2026, 1, 1))
    # 16:30 UTC on 1 January is already 00:30 on 2 January in Beijing: one day late.
    at(dt.datetime(2026, 1, 1, 16, 30, tzinfo=dt.timezone.utc))
    assert presentation.warning(issue).label == "逾期1天"
    assert list(FeedbackIssue.objects.overdue()) == [issue]
    at(dt.datetime(2026, 1, 1, 15, 59, tzinfo=dt.timezone.utc))  # 23:59 in Beijing: still today
    assert presentation.warning(issue).label == "今日到期"
    assert list(FeedbackIssue.objects.overdue()) == []


def test_the_database_filter_and_the_badge_agree_on_every_issue():
    today = timezone.localdate()
    issues = [_issue(today + dt.timedelta(days=d)) for d in (-2, -1, 0, 1, 20, 21, 60)] + [_issue(None)]
    issues.append(_issue(today, status="completed"))
    for state in presentation.WARNING_STATES:
        in_db = set(FeedbackIssue.objects.with_warning(state).values_list("pk", flat=True))
        in_python = {i.pk for i in issues if presentation.warning(i).state == state}
        assert in_db == in_python, state


def test_the_yellow_window_follows_the_setting(settings):
    settings.RECTIFY_DUE_SOON_DAYS = 5
    today = timezone.localdate()
    assert presentation.warning(_issue(today + dt.timedelta(days=5))).state == "soon"
    assert presentation.warning(_issue(today + dt.timedelta(days=6))).state == "ok"
    assert FeedbackIssue.objects.due_soon().count() == 1


def test_overview_counts_each_colour_per_hospital(login, staff, progress):
    rows = {row.name: row for row in login(staff).get("/progress/").context["rows"]}
    a = rows["清远市中医院"]
    assert (a.n_overdue, a.n_due_soon, a.n_on_track, a.n_no_deadline) == (1, 1, 1, 0)
    assert rows["长沙市中心医院"].n_no_deadline == 1


def test_institution_table_filters_by_colour(login, staff, progress, hospital_a):
    client = login(staff)
    titles = {state: [i.title for i in client.get(f"/progress/institutions/{hospital_a.pk}/",
                                                  {"warning": state}).context["issues"]]
              for state in ("overdue", "soon", "ok", "done")}
    assert titles == {"overdue": ["加强医保基金使用管理"], "soon": ["强化财经制度执行"],
                      "ok": ["加强基层党组织建设"], "done": ["规范医保收费行为"]}
