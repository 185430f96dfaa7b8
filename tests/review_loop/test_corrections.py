"""Corrections that last: stored as rows, re-applied after every re-parse, shown when they no longer apply."""
import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from notices.models import Notice
from review.models import Correction
from tests.pipeline.conftest import issue, notice
from tests.review_support import accept
from tracking.models import FeedbackIssue, StatusChange

pytestmark = pytest.mark.django_db

TEXT = """清远市中医院关于巡察整改进展情况的通报
（一）关于党建方面
1.理论学习不深入。制定学习计划，已完成整改。
2.组织生活不规范。正在整改中。
3.财务管理不规范。一是完善制度。二是加强审核。目前已整改完成。
4.采购流程不透明。
（二）关于医保方面
5.医保基金使用不规范。已于2025年3月完成整改。
""".encode()


def _parsed(*issues):
    return notice(list(issues), institution="清远市中医院", published=dt.date(2025, 4, 3))


FIRST = _parsed(issue(1, "理论学习不深入", category="一"), issue(2, "组织生活不规范", "in_progress", category="一"),
                issue(3, "财务管理不规范", category="一"), issue(5, "医保基金使用不规范", "completed", category="二"))


@pytest.fixture
def pending(fake_parser, upload, hospital_a_clerk):
    fake_parser.results["n.txt"] = FIRST
    return upload(hospital_a_clerk, "n.txt", TEXT)


def _correct(client, notice, **data):
    return client.post(f"/review/{notice.pk}/corrections", data, follow=True)


def _reparse_all(django_capture_on_commit_callbacks, monkeypatch):
    from notices.management.commands import reparse_notices

    monkeypatch.setattr(reparse_notices, "PARSER_VERSION", "test-1")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reparse_notices", "--all")


def test_a_corrected_status_survives_reparse_notices_all_and_the_history_names_the_reviewer(
        pending, login, staff, django_capture_on_commit_callbacks, monkeypatch):
    client = login(staff)
    target = "一/3/财务管理不规范"
    response = _correct(client, pending, kind="issue", target=target, status="completed",
                        status_evidence="目前已整改完成。", reason="原文写明已整改完成，解析漏识别")
    assert "已更正" in response.content.decode()
    accept(pending, staff)
    finance = FeedbackIssue.objects.get(title="财务管理不规范")
    assert finance.status == "completed" and finance.status_evidence == "目前已整改完成。"
    change = StatusChange.objects.get(issue=finance)
    assert change.changed_by == staff and "原文写明已整改完成" in change.reason

    _reparse_all(django_capture_on_commit_callbacks, monkeypatch)

    pending.refresh_from_db()
    assert (pending.attempts, pending.review_state, pending.needs_recheck) == (2, "accepted", False)
    finance.refresh_from_db()
    assert finance.status == "completed"  # the parser still says 未说明; the correction is re-applied
    correction = Correction.objects.get()
    assert (correction.outcome, correction.issue) == ("applied", finance)
    assert StatusChange.objects.filter(issue=finance).count() == 1  # nothing flip-flopped on the way
    page = client.get(f"/progress/issues/{finance.pk}/").content.decode()
    assert "财务管理不规范」整改状态：未说明 → 已完成整改" in page and "解析漏识别" in page


def test_a_correction_that_no_longer_applies_is_shown_and_the_ledger_keeps_what_staff_accepted(
        pending, fake_parser, login, staff, django_capture_on_commit_callbacks, monkeypatch):
    client = login(staff)
    _correct(client, pending, kind="issue", target="一/3/财务管理不规范", status="completed",
             status_evidence="目前已整改完成。", reason="原文写明已整改完成")
    accept(pending, staff)
    # A new parser version no longer finds issue 3 (it merges it into 2): the correction has no issue to apply to.
    fake_parser.results["n.txt"] = _parsed(issue(1, "理论学习不深入", category="一"),
                                           issue(2, "组织生活不规范", "in_progress", category="一"),
                                           issue(5, "医保基金使用不规范", "completed", category="二"))
    _reparse_all(django_capture_on_commit_callbacks, monkeypatch)

    pending.refresh_from_db()
    assert (pending.review_state, pending.needs_recheck) == ("accepted", True)
    assert any("不再适用" in reason for reason in pending.recheck_reasons)
    correction = Correction.objects.get()
    assert correction.outcome == "stale" and "找不到该问题" in correction.outcome_message
    assert FeedbackIssue.objects.get(title="财务管理不规范").status == "completed"  # unchanged until someone looks
    queue = client.get("/review/").content.decode()
    assert f'data-notice="{pending.pk}"' in queue and "已通过·需复核" in queue
    page = client.get(f"/review/{pending.pk}/").content.decode()
    assert "以下更正在重新解析后未生效" in page and "财务管理不规范" in page

    accept(pending, staff)  # staff looked: the new parse (with what still applies) is the ledger now
    assert not FeedbackIssue.objects.filter(title="财务管理不规范").exists()
    pending.refresh_from_db()
    assert pending.needs_recheck is False


