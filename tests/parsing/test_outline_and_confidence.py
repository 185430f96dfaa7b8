"""The outline (which markers open headings), the classifier's reasons, and the parse's confidence."""
import datetime as dt
import json
import subprocess
import sys

import pytest

from notices.parsing.structure import parse_text
from notices.parsing.structure.dates import find_dates
from notices.parsing.structure.lines import closing_start, make_lines
from notices.parsing.structure.normalize import normalize
from notices.parsing.structure.outline import build_outline

from .builders import REPO_ROOT, SAMPLES, notice, standard_body


def _outline(text):
    lines = make_lines(normalize(text))
    root = build_outline(lines, closing_start(lines), lambda ln, at_top: None)
    return [(n.depth, n.style, n.num, n.how) for n in root.walk() if n.line is not None]


# ---------------------------------------------------------------------- outline
def test_a_marker_that_continues_no_open_sequence_is_text():
    tree = _outline("一、整改情况\n1.学习不深入。\n2.作风不实。\n5.项目推进。\n3.制度缺失。\n")
    assert [(d, s, n) for d, s, n, _ in tree] == [(1, "L1", 1), (2, "L3", 1), (2, "L3", 2), (2, "L3", 3)]


def test_numbering_may_run_on_across_parents():
    tree = _outline("（一）党建方面\n1.甲不到位。\n2.乙不到位。\n（二）作风方面\n3.丙不到位。\n")
    assert [(s, n, how) for _, s, n, how in tree] == [
        ("L2", 1, "start"), ("L3", 1, "start"), ("L3", 2, "continue"), ("L2", 2, "continue"), ("L3", 3, "run-on")]


def test_a_list_numbered_like_the_issues_nests_and_the_outer_sequence_resumes():
    text = ("1.学习不深入问题。整改情况：已完成。\n2.作风不实问题。整改情况：\n1.修订制度\n2.开展培训\n"
            "3.制度缺失问题。整改情况：已完成。\n")
    tree = _outline(text)
    assert [(d, n) for d, _, n, _ in tree] == [(1, 1), (1, 2), (2, 1), (2, 2), (1, 3)]


def test_one_list_printed_with_two_bracket_styles_stays_one_list():
    tree = _outline("（一）党建方面\n（1）甲不到位。整改情况：已完成。\n2.乙不到位。整改情况：已完成。\n（3）丙不到位。整改情况：已完成。\n")
    assert [(d, n, how) for d, _, n, how in tree][1:] == [(2, 1, "start"), (2, 2, "mixed"), (2, 3, "continue")]


# ------------------------------------------------------------------ classification
def test_each_issue_says_why_it_is_an_issue_and_the_outline_names_every_heading():
    p = parse_text(notice(standard_body()))
    assert p.issues[0].reason.startswith("「1.」一级")
    roles = {e.text: e.role for e in p.outline}
    assert roles["一、党委履行巡察整改主体责任情况"] == "org_work"
    assert roles["（一）关于第一方面的问题"] == "category"
    assert roles["三、下一步工作打算"] == "next_steps"
    assert all(e.reason for e in p.outline if e.role in ("category", "problem", "org_work"))


def test_organisational_measures_are_never_issues_even_without_a_problem_list():
    text = notice("", duty="一、整改工作组织情况\n（一）迅速部署，统一认识。召开专题会议。\n（二）压实责任，细化分工。制定整改方案。\n", next_steps="")
    p = parse_text(text)
    assert p.issues == []
    assert p.confidence == "low" and "未找到问题清单" in p.review_reasons


def test_a_list_of_actions_with_nothing_above_it_is_doubted():
    body = "二、整改落实情况\n（一）加强理论学习，提高政治站位。\n（二）完善制度建设，强化监督管理。\n（三）压实主体责任，推动整改落实。\n"
    p = parse_text(notice(body, duty="", next_steps=""))
    assert p.confidence == "low"
    assert any("问题层级不明确" in r for r in p.review_reasons)


# ---------------------------------------------------------------------- confidence
def test_a_notice_the_parser_fully_understood_is_high_confidence():
    p = parse_text(notice(standard_body()))
    assert (p.confidence, p.review_reasons) == ("high", [])


