import pytest

from tests import factories
from tracking import themes
from tracking.models import FeedbackIssue

pytestmark = pytest.mark.django_db

TITLES = ["加强医保基金使用管理", "严格落实中央八项规定精神，规范公务接待", "规范招标采购与合同管理", "加强医德医风建设",
          "落实意识形态工作责任制", "加强选人用人工作统筹谋划", "强化药品耗材管理", "加强基层党组织建设",
          "严格落实保密、网络安全工作责任制", "强化财经制度执行", "坚决落实全面从严治党主体责任",
          "深入推进上一轮巡察反馈问题整改落实", "深入贯彻落实中医药传承发展"]


def test_database_filter_and_page_tags_apply_the_same_rule(hospital_a):
    inspection = factories.hospital_with_issues(institution_=hospital_a, n_issues=len(TITLES), titles=TITLES)
    issues = list(FeedbackIssue.objects.filter(inspection=inspection))
    for theme in themes.THEMES:
        in_db = set(FeedbackIssue.objects.filter(inspection=inspection).filter(themes.theme_q(theme.key))
                    .values_list("pk", flat=True))
        in_python = {i.pk for i in issues if theme in themes.themes_of(i.title, i.text)}
        assert in_db == in_python, theme.key
        assert in_db, f"no sample title falls under {theme.label}"


def test_an_issue_without_any_keyword_has_no_theme():
    assert themes.themes_of("深入贯彻落实中医药传承发展") == []


def test_matched_keywords_explain_the_tag():
    assert themes.matched_keywords(themes.BY_KEY["medical_insurance"], "规范物价收费", "医保") == ["医保", "物价收费"]


def test_overview_pages_through_many_hospitals_keeping_the_filters(login, staff):
    for n in range(30):
        factories.hospital_with_issues(name=f"分页医院{n:02d}", n_issues=1, titles=["医保收费不规范"])
    client = login(staff)
    first = client.get("/progress/", {"theme": "medical_insurance"})
    html = first.content.decode()
    assert len(first.context["rows"]) == 25 and "theme=medical_insurance&amp;page=2" in html
    second = client.get("/progress/", {"theme": "medical_insurance", "page": 2})
    names = [r.name for r in second.context["rows"]]
    assert names == [f"分页医院{n:02d}" for n in range(25, 30)]
