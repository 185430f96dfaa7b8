"""Warnings for a reviewer: stable codes, Chinese messages."""
from notices.parsing.structure import parse_text

from .builders import DUTY, notice, standard_body


def _codes(p):
    return [w.code for w in p.warnings]


def test_a_clean_notice_has_no_warnings():
    assert parse_text(notice(standard_body())).warnings == []


def test_declared_counts_that_disagree_with_the_issues_found_are_flagged():
    duty = DUTY + "针对巡察反馈的3个方面5个问题，截至目前，共计5个问题已整改完成，有1项问题正在整改中。\n"
    p = parse_text(notice(standard_body(), duty=duty))
    assert (p.declared.categories, p.declared.issues, p.declared.completed, p.declared.in_progress) == (3, 5, 5, 1)
    assert _codes(p) == ["declared_issues_mismatch", "declared_categories_mismatch",
                         "declared_completed_mismatch", "declared_in_progress_mismatch"]
    assert p.warnings[0].message == "通报称共有5个问题，实际列出4个"


def test_issues_without_a_stated_status_are_listed_in_one_warning():
    p = parse_text(notice(standard_body(status_line="整改情况：")))
    w = [w for w in p.warnings if w.code == "status_not_stated"]
    assert len(w) == 1 and w[0].message.startswith("4个问题未写明整改状态") and "（一）1" in w[0].message


def test_text_that_cannot_be_placed_under_an_issue_is_flagged():
    body = ("二、巡察反馈问题整改落实情况\n（一）关于党建方面\n这是一段没有编号的问题描述，说明了党建工作存在的不足。\n"
            "（二）关于业务方面\n1.学习不深入。整改情况：已完成整改。\n")
    p = parse_text(notice(body))
    assert "unplaced_text" in _codes(p) and "category_without_issues" in _codes(p)
    assert "没有编号的问题描述" in next(w.message for w in p.warnings if w.code == "unplaced_text")


def test_a_text_that_is_not_a_rectification_notice_gets_no_invented_issues():
    p = parse_text("关于开展春季运动会的通知\n各科室：\n1.时间：4月1日。\n2.地点：体育场。\n特此通知。")
    assert p.is_rectification_notice is False
    assert p.issues == [] and p.categories == []
    assert p.warnings[0].code == "not_rectification_notice" and "未识别为巡察整改通报" in p.warnings[0].message


def test_a_rectification_notice_without_numbered_issues_says_so():
    p = parse_text("关于巡察整改情况的通报\n根据市委统一部署，市委第一巡察组对市人民医院进行了巡察。医院高度重视整改工作。")
    assert p.is_rectification_notice and p.issues == []
    assert "no_issues_found" in _codes(p)


def test_warning_codes_are_stable_identifiers_and_messages_are_chinese():
    p = parse_text(notice(standard_body(status_line="整改情况：")))
    for w in p.warnings:
        assert w.code.isascii() and w.code.replace("_", "").isalpha()
        assert any("\u4e00" <= c <= "\u9fff" for c in w.message)
