"""Inside issues and around them: measures, labelled parts, dated actions, counts, figures, 立行立改."""
import datetime as dt

import pytest

from notices.parsing.structure import parse_text
from notices.parsing.structure.details import declared_counts

from .builders import DUTY, notice, standard_body


def test_measures_are_split_at_yi_shi_er_shi():
    p = parse_text(notice(standard_body()))
    assert p.issues[0].measures == ["一是完善制度。", "二是加强学习。"]


def test_labelled_sub_parts_are_kept_in_order():
    body = ("一、正在整改的问题\n1.党支部换届不及时问题的整改。\n整改措施：制定换届工作方案。\n"
            "阶段性成效：换届实施方案于2020年7月份在党委会通过。\n下一步推进举措：3月末完成全院党支部换届工作。\n")
    text = notice(body, intro="根据市委统一部署，2020年8月3日—9月23日，市委第二巡察组对中心医院进行了巡察，11月13日，市委巡察组反馈了巡察意见。", duty="",
                  signature="中共某某市人民医院委员会\n2021年2月28日")
    issue = parse_text(text).issues[0]
    assert [(s.label, s.text) for s in issue.sections] == [
        ("整改措施", "制定换届工作方案。"), ("阶段性成效", "换届实施方案于2020年7月份在党委会通过。"),
        ("下一步推进举措", "3月末完成全院党支部换届工作。")]
    assert [(a.kind, a.date, a.date_text) for a in issue.actions] == [
        ("action", dt.date(2020, 7, 1), "2020年7月份"), ("deadline", dt.date(2021, 3, 31), "3月末")]
    assert issue.actions[1].text == "3月末完成全院党支部换届工作"


def test_dated_actions_and_deadlines_inside_measures():
    body = ("二、巡察反馈问题整改落实情况\n1.财务管理不规范。\n整改落实情况：取得阶段性成果。一是医院于2025年6月23日召开专题会议。"
            "二是计划在2025年12月30日前完成清收。三是6月15日前完成清理。\n")
    issue = parse_text(notice(body)).issues[0]
    assert [(a.kind, a.date) for a in issue.actions] == [
        ("action", dt.date(2025, 6, 23)), ("deadline", dt.date(2025, 12, 30)), ("deadline", dt.date(2025, 6, 15))]


@pytest.mark.parametrize("sentence, expected", [
    ("针对巡察反馈的4方面12个问题，制定整改方案。", (4, 12, None, None)),
    ("针对巡察反馈意见中指出的13项39个问题，认真履行主体责任。", (13, 39, None, None)),
    ("针对反馈的三个方面十二个问题，逐项整改。", (3, 12, None, None)),
    ("截至目前，共计 32 个问题已整改完成。有 7 项问题正在整改中。", (None, None, 32, 7)),
    ("截至目前，9个问题中已完成整改7个，正在整改1个，需长期坚持1个。", (None, None, 7, 1)),
    ("巡察反馈问题共15个，已完成12个。", (None, 15, 12, None)),
    ("指出了我局3个方面14项共38个问题，已完成整改问题35个，基本完成1个，未完成2个。", (3, 38, 35, 3)),
    ("反馈问题共计18个，目前已完成整改16个，其余2个问题按时序推进。", (None, 18, 16, 2)),
    ("共梳理出问题21条，已完成整改17条，正在整改4条。", (None, 21, 17, 4)),
])
def test_declared_counts_in_digits_and_chinese_numerals(sentence, expected):
    d = declared_counts(sentence.replace("，", ",").replace("：", ":"))
    assert (d.categories, d.issues, d.completed, d.in_progress) == expected


def test_declared_counts_ignore_the_immediate_items_sentence():
    d = declared_counts("移交的2个立行立改事项,已全部整改完成。")
    assert (d.issues, d.completed) == (None, None)


def test_statistics_reported_in_the_summary():
    duty = DUTY + "截止目前，制定了规章制度 29 项，修订完善制度 6 项，约谈教育干部 299 人，开除 1 人。\n建立完善制度15项，约谈提醒干部23人次。\n"
    stats = [(s.label, s.value, s.unit) for s in parse_text(notice(standard_body(), duty=duty)).statistics]
    assert stats == [("制定规章制度", 29, "项"), ("修订完善制度", 6, "项"), ("约谈教育干部", 299, "人"), ("开除", 1, "人"),
                     ("建立完善制度", 15, "项"), ("约谈提醒干部", 23, "人次")]


def test_immediate_items_quoted_in_a_section():
    imm = ("三、立行立改事项整改情况\n旗委巡察组向医院党总支移交的“慢性病患者就医购药不便利”“门诊挂号排队拥挤，等待时间过长”"
           "2个立行立改事项，已全部整改完成。\n")
    p = parse_text(notice(standard_body() + imm, next_steps=""))
    assert [(i.text, i.status) for i in p.immediate_items] == [
        ("慢性病患者就医购药不便利", "completed"), ("门诊挂号排队拥挤，等待时间过长", "completed")]
    assert len(p.issues) == 4


def test_immediate_items_numbered_in_a_section():
    imm = "四、立行立改问题整改情况\n1.门诊停车难问题。已整改完成。\n2.电梯等候时间长问题。已整改完成。\n3.食堂价格偏高问题。正在整改。\n"
    p = parse_text(notice(standard_body() + imm))
    assert [i.status for i in p.immediate_items] == ["completed", "completed", "in_progress"]
    assert len(p.issues) == 4 and "停车" not in "".join(i.title for i in p.issues)


def test_immediate_items_only_counted_in_the_summary():
    duty = DUTY + "巡察组移交的3个立行立改事项已全部整改完成。\n"
    p = parse_text(notice(standard_body(), duty=duty))
    assert len(p.immediate_items) == 3 and p.immediate_items[0].status == "completed"


def test_no_immediate_items_when_none_are_mentioned():
    assert parse_text(notice(standard_body())).immediate_items == []


def test_more_ways_of_declaring_counts():
    d = declared_counts("巡察组反馈问题3大类14项,目前已整改到位12项,2个问题正在持续整改。")
    assert (d.categories, d.issues, d.completed, d.in_progress) == (3, 14, 12, 2)
