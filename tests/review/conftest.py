"""Two hospitals with issues in every state, so each page and endpoint has something to show and hide."""
import datetime as dt

import pytest
from django.utils import timezone

from tests import factories


@pytest.fixture
def role_groups(transactional_db):
    """The role groups, whatever an earlier transactional test's flush left; list it before the user fixtures."""
    from tracking.roles import ensure_role_groups

    ensure_role_groups()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def progress(hospital_a, hospital_b, today):
    """Hospital A: a 医保 issue overdue, a 医保 issue completed, a 财务 issue due soon, a 党建 issue long-term.

    Hospital B: one open 医保 issue with no deadline and one completed 选人用人 issue.
    """
    inspection_a = factories.inspection(institution_=hospital_a, inspecting_body="市委", group="第五巡察组",
                                        round="市委第二轮", feedback_on=dt.date(2024, 3, 28))
    notice_a = factories.notice(inspection_=inspection_a, title="清远市中医院巡察整改进展情况的通报",
                                warnings=[{"code": "declared_mismatch", "message": "通报自述14个问题，解析出4个"}],
                                declared={"issues": 14}, disclosure_start=dt.date(2025, 4, 7),
                                disclosure_end=dt.date(2025, 5, 6),
                                contacts={"phones": ["0763-3126147"], "emails": [], "addresses": []})
    cat_a = factories.category(inspection_=inspection_a, number="二", title="关于群众身边腐败问题方面")
    a = {
        "overdue_insurance": factories.full_issue(
            inspection_=inspection_a, notice_=notice_a, category_=cat_a, number="9", title="加强医保基金使用管理",
            status="in_progress", status_evidence="该问题正在整改中。", due_on=today - dt.timedelta(days=3), order=0),
        "done_insurance": factories.full_issue(
            inspection_=inspection_a, notice_=notice_a, category_=cat_a, number="10", title="规范医保收费行为",
            status="completed", status_evidence="已完成整改。", order=1),
        "soon_finance": factories.full_issue(
            inspection_=inspection_a, notice_=notice_a, category_=cat_a, number="8", title="强化财经制度执行",
            status="in_progress", due_on=today + dt.timedelta(days=10), order=2),
        "long_party": factories.full_issue(
            inspection_=inspection_a, notice_=notice_a, number="12", title="加强基层党组织建设", status="long_term",
            status_evidence="需长期坚持。", due_on=today + dt.timedelta(days=90), order=3),
    }
    inspection_b = factories.inspection(institution_=hospital_b, inspecting_body="市委", group="市委第三巡察组",
                                        round="市委第三轮", feedback_on=dt.date(2025, 3, 14))
    notice_b = factories.notice(inspection_=inspection_b, title="长沙市中心医院巡察集中整改进展情况的通报")
    b = {
        "open_insurance": factories.full_issue(
            inspection_=inspection_b, notice_=notice_b, number="3", title="医保违规收费问题整改不到位",
            status="not_stated", status_evidence="", order=0),
        "done_personnel": factories.full_issue(
            inspection_=inspection_b, notice_=notice_b, number="5", title="选人用人工作不规范", status="completed",
            status_evidence="已整改完成。", order=1),
    }
    return {"a": a, "b": b, "inspection_a": inspection_a, "inspection_b": inspection_b, "notice_a": notice_a,
            "notice_b": notice_b}
