"""Statuses: only what the text says about that issue."""
import pytest

from notices.parsing.structure import parse_text
from notices.parsing.structure.details import classify_status, issue_status

from .builders import issue_block, notice


@pytest.mark.parametrize("phrase", ["已完成整改", "已整改完成", "整改完成", "已完成", "已全部整改", "已全部整改完成",
                                    "完成整改", "整改到位", "已整改到位", "已销号", "该问题已整改完成", "目前已完成整改"])
def test_completed_phrases(phrase):
    assert classify_status(phrase) == "completed"


@pytest.mark.parametrize("phrase", ["正在整改", "整改中", "正在整改中", "持续推进", "持续推进中", "取得阶段性成效", "取得阶段性成果",
                                    "基本完成", "基本完成整改", "尚未完成", "正在推进", "持续整改"])
def test_in_progress_phrases(phrase):
    assert classify_status(phrase) == "in_progress"


@pytest.mark.parametrize("phrase", ["长期坚持", "需长期坚持", "长期整改", "长期推进", "属长期整改任务"])
def test_long_term_phrases(phrase):
    assert classify_status(phrase) == "long_term"


@pytest.mark.parametrize("phrase", ["整改情况", "加强学习", "整改闭环到位，六项整改建议全部落地", "已完成固定资产账务补录整改", ""])
def test_other_phrases_are_no_status(phrase):
    assert classify_status(phrase) is None


def _status(heading_rest, body):
    return issue_status(heading_rest, body)[0]


def test_status_right_after_a_label():
    assert _status("学习不深入。", "整改落实情况:已完成整改。一是补学。") == "completed"
    assert _status("学习不深入。", "整改进展:取得阶段性成效。一是补学。") == "in_progress"
    assert _status("学习不深入。", "整改情况:已完成整改,一是补学。") == "completed"


def test_status_in_brackets_on_the_heading():
    assert _status("学习不深入问题(已整改)", "一是补学。") == "completed"
    assert _status("学习不深入问题【整改中】", "一是补学。") == "in_progress"


def test_status_as_the_first_or_last_sentence_of_the_issue():
    assert _status("学习不深入。", "已完成整改。一是补学。") == "completed"
    assert _status("学习不深入。", "一是补学。二是研讨。目前,该问题已整改完成。") == "completed"


def test_status_words_inside_measures_are_not_the_issues_status():
    body = "整改情况:一是全面整改规避招投标问题,外包项目已全部完成公开挂网招标,整改闭环到位。二是已完成固定资产账务补录整改。三是正在推进信息化建设。"
    assert issue_status("履行监管职责方面。", body) == ("not_stated", "", False)
    assert _status("学习不深入。", "一是制定计划,已完成。二是开展研讨。") == "not_stated"


def test_a_deadline_label_saying_long_term_counts_only_when_nothing_else_does():
    assert issue_status("医疗服务不便。", "整改时限:长期坚持。一是优化流程。")[0] == "long_term"
    assert issue_status("医疗服务不便。", "整改时限:长期坚持。整改进展:已完成。")[0] == "completed"


def test_statuses_through_the_whole_parser_with_evidence():
    body = ("二、巡察反馈问题整改落实情况\n"
            + issue_block("1.", "学习不深入。", "整改情况：已完成整改。")
            + issue_block("2.", "作风不实。", "整改情况：正在整改。")
            + issue_block("3.", "人才短缺。", "整改情况：需长期坚持。")
            + issue_block("4.", "制度不健全。", "整改情况：", "一是修订制度，已完成。")
            + issue_block("5.", "服务不便问题，已整改完成。", "", "一是优化流程。"))
    p = parse_text(notice(body))
    assert [(i.status, i.status_evidence) for i in p.issues] == [
        ("completed", "整改情况：已完成整改"), ("in_progress", "整改情况：正在整改"), ("long_term", "整改情况：需长期坚持"),
        ("not_stated", ""), ("completed", "服务不便问题，已整改完成")]
    assert p.issues[4].title == "服务不便问题"


def test_an_issue_statement_beats_its_status_section():
    body = "一、已整改的问题\n1.学习不深入。\n整改情况：取得阶段性成效。\n2.作风不实。\n整改情况：完善制度。\n"
    p = parse_text(notice(body, duty=""))
    assert [i.status for i in p.issues] == ["in_progress", "completed"]
    assert p.issues[1].status_evidence == "一、已整改的问题"


def test_a_last_clause_that_names_the_issue_gives_its_status_but_a_bare_one_does_not():
    assert _status("价格执行不规范。", "整改落实:开展自查。同时建立长效机制,该项工作需长期坚持。") == "long_term"
    assert _status("价格执行不规范。", "整改落实:开展自查。四是建立台账,已完成。") == "not_stated"


def test_labels_in_square_brackets_work_like_labels_with_a_colon():
    body = ("一、关于党的建设方面\n(1)基层党组织作用发挥不充分\n【整改情况】已完成。制定考核办法。\n"
            "(2)党员教育管理不严格\n【整改情况】长期坚持。建立积分制度。\n")
    p = parse_text(notice(body, duty="", next_steps=""))
    assert [(i.number, i.status) for i in p.issues] == [("1", "completed"), ("2", "long_term")]
    assert [(s.label, s.text) for s in p.issues[0].sections] == [("整改情况", "已完成。制定考核办法。")]
