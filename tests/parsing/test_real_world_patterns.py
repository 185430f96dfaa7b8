"""Patterns from published notices that the first version of the parser missed.

Each test builds a synthetic notice (or a text snippet) in the genre's style;
none is taken from the sample files.
"""
import datetime as dt
import pytest

from notices.parsing.structure import parse_text
from notices.parsing.structure.details import classify_status

from .builders import notice, standard_body


def _issues(p):
    return [(i.category, i.number, i.title, i.status) for i in p.issues]


# ------------------------------------------------ 1. issues inline in one paragraph
def test_issues_listed_inline_inside_one_paragraph_are_split():
    body = (
        "二、巡察反馈问题整改落实情况\n"
        "（一）关于贯彻落实党中央决策部署方面。1.理论学习不深入问题。整改情况：已完成整改，制定学习计划；"
        "2.意识形态责任制落实不到位问题。整改情况：正在整改，计划年底前完成。\n"
        "（二）关于全面从严治党方面。3.医德医风建设薄弱问题。整改情况：已完成整改。\n"
    )
    p = parse_text(notice(body))
    assert [(c.number, c.title) for c in p.categories] == [("一", "关于贯彻落实党中央决策部署方面"), ("二", "关于全面从严治党方面")]
    assert _issues(p) == [
        ("一", "1", "理论学习不深入问题", "completed"),
        ("一", "2", "意识形态责任制落实不到位问题", "in_progress"),
        ("二", "3", "医德医风建设薄弱问题", "completed"),
    ]


def test_an_inline_numbered_list_of_measures_is_not_split_into_issues():
    body = (
        "二、巡察反馈问题整改落实情况\n"
        "（一）关于党建方面\n"
        "1.学习不深入问题。整改情况：已完成整改。整改措施：1.制定学习计划；2.开展专题研讨；3.建立学习台账。\n"
        "2.组织生活不规范问题。整改情况：已完成整改。\n"
    )
    p = parse_text(notice(body))
    assert [i.number for i in p.issues] == ["1", "2"]


# ----------------------------------------------------- 2. table cells over lines
_HEADER = ["序号", "反馈问题", "整改措施", "整改进展"]


def _table_notice(rows):
    body = "二、巡察反馈问题整改情况\n" + "\n".join(rows) + "\n"
    return notice(body)


def _expect_two(p):
    assert [(i.number, i.status) for i in p.issues] == [("1", "completed"), ("2", "in_progress")]
    assert p.issues[0].title == "落实分级诊疗制度不到位，双向转诊通道不畅通"
    assert p.issues[1].title == "口腔专科能力建设不足"


def test_pipe_table_with_continuation_rows_is_put_back_together():
    rows = [
        "| 序号 | 反馈问题 | 整改措施 | 整改进展 |",
        "| --- | --- | --- | --- |",
        "| 1 | 落实分级诊疗制度不到位， | 与12家基层医疗机构建立医联体， | 已完成 |",
        "|   | 双向转诊通道不畅通 | 开通双向转诊绿色通道 | 整改 |",
        "| 2 | 口腔专科能力建设不足 | 新建种植中心 | 正在整改 |",
    ]
    _expect_two(parse_text(_table_notice(rows)))


def test_tab_separated_rows_with_line_breaks_inside_cells_are_put_back_together():
    rows = [
        "序号\t反馈问题\t整改措施\t整改进展",
        "1\t落实分级诊疗制度不到位，",
        "双向转诊通道不畅通\t与12家基层医疗机构建立医联体，",
        "开通双向转诊绿色通道\t已完成整改",
        "2\t口腔专科能力建设不足\t新建种植中心\t正在整改",
    ]
    _expect_two(parse_text(_table_notice(rows)))


def test_word_table_rows_wrapped_with_an_empty_number_cell_are_merged():
    rows = [
        "序号\t反馈问题\t整改措施\t整改进展",
        "1\t落实分级诊疗制度不到位，\t与12家基层医疗机构建立\t已完成",
        "\t双向转诊通道不畅通\t医联体\t整改",
        "2\t口腔专科能力建设不足\t新建种植中心\t正在整改",
    ]
    _expect_two(parse_text(_table_notice(rows)))


