"""The overview's counters never drift from the issue table: after every kind of change they equal a fresh COUNT.

The counters (``tracking.counters``) are recounted by the services that change
issues; this walks one hospital's notices through accept, correction,
re-parse, verification, reopening, progress reports and sign-off decisions,
a second notice through rejection, a misfiled one through a change of
institution, and a withdrawal, comparing every inspection's counters and
every institution's latest inspection with what the issue table says now.
Only accepted notices have ledger rows, so the counts also hold issue #12's
rule (a pending notice adds nothing).
"""
import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from notices.services import notice_request_reparse, notice_withdraw
from review.services import correction_create, notice_accept, notice_reject
from tests.pipeline.conftest import issue, notice
from tests.workbench.conftest import evidence_file
from tracking import counters, progress, services, themes
from tracking.models import FeedbackIssue, Inspection, Institution, ProgressStamp
from tracking.querysets import OPEN_ISSUE

pytestmark = pytest.mark.django_db

FRESH = {
    "n_issues": Q(),
    "n_completed": Q(status="completed"),
    "n_in_progress": Q(status="in_progress"),
    "n_long_term": Q(status="long_term"),
    "n_not_stated": Q(status="not_stated"),
    "n_verified": Q(verification="verified"),
    "n_reopened": Q(verification="reopened"),
    "n_open": OPEN_ISSUE,
    "n_pending": Q(signoff="pending"),
}


def fresh_counts(inspection) -> dict:
    """What the counters should say, counted now by SQL (not by the counters' own code)."""
    issues = FeedbackIssue.objects.filter(inspection=inspection)
    found = issues.aggregate(**{name: Count("pk", filter=q) for name, q in FRESH.items()})
    found["theme_counts"] = {
        theme.key: [issues.filter(themes.theme_q(theme.key)).count(),
                    issues.filter(themes.theme_q(theme.key)).filter(OPEN_ISSUE).count()]
        for theme in themes.THEMES if issues.filter(themes.theme_q(theme.key)).exists()
    }
    return found


def assert_exact(step: str) -> None:
    for inspection in Inspection.objects.all():
        kept = {name: getattr(inspection, name) for name in counters.COUNTER_FIELDS}
        assert kept == fresh_counts(inspection), f"after {step}: inspection {inspection.pk}"
    for institution in Institution.objects.all():
        latest = institution.inspections.order_by("-feedback_on", "-id").first()
        assert institution.latest_inspection_id == (latest.pk if latest else None), f"after {step}: {institution}"


def version() -> int:
    return ProgressStamp.objects.get(pk=1).version


ISSUES = [issue(1, "医保基金使用不规范", category="一"), issue(2, "财务预算执行不严", "in_progress", category="一"),
          issue(3, "理论学习不深入", "completed", category="二"),
          issue(4, "招标采购流程不透明", "long_term", category="二", deadline=dt.date(2020, 1, 1))]