def test_staff_add_a_missing_issue_from_the_text_and_drop_merge_and_split_parsed_ones(pending, login, staff):
    client = login(staff)
    steps = [
        dict(kind="add_issue", category="一", number="4", title="采购流程不透明", text="4.采购流程不透明。",
             status="not_stated", reason="解析漏掉了第4个问题"),
        dict(kind="split", target="一/2/组织生活不规范", at="3.财务管理", number="3", title="财务管理不规范（拆出）",
             reason="不适用"),  # refused below: 「3.财务管理」 is not inside issue 2's text
        dict(kind="not_issue", target="二/5/医保基金使用不规范", reason="这是立行立改事项，不是反馈问题"),
        dict(kind="merge", target="一/1/理论学习不深入", other="一/2/组织生活不规范", reason="两段是同一个问题"),
    ]
    messages = [_correct(client, pending, **step).content.decode() for step in steps]
    assert "拆分位置须是该问题原文中间的一段文字" in messages[1]
    assert Correction.objects.count() == 3
    accept(pending, staff)
    assert list(FeedbackIssue.objects.order_by("order").values_list("number", "title")) == [
        ("1", "理论学习不深入"), ("3", "财务管理不规范"), ("4", "采购流程不透明")]
    merged = FeedbackIssue.objects.get(number="1")
    assert "组织生活不规范" in merged.text
    assert FeedbackIssue.objects.get(number="4").corrections.get().kind == "add_issue"


def test_a_split_makes_two_issues_of_one(fake_parser, upload, hospital_a_clerk, login, staff):
    fake_parser.results["n.txt"] = _parsed(issue(1, "理论学习不深入", category="一"))
    joined = upload(hospital_a_clerk, "n.txt", TEXT)
    # The fake parser's issue text is 「1.理论学习不深入。整改情况……」; split where 「整改情况」 starts.
    _correct(login(staff), joined, kind="split", target="一/1/理论学习不深入", at="整改情况", number="2",
             title="整改情况不明", reason="两个问题被并成一个")
    accept(joined, staff)
    assert list(FeedbackIssue.objects.order_by("order").values_list("number", "title")) == [
        ("1", "理论学习不深入"), ("2", "整改情况不明")]


def test_evidence_and_added_text_must_be_the_notices_own_words(pending, login, staff):
    client = login(staff)
    made_up = _correct(client, pending, kind="issue", target="一/1/理论学习不深入", status="completed",
                       status_evidence="我们认为已经整改好了。", reason="更正").content.decode()
    assert "状态依据须是通报原文中的句子" in made_up
    no_evidence = _correct(client, pending, kind="issue", target="一/1/理论学习不深入", status="completed",
                           status_evidence="", reason="更正").content.decode()
    assert "须附上通报中说明该状态的原句" in no_evidence
    invented = _correct(client, pending, kind="add_issue", title="编造的问题", text="原文中没有的一段话。",
                        reason="补充").content.decode()
    assert "问题原文须是通报原文中的句子" in invented
    no_reason = _correct(client, pending, kind="not_issue", target="一/1/理论学习不深入", reason="").content.decode()
    assert "请填写更正原因" in no_reason
    assert not Correction.objects.exists()


def test_every_correction_and_revocation_leaves_an_audit_row_with_who_and_why(pending, login, staff):
    client = login(staff)
    _correct(client, pending, kind="header", feedback_date="2024-03-29", reason="反馈日期应为3月29日")
    correction = Correction.objects.get()
    assert (correction.kind, correction.created_by, correction.summary) == (
        "header", staff, "反馈日期：2024-03-28 → 2024-03-29")
    created = LogEntry.objects.get_for_object(correction).get(action=LogEntry.Action.CREATE)
    assert created.actor == staff

    client.post(f"/review/corrections/{correction.pk}/revoke", {"reason": "日期核对无误，撤销"})
    correction.refresh_from_db()
    assert correction.revoked_by == staff and correction.revoke_reason == "日期核对无误，撤销"
    assert LogEntry.objects.get_for_object(correction).filter(action=LogEntry.Action.UPDATE, actor=staff).exists()

    accept(pending, staff)
    page = client.get(f"/notices/{pending.pk}/").content.decode()
    assert "审核记录" in page and "待审核 → <strong>已通过</strong>" in page
    assert "反馈日期：2024-03-28 → 2024-03-29" in page and "已撤销" in page
    assert Notice.objects.get(pk=pending.pk).inspection.feedback_on == dt.date(2024, 3, 28)  # revoked: as parsed


def test_correcting_an_accepted_notice_changes_the_ledger_at_once(pending, login, staff):
    accept(pending, staff)
    _correct(login(staff), pending, kind="issue", target="一/1/理论学习不深入", status="completed",
             status_evidence="制定学习计划，已完成整改。", reason="原文已写明完成")
    assert FeedbackIssue.objects.get(number="1").status == "completed"
    pending.refresh_from_db()
    assert (pending.review_state, pending.needs_recheck) == ("accepted", False)