# -------------------------------------------------------- 3. mixed status phrases
@pytest.mark.parametrize("phrase, status", [
    ("已完成整改（长期坚持）", "long_term"),
    ("已完成阶段性目标，需长期坚持", "long_term"),
    ("已完成整改，长期坚持", "long_term"),
    ("已基本完成，持续推进", "in_progress"),
    ("取得阶段性成效，持续整改", "in_progress"),
    ("已完成整改，并将长期坚持", "completed"),
    ("已完成整改并长期坚持", "completed"),
    ("已整改完成并销号", "completed"),
    ("完成阶段性目标任务，长期坚持", "long_term"),
    ("整改完成（需长期坚持）", "long_term"),
    ("已整改到位", "completed"),
])
def test_mixed_status_phrases_are_decided_by_what_they_say_about_the_issue(phrase, status):
    assert classify_status(phrase) == status
    p = parse_text(notice(standard_body(status_line=f"整改情况：{phrase}。")))
    assert {i.status for i in p.issues} == {status}


def test_a_mixed_phrase_with_unrelated_clauses_is_no_status():
    assert classify_status("已完成整改，制定学习计划") is None
    assert classify_status("长期坚持学习制度，开展研讨") is None


# ------------------------------------------------- 4. institution names with brackets
@pytest.mark.parametrize("name", ["某某市第一人民医院（某某大学附属医院）", "某某县中医院（县中西医结合医院）"])
def test_institution_names_with_a_bracketed_second_name_are_kept_whole(name):
    title = f"中共{name}委员会关于巡察整改进展情况的通报"
    p = parse_text(notice(standard_body(), title=title, signature=f"中共{name}委员会\n2024年10月8日"))
    assert p.institution == name
    intro = f"根据市委统一部署，2024年3月11日至5月10日，市委第二巡察组对{name}党委进行了巡察。6月11日，市委第二巡察组反馈了巡察意见。"
    p = parse_text(notice(standard_body(), title="关于巡察整改进展情况的通报", intro=intro, signature="2024年10月8日"))
    assert p.institution == name


def test_a_bracketed_short_name_is_not_part_of_the_institution():
    intro = "根据市委统一部署，2024年3月11日至5月10日，市委第二巡察组对某某市人民医院（以下简称市医院）党委进行了巡察。6月11日反馈了巡察意见。"
    p = parse_text(notice(standard_body(), title="关于巡察整改进展情况的通报", intro=intro, signature="2024年10月8日"))
    assert p.institution == "某某市人民医院"


# --------------------------------------------------------- 5. an unnumbered 巡察组
def test_an_unnumbered_group_reuses_the_full_name_given_earlier():
    intro = ("根据市委统一部署，2024年3月11日至5月10日，市委第二巡察组对某某市人民医院党委进行了巡察。"
             "巡察组于6月11日向医院党委反馈了巡察意见。")
    p = parse_text(notice(standard_body(), intro=intro))
    assert p.inspection_group == "市委第二巡察组"
    assert str(p.feedback_date) == "2024-06-11"


def test_a_group_never_named_gives_no_group_but_the_feedback_date_is_kept():
    intro = "2024年3月11日至5月10日，巡察组对某某市人民医院党委进行了巡察。巡察组于6月11日向医院党委反馈了巡察意见。"
    p = parse_text(notice(standard_body(), intro=intro))
    assert p.inspection_group is None
    assert str(p.feedback_date) == "2024-06-11"


# -------------------------------------------------- 6. categories declared, none listed
def test_no_category_warning_when_the_notice_lists_no_categories_at_all():
    body = ("二、已整改的问题\n1.学习不深入问题。整改情况：已完成整改。\n2.制度不健全问题。整改情况：已完成整改。\n")
    duty = "一、整改工作情况\n针对巡察反馈的3个方面2个问题，认真整改。\n"
    p = parse_text(notice(body, duty=duty))
    assert not p.categories and p.declared.categories == 3
    assert "declared_categories_mismatch" not in [w.code for w in p.warnings]


def test_the_category_warning_stays_when_some_categories_are_listed():
    duty = "一、整改工作情况\n针对巡察反馈的3个方面4个问题，认真整改。\n"
    p = parse_text(notice(standard_body(), duty=duty))
    assert "declared_categories_mismatch" in [w.code for w in p.warnings]