def test_counters_equal_a_fresh_count_after_every_kind_of_change(
        fake_parser, upload, hospital_a, hospital_b, hospital_a_clerk, staff, django_capture_on_commit_callbacks):
    fake_parser.results["a.txt"] = notice(ISSUES, institution="清远市中医院", published=dt.date(2025, 4, 3))
    first = upload(hospital_a_clerk, "a.txt", "清远市中医院整改通报\n1.医保基金使用不规范。已完成整改。".encode())
    assert first.review_state == "pending"
    assert_exact("a pending upload")
    assert not FeedbackIssue.objects.exists() and Institution.objects.get(pk=hospital_a.pk).latest_inspection is None

    before = version()
    notice_accept(notice=first, user=staff)
    assert_exact("accept")
    assert version() != before
    assert Inspection.objects.get().n_issues == 4

    correction_create(notice=first, user=staff, kind="issue", reason="原文已写明完成",
                      data={"target": "一/1/医保基金使用不规范", "status": "completed", "status_evidence": "已完成整改。"})
    assert_exact("a correction of an accepted notice")
    assert Inspection.objects.get().n_completed == 2

    # A re-parse that finds one issue fewer and another completed; staff accept the new parse.
    fake_parser.results["a.txt"] = notice([ISSUES[0], issue(2, "财务预算执行不严", "completed", category="一"), ISSUES[2]],
                                          institution="清远市中医院", published=dt.date(2025, 4, 3))
    with django_capture_on_commit_callbacks(execute=True):
        notice_request_reparse(notice=first)
    first.refresh_from_db()
    assert_exact("a re-parse")
    notice_accept(notice=first, user=staff)
    assert_exact("accepting the re-parse")

    finance = FeedbackIssue.objects.get(title="财务预算执行不严")
    services.issue_verify(issue=finance, user=staff, note="核实")
    assert_exact("verification")
    services.issue_reopen(issue=finance, user=staff, note="抽查不合格")
    assert_exact("reopening")

    study = FeedbackIssue.objects.get(title="理论学习不深入")
    progress.report_submit(issue=study, user=hospital_a_clerk, text="已建立制度")
    assert_exact("a progress report")
    request = progress.report_submit(issue=study, user=hospital_a_clerk, text="申请销号",
                                     files=[evidence_file()], request_signoff=True)
    assert_exact("a sign-off request")
    assert Inspection.objects.get().n_pending == 1
    progress.report_return(report=request, user=staff, note="补充材料")
    assert_exact("returning a sign-off request")
    request = progress.report_submit(issue=study, user=hospital_a_clerk, text="补充后再申请",
                                     files=[evidence_file()], request_signoff=True)
    progress.report_approve(report=request, user=staff, note="同意销号")
    assert_exact("approving a sign-off request")
    services.issue_update_ledger(issue=study, user=hospital_a_clerk, due_on_override=dt.date(2030, 1, 1))
    assert_exact("a ledger edit")

    # A second, later inspection of the same hospital becomes its latest; rejecting it takes it out again.
    fake_parser.results["b.txt"] = notice([issue(1, "意识形态责任制落实不到位", category="一")], group="第六巡察组",
                                          feedback=dt.date(2025, 6, 1), institution="清远市中医院")
    second = upload(hospital_a_clerk, "b.txt", accept=True)
    assert_exact("accepting a second inspection")
    assert Institution.objects.get(pk=hospital_a.pk).latest_inspection.group.endswith("第六巡察组")
    notice_reject(notice=second, user=staff, reason="重复上报")
    assert_exact("reject")
    assert Institution.objects.get(pk=hospital_a.pk).latest_inspection.group.endswith("第五巡察组")

    # Filed under the wrong hospital and accepted, then moved: both hospitals are recounted.
    fake_parser.results["c.txt"] = notice([issue(1, "医德医风建设薄弱", category="一")], institution="长沙市中心医院",
                                          feedback=dt.date(2025, 2, 1))
    misfiled = upload(staff, "c.txt", institution=hospital_a)
    notice_accept(notice=misfiled, user=staff, confirm_institution=True)
    assert_exact("accepting a misfiled notice")
    correction_create(notice=misfiled, user=staff, kind="institution", data={"institution": str(hospital_b.pk)},
                      reason="实为长沙市中心医院的通报")
    assert_exact("moving a notice to another institution")
    assert Institution.objects.get(pk=hospital_b.pk).latest_inspection is not None

    notice_withdraw(notice=first, withdrawn_by=hospital_a_clerk, reason="上传错了")
    assert_exact("withdraw")
    # Issues no one acted on left with the notice; those with staff's or the hospital's work stay (and are counted).
    assert not FeedbackIssue.objects.filter(title="医保基金使用不规范").exists()


def test_recount_progress_repairs_counters_that_were_tampered_with(fake_parser, upload, hospital_a, hospital_a_clerk):
    fake_parser.results["a.txt"] = notice(ISSUES, institution="清远市中医院")
    upload(hospital_a_clerk, "a.txt", accept=True)
    Inspection.objects.update(n_issues=99, n_open=0, theme_counts={})
    Institution.objects.update(latest_inspection=None)
    before = version()
    call_command("recount_progress", stdout=open("/dev/null", "w"))
    assert_exact("recount_progress")
    assert version() != before