@pytest.mark.parametrize("edit, reason", [
    (lambda t: t.replace("现将巡察整改进展情况予以公布。", "反馈问题共9个。现将巡察整改进展情况予以公布。"), "通报称共有9个问题，解析出4个"),
    (lambda t: t.replace("二、巡察反馈问题整改落实情况", "二、巡察反馈问题整改落实情况\n" + "医院在药品耗材采购管理中存在审批不严格、台账不完整、验收流于形式等情况，"
                                                         * 5), "未能归入任何问题"),
    (lambda t: t.replace("3.第3个问题", "7.第3个问题"), "问题编号不连续"),
])
def test_what_puts_the_issues_in_doubt_makes_the_parse_low_with_a_chinese_reason(edit, reason):
    p = parse_text(edit(notice(standard_body())))
    assert p.confidence == "low"
    assert any(reason.split("，")[0] in r for r in p.review_reasons), p.review_reasons


def test_the_json_of_parse_notice_carries_confidence_reasons_and_outline(tmp_path):
    path = tmp_path / "n.txt"
    path.write_text(notice(standard_body()), encoding="utf-8")
    out = subprocess.run([sys.executable, "manage.py", "parse_notice", "--json", str(path)], cwd=REPO_ROOT,
                         capture_output=True, check=True)
    data = json.loads(out.stdout)
    assert data["confidence"] == "high" and data["review_reasons"] == []
    assert data["issues"][0]["reason"] and data["outline"][0]["role"] == "org_work"


# ---------------------------------------------------------------- deadlines
def test_samples_show_no_deadline_before_their_own_date():
    for path in SAMPLES:
        p = parse_text(path.read_text(encoding="utf-8"))
        written = p.published_date or p.disclosure_start
        late = [(i.number, a.date_text) for i in p.issues for a in i.actions if a.kind == "deadline" and a.date < written]
        assert late == [], path.name


def test_a_past_completion_is_an_action_and_a_promise_ahead_is_a_deadline():
    body = ("二、巡察反馈问题整改落实情况\n1.供水设施老化问题。整改情况：2026年4月5日完成院区老化供水软管更换；"
            "计划于2026年12月底前完成管网改造。\n")
    p = parse_text(notice(body, signature="中共某某市人民医院委员会\n2026年6月22日"))
    assert [(a.kind, a.date) for a in p.issues[0].actions] == [
        ("action", dt.date(2026, 4, 5)), ("deadline", dt.date(2026, 12, 31))]


def test_a_date_naming_a_document_is_neither_action_nor_deadline():
    body = ("二、巡察反馈问题整改落实情况\n1.学习不深入。整改落实情况：已完成整改。一是2025年6月25日对2024年12月习近平总书记致"
            "“世界传统医药大会”贺信进行了专题学习。\n")
    p = parse_text(notice(body, signature="中共某某市人民医院委员会\n2025年10月20日"))
    assert [(a.kind, a.date) for a in p.issues[0].actions] == [("action", dt.date(2025, 6, 25))]


def test_this_year_counts_from_the_notices_own_date():
    sample = next(p for p in SAMPLES if p.name.startswith("003"))
    p = parse_text(sample.read_text(encoding="utf-8"))
    dates = [a.date for i in p.issues for a in i.actions if "今年年底" in a.date_text]
    assert dates == [dt.date(2021, 12, 31)]


# ---------------------------------------------------------------- header forms
@pytest.mark.parametrize("text, expected", [
    ("2024812日至1025日", [dt.date(2024, 8, 12), dt.date(2024, 10, 25)]),
    ("2023111日至1211日", [None, dt.date(2023, 12, 11)]),  # 1-11 or 11-1: not guessed
    ("202415日", [dt.date(2024, 1, 5)]),
])
def test_dates_whose_year_and_month_marks_a_website_stripped(text, expected):
    assert [d.date for d in find_dates(text)] == expected


def test_pinyin_glosses_after_characters_are_dropped():
    p = parse_text(notice(standard_body()).replace("根据市委", "根據(jù)市委").replace("现将", "現(xiàn)將"))
    assert "(jù)" not in p.title + "".join(i.text for i in p.issues)
    assert p.feedback_date == dt.date(2024, 6, 20)