def test_a_paragraph_of_inline_issues_without_a_category_heading_is_split():
    body = (
        "二、巡察反馈问题整改落实情况\n"
        "1、理论学习不深入问题。整改情况：已完成整改。2、制度执行不严格问题。整改情况：已基本完成，持续推进。"
        "3、采购管理不规范问题。整改情况：已完成整改（长期坚持）。\n"
    )
    p = parse_text(notice(body))
    assert [(i.number, i.status) for i in p.issues] == [("1", "completed"), ("2", "in_progress"), ("3", "long_term")]


def test_a_short_tab_row_does_not_swallow_the_next_numbered_row_or_the_text_after_the_table():
    rows = [
        "序号\t反馈问题\t整改措施\t整改进展",
        "（一）\t贯彻落实党中央决策部署方面",
        "1\t落实分级诊疗制度不到位\t建立医联体\t已完成整改",
        "（二）\t全面从严治党方面",
        "2\t合同审查把关不严\t修订合同管理办法\t正在整改",
    ]
    body = "二、巡察反馈问题整改情况\n" + "\n".join(rows) + "\n"
    p = parse_text(notice(body, next_steps="三、下一步工作打算\n医院党委将持续推进整改。\n"))
    assert [(c.number, c.title) for c in p.categories] == [("一", "贯彻落实党中央决策部署方面"), ("二", "全面从严治党方面")]
    assert _issues(p) == [("一", "1", "落实分级诊疗制度不到位", "completed"), ("二", "2", "合同审查把关不严", "in_progress")]
    assert "持续推进整改" in p.next_steps


# ------------------------------------------------------------- 7. other layouts
def test_category_headings_numbered_as_classes_of_problems():
    body = ("二、巡察反馈问题整改落实情况\n第一类问题：党的建设方面\n1.学习不深入问题。整改情况：已完成整改。\n"
            "第二类问题：内部管理方面\n2.采购不规范问题。整改情况：正在整改。\n")
    p = parse_text(notice(body))
    assert [(c.number, c.title) for c in p.categories] == [("一", "党的建设方面"), ("二", "内部管理方面")]
    assert _issues(p) == [("一", "1", "学习不深入问题", "completed"), ("二", "2", "采购不规范问题", "in_progress")]


def test_numbered_measures_under_an_issue_heading_with_the_status_after_them_are_not_issues():
    body = ("二、巡察反馈问题整改落实情况\n（一）学习不深入问题\n1.修订学习计划。\n2.建立研讨台账。\n整改情况：已完成整改。\n"
            "（二）采购不规范问题\n1.修订采购办法。\n2.建立供应商库。\n3.开展专项检查。\n整改情况：持续整改中。\n")
    p = parse_text(notice(body))
    assert p.categories == []
    assert _issues(p) == [(None, "1", "学习不深入问题", "completed"), (None, "2", "采购不规范问题", "in_progress")]
    assert p.issues[1].text.count("\n") >= 3


def test_issues_under_categories_that_each_carry_a_label_stay_issues():
    body = ("二、巡察反馈问题整改落实情况\n（一）关于党建方面\n1.学习不深入问题\n整改情况：已完成整改。\n"
            "2.制度不健全问题\n整改情况：正在整改。\n（二）关于业务方面\n3.采购不规范问题\n整改情况：已完成整改。\n")
    p = parse_text(notice(body))
    assert [i.category for i in p.issues] == ["一", "一", "二"]


@pytest.mark.parametrize("closing, start", [
    ("公示期：2024年11月4日起5个工作日。", "2024-11-04"),
    ("公示时间为2024年11月4日起5个工作日。", "2024-11-04"),
])
def test_a_publicity_period_given_as_working_days_keeps_the_start_only(closing, start):
    p = parse_text(notice(standard_body(), closing="欢迎广大干部群众进行监督。" + closing + "联系电话：0371-66660000。"))
    assert str(p.disclosure_start) == start and p.disclosure_end is None


def test_a_publicity_period_ending_on_a_bare_day_of_the_same_month():
    p = parse_text(notice(standard_body(), closing="欢迎监督。公示期为2024年11月4日至8日。联系电话：0371-66660000。"))
    assert (str(p.disclosure_start), str(p.disclosure_end)) == ("2024-11-04", "2024-11-08")


def test_statuses_printed_only_in_a_summary_table_after_the_issues():
    body = ("二、巡察反馈问题整改落实情况\n（一）关于党建方面\n1.学习不深入问题。制定学习计划。\n2.制度不健全问题。修订制度。\n"
            "三、整改落实情况汇总表\n| 序号 | 问题 | 整改状态 |\n| --- | --- | --- |\n"
            "| 1 | 学习不深入问题 | 已完成 |\n| 2 | 制度不健全问题 | 正在整改 |\n")
    p = parse_text(notice(body, next_steps=""))
    assert _issues(p) == [("一", "1", "学习不深入问题", "completed"), ("一", "2", "制度不健全问题", "in_progress")]
    assert p.issues[1].status_evidence == "整改状态：正在整改"


# ------------------------------------------- traditional characters, wrapped lines
_UNSEEN = sorted((__import__("pathlib").Path(__file__).resolve().parents[1] / "generalization" / "notices").glob("*.txt"))


@pytest.mark.parametrize("path", _UNSEEN, ids=[p.stem for p in _UNSEEN])
def test_traditional_character_versions_of_the_unseen_layouts_parse_as_well(path):
    import json

    from opencc import OpenCC

    from .test_samples import _scorer

    gold = json.loads((path.parent.parent / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
    parsed = parse_text(OpenCC("s2t").convert(path.read_text(encoding="utf-8")))
    assert _scorer(fold=True).score_one(gold, parsed.to_dict())["notes"] == []


def test_a_phone_number_wrapped_onto_the_line_after_its_label_is_found():
    closing = "欢迎广大干部群众进行监督。公开期限：2024年10月8日至10月22日。联系电话：\n0371-66660000；电子邮箱：rmyy@163.com。"
    p = parse_text(notice(standard_body(), closing=closing))
    assert p.contacts.phones == ["0371-66660000"]


def test_issues_inline_with_bracketed_chinese_numbers_under_a_category_heading():
    body = (
        "二、关于党的建设方面。（一）理论学习不深入问题。整改情况：已完成整改。（二）组织生活不规范问题。整改情况：正在整改。\n"
        "三、关于业务管理方面。（三）采购管理不规范问题。整改情况：已完成整改。\n"
    )
    p = parse_text(notice(body, next_steps="四、下一步工作打算\n持续巩固整改成果。\n"))
    assert [(c.number, c.title) for c in p.categories] == [("二", "关于党的建设方面"), ("三", "关于业务管理方面")]
    assert _issues(p) == [("二", "1", "理论学习不深入问题", "completed"), ("二", "2", "组织生活不规范问题", "in_progress"),
                          ("三", "3", "采购管理不规范问题", "completed")]


def test_a_ledger_column_saying_whether_the_issue_is_done():
    rows = [
        "序号\t反馈问题\t整改措施\t是否完成",
        "1\t落实分级诊疗制度不到位\t建立医联体\t是",
        "2\t口腔专科能力建设不足\t新建种植中心\t否",
    ]
    p = parse_text(_table_notice(rows))
    assert [(i.number, i.status) for i in p.issues] == [("1", "completed"), ("2", "in_progress")]


def test_inline_issues_whose_status_closes_each_item():
    body = ("二、巡察反馈问题整改落实情况\n"
            "（一）关于党的建设方面：1.理论学习不深入问题，已整改完成；2.组织生活不规范问题，正在整改；3.发展党员程序不规范问题，需长期坚持。\n")
    p = parse_text(notice(body))
    assert _issues(p) == [("一", "1", "理论学习不深入问题", "completed"), ("一", "2", "组织生活不规范问题", "in_progress"),
                          ("一", "3", "发展党员程序不规范问题", "long_term")]


def test_an_inline_list_of_measures_ending_in_a_status_is_not_split():
    body = ("二、巡察反馈问题整改落实情况\n（一）关于党建方面\n"
            "1.学习不深入问题。整改措施：1.制定学习计划；2.开展专题研讨，已完成。\n2.制度不健全问题。整改情况：已完成整改。\n")
    p = parse_text(notice(body))
    assert [i.number for i in p.issues] == ["1", "2"]


def test_statuses_given_by_issue_number_in_a_sentence_outside_the_issues():
    duty = ("一、整改工作总体情况\n医院党委逐项整改。截至目前，第1、2、4项问题已完成整改，第3项问题正在整改。\n")
    p = parse_text(notice(standard_body(status_line="整改措施：修订制度。"), duty=duty))
    assert [(i.number, i.status) for i in p.issues] == [("1", "completed"), ("2", "completed"), ("3", "in_progress"), ("4", "completed")]
    assert p.issues[2].status_evidence == "第3项问题正在整改"
    duty = "一、整改工作总体情况\n截至目前，第1至3项问题已完成整改，第4项问题需长期坚持。\n"
    p = parse_text(notice(standard_body(status_line="整改措施：修订制度。"), duty=duty))
    assert [i.status for i in p.issues] == ["completed", "completed", "completed", "long_term"]


def test_a_title_loses_its_whole_closing_status_and_keeps_the_status():
    body = ("二、巡察反馈问题整改落实情况\n（一）关于党建方面\n1.学习不深入问题，已基本完成，持续推进。\n"
            "2.制度不健全问题，已完成整改，并将长期坚持。\n")
    p = parse_text(notice(body))
    assert _issues(p) == [("一", "1", "学习不深入问题", "in_progress"), ("一", "2", "制度不健全问题", "completed")]


def test_issues_naming_problems_under_a_category_with_one_closing_status_line_stay_issues():
    body = ("二、巡察反馈问题整改落实情况\n（一）关于党建方面\n1.学习不深入问题。一是制定计划。\n2.制度不健全问题。一是修订制度。\n"
            "整改情况：以上问题已完成整改。\n（二）关于业务方面\n3.采购不规范问题。一是修订办法。\n整改情况：已完成整改。\n")
    p = parse_text(notice(body))
    assert [(i.category, i.number) for i in p.issues] == [("一", "1"), ("一", "2"), ("二", "3")]


def test_top_level_sections_numbered_as_parts():
    text = ("某某医院党委关于巡察整改情况的通报\n根据市委统一部署，市委第一巡察组于2024年3月1日至4月1日对某某医院党委进行了巡察。\n"
            "第一部分 整改工作开展情况\n医院党委高度重视。\n第二部分 问题整改情况\n"
            "1.学习不深入问题。整改情况：已完成整改。\n2.制度不健全问题。整改情况：正在整改。\n第三部分 下一步打算\n继续巩固整改成果。\n")
    p = parse_text(text)
    assert _issues(p) == [(None, "1", "学习不深入问题", "completed"), (None, "2", "制度不健全问题", "in_progress")]
    assert "继续巩固整改成果" in p.next_steps and "继续巩固" not in p.issues[1].text


def test_a_table_whose_first_cell_holds_the_number_and_the_problem():
    rows = ["反馈问题\t整改措施\t整改进展", "1.学习不深入\t制定计划\t已完成整改", "2.制度不健全\t修订制度\t正在整改"]
    p = parse_text(_table_notice(rows))
    assert _issues(p) == [(None, "1", "学习不深入", "completed"), (None, "2", "制度不健全", "in_progress")]


def test_a_window_given_only_in_the_invitation_to_comment_is_the_disclosure_window():
    closing = ("欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请在2024年9月2日至9月16日期间"
               "及时向我们反映。联系电话：0571-86120453。\n")
    parsed = parse_text(notice(standard_body(), closing=closing))
    assert (parsed.disclosure_start, parsed.disclosure_end) == (dt.date(2024, 9, 2), dt.date(2024, 9, 16))
    assert "期间" in parsed.disclosure_text


def test_a_date_range_in_the_body_about_soliciting_opinions_is_not_the_disclosure_window():
    body = standard_body().replace(
        "整改情况：已完成整改。", "整改情况：2024年7月1日至7月15日广泛征求意见建议，修订了制度。已完成整改。", 1)
    closing = "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0571-86120453。\n"
    parsed = parse_text(notice(body, closing=closing))
    assert (parsed.disclosure_start, parsed.disclosure_end) == (None, None)


def test_the_title_is_found_below_a_bulleted_metadata_table_with_spaced_labels():
    chrome = ("  • 索 引 号:370499/2025-01873\n  • 发布机构:区卫健局\n  • 成文时间:2025年09月29日\n"
              "  • 文  号:\n  • 标  题:某某市人民医院党委关于巡察整改进展情况的通报\n  • 效力状态:有效\n\n")
    parsed = parse_text(chrome + notice(standard_body()))
    assert parsed.title == "中共某某市人民医院委员会关于市委巡察整改进展情况的通报"