def test_a_region_inspected_by_a_central_group_is_the_region_and_the_page_date_is_the_publication_date():
    text = ("首页 > 巡视巡察 > 巡视整改公开\n中共江岳省委关于巡视整改进展情况的通报\n发布时间：2025-12-12 09:30　来源：省纪委监委网站\n"
            "根据中央统一部署，2025年4月14日至6月20日，中央第三巡视组对江岳省进行了常规巡视。2025年8月26日反馈了巡视意见。\n"
            + standard_body() + "欢迎监督。举报电话：12388。\n上一篇：另一篇新闻\n")
    p = parse_text(text)
    assert (p.institution, p.inspecting_body, p.published_date) == ("江岳省", "中央", dt.date(2025, 12, 12))
    assert "12388" in p.contacts.phones and len(p.issues) == 4


@pytest.mark.parametrize("intro", [
    "根据市委统一部署，2024年3月11日至5月10日，市委第四巡察组于2024年5月12日对市卫生健康委党委开展了巡察。6月20日反馈了巡察意见。",
    "根据市委统一部署，2024年3月11日至5月10日，市委第四巡察组对市卫健委党委开展了巡察。2024年6月20号市卫健委党委召开会议。",
])
def test_an_institution_is_never_a_fragment_of_the_sentence_around_its_short_name(intro):
    p = parse_text(notice(standard_body(), title="关于市委巡察整改进展情况的通报", intro=intro, signature="2024年10月8日"))
    assert p.institution in ("某某市卫生健康委", "某某市卫健委")  # the place comes from the postal address


def test_the_full_name_in_the_title_wins_over_the_short_form_in_the_text():
    intro = "根据市委统一部署，2024年3月11日至5月10日，市委第四巡察组对市卫健委党委开展了巡察。6月20日反馈了巡察意见。"
    p = parse_text(notice(standard_body(), title="中共株洲市卫生健康委员会委员会关于市委巡察整改进展情况的通报", intro=intro))
    assert p.institution == "株洲市卫生健康委员会" and "市卫健委" in p.institution_aliases


def test_a_government_sites_metadata_block_above_the_title_is_not_the_title():
    text = ("• 信息索引号:\n113307020501239658/2023-46395\n• 文件名称:\n中共某某区文化和旅游体育局党组关于巡察整改情况的通报\n"
            "• 成文日期:\n2023-05-04\n• 中共某某区文化和旅游体育局党组关于巡察整改情况的通报\n日期:2023-05-04 08:46:31 来源:区文旅体局\n"
            "根据区委统一部署，2022年9月16日至10月18日，区委第二巡察组对区文旅体局党组进行了巡察。2023年1月17日反馈了巡察意见。\n"
            + standard_body())
    p = parse_text(text)
    assert p.title == "中共某某区文化和旅游体育局党组关于巡察整改情况的通报"
    assert (p.institution, p.published_date) == ("某某区文化和旅游体育局", dt.date(2023, 5, 4))


def test_measures_that_name_the_shortcoming_they_answer_stay_measures():
    body = ("二、巡察反馈问题整改落实情况\n（一）关于理论学习不深入的问题\n1.针对学习不深入的问题，组织专题学习6次。\n"
            "2.针对研讨不充分的问题，开展研讨3次。\n（二）关于财务管理不规范的问题\n1.针对报销审核不严的问题，修订报销制度。\n"
            "2.针对资产管理混乱的问题，开展资产清查。\n")
    p = parse_text(notice(body))
    assert [(i.number, i.title) for i in p.issues] == [("1", "关于理论学习不深入的问题"), ("2", "关于财务管理不规范的问题")]
    assert "针对学习不深入的问题，组织专题学习6次。" in p.issues[0].measures


def test_a_sentence_saying_every_listed_problem_is_done_gives_each_its_status():
    text = notice(standard_body(status_line="")).replace(
        "现将巡察整改进展情况予以公布。", "截至目前，反馈的4个问题已全部完成整改。现将巡察整改进展情况予以公布。")
    p = parse_text(text)
    assert {i.status for i in p.issues} == {"completed"} and "已全部完成整改" in p.issues[0].status_evidence
    # … but not when the count said to be done is not the count listed
    p = parse_text(text.replace("反馈的4个问题已全部完成整改", "反馈的5个问题已全部完成整改"))
    assert {i.status for i in p.issues} == {"not_stated"} and p.confidence == "low"
