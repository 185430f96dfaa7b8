"""More layouts and wordings seen in published notices."""
import datetime as dt

from notices.parsing.structure import parse_text
from notices.parsing.structure.details import issue_status

from .builders import INTRO, notice, standard_body


def test_categories_with_an_intro_paragraph_before_their_first_issue_are_still_categories():
    body = ("二、巡察反馈问题整改落实情况\n（一）关于党的建设方面\n针对该方面问题，医院党委逐项研究整改措施。\n"
            "1.学习不深入。\n整改情况：已完成整改。\n2.作风不实。\n整改情况：正在整改。\n"
            "（二）关于作风建设方面\n围绕作风问题，医院开展专项整治。\n3.违规报销。\n整改情况：已完成整改。\n")
    p = parse_text(notice(body))
    assert [c.number for c in p.categories] == ["一", "二"]
    assert [(i.category, i.number, i.status) for i in p.issues] == [("一", "1", "completed"), ("一", "2", "in_progress"), ("二", "3", "completed")]


def test_bare_issue_headings_with_labelled_numbered_measures_stay_issues():
    body = ("二、巡察反馈问题整改落实情况\n（一）学习不深入问题\n整改措施：\n1.制定学习计划。\n2.开展研讨。\n"
            "（二）作风不实问题\n整改措施：\n1.开展专项整治。\n")
    p = parse_text(notice(body))
    assert p.categories == [] and [i.title for i in p.issues] == ["学习不深入问题", "作风不实问题"]
    assert p.issues[0].measures == ["制定学习计划。", "开展研讨。"]


def test_top_level_headings_that_are_issues_themselves():
    body = ("一、学习贯彻不到位问题。整改情况：已完成整改。（一）制定计划。（二）开展研讨。\n"
            "二、作风不实问题。整改情况：正在整改。\n（一）开展专项整治。\n（二）严肃问责。\n")
    p = parse_text(notice(body, duty="", next_steps=""))
    assert [(i.number, i.title, i.status) for i in p.issues] == [("1", "学习贯彻不到位问题", "completed"), ("2", "作风不实问题", "in_progress")]


def test_status_on_the_line_after_its_label_or_in_brackets_after_the_title():
    assert issue_status("学习不深入。", "整改落实情况:\n已完成整改。\n一是补学。")[0] == "completed"
    assert issue_status("学习不深入问题。", "(已完成)一是补学。")[0] == "completed"
    assert issue_status("学习不深入。", "整改状态:完成。")[0] == "completed"
    assert issue_status("学习不深入。", "下一步推进举措:3月末完成。")[0] == "not_stated"


def test_bracketed_problem_labels_and_category_headings_cut_in_two():
    body = ("二、巡视反馈问题整改情况\n（一）关于贯彻落实党中央决策部署\n和省委工作要求的问题\n"
            "【问题一】推进高质量发展有差距。\n整改进展：已完成。\n【问题二】院长负责制不够到位。\n整改进展：整改中。\n")
    p = parse_text(notice(body))
    assert [(c.number, c.title) for c in p.categories] == [("一", "关于贯彻落实党中央决策部署和省委工作要求的问题")]
    assert [(i.number, i.title, i.status) for i in p.issues] == [("1", "推进高质量发展有差距", "completed"), ("2", "院长负责制不够到位", "in_progress")]


def test_month_only_inspection_ranges_stay_null_and_qi_zhi_is_read():
    # a month names no day: null, never an invented 1st or 31st
    p = parse_text(notice(standard_body(), intro="根据市委统一部署，2024年3月至5月，市委第一巡察组对某某市人民医院进行了巡察。2024年6月20日反馈了巡察意见。"))
    assert (p.inspection_start, p.inspection_end, p.feedback_date) == (None, None, dt.date(2024, 6, 20))
    p = parse_text(notice(standard_body(), intro="根据省委统一部署，2024年9月中旬至11月下旬，省委第六巡视组对某某市人民医院开展了巡视。2025年1月8日反馈了意见。"))
    assert (p.inspection_start, p.inspection_end, p.feedback_date) == (None, None, dt.date(2025, 1, 8))
    p = parse_text(notice(standard_body(), intro="市委第一巡察组于2024年3月5日起至5月10日对某某市人民医院进行了巡察，并于2024年6月20日反馈了巡察意见。"))
    assert (p.inspection_start, p.inspection_end, p.feedback_date) == (dt.date(2024, 3, 5), dt.date(2024, 5, 10), dt.date(2024, 6, 20))


def test_a_late_section_about_consolidating_results_is_next_steps():
    next_steps = "三、持续深化整改，巩固拓展整改成果\n（一）强化理论武装\n1.持续学习。\n（二）健全长效机制\n1.完善制度。\n"
    p = parse_text(notice(standard_body(), next_steps=next_steps))
    assert len(p.issues) == 4 and len(p.categories) == 2 and "强化理论武装" in p.next_steps


def test_a_contact_line_at_the_top_does_not_end_the_notice():
    text = "联系我们\n" + notice(standard_body())
    p = parse_text(text)
    assert len(p.issues) == 4


def test_a_document_number_line_is_not_part_of_the_title():
    p = parse_text(notice(standard_body(), title="某某市人民医院党委文件\n院党发〔2024〕12号\n关于巡察整改进展情况的通报"))
    assert p.title == "关于巡察整改进展情况的通报"


def test_the_feedback_in_the_same_sentence_as_the_inspection():
    intro = "根据市委统一部署，2024年3月11日至5月10日，市委第四巡察组对市第一人民医院党委进行了巡察，并于2024年6月20日反馈了巡察意见。"
    p = parse_text(notice(standard_body(), intro=intro))
    assert (p.inspection_end, p.feedback_date) == (dt.date(2024, 5, 10), dt.date(2024, 6, 20))


def test_a_feedback_in_the_next_year_after_a_winter_inspection():
    intro = INTRO.replace("2024年3月11日至5月10日", "2024年11月4日至12月20日").replace("6月20日", "1月15日")
    p = parse_text(notice(standard_body(), intro=intro))
    assert p.feedback_date == dt.date(2025, 1, 15)


def test_a_number_printed_twice_still_gives_two_issues_with_a_warning():
    body = ("二、巡察反馈问题整改落实情况\n1.学习不深入。\n整改情况：已完成整改。\n2.作风不实。\n整改情况：正在整改。\n"
            "2.制度缺失。\n整改情况：已完成整改。\n3.服务不便。\n整改情况：已完成整改。\n")
    p = parse_text(notice(body))
    assert [(i.number, i.title) for i in p.issues] == [("1", "学习不深入"), ("2", "作风不实"), ("2", "制度缺失"), ("3", "服务不便")]
    assert "issue_numbering_gap" in [w.code for w in p.warnings]


def test_unnumbered_status_headings_inside_a_category():
    body = ("二、巡察反馈问题整改落实情况\n（一）关于党建方面\n已完成整改的问题（2个）\n1.学习不深入。\n整改措施：制定计划。\n"
            "2.作风不实。\n整改措施：专项整治。\n正在整改的问题（1个）\n3.制度缺失。\n整改措施：修订制度。\n")
    p = parse_text(notice(body))
    assert [(i.number, i.status) for i in p.issues] == [("1", "completed"), ("2", "completed"), ("3", "in_progress")]
    assert "已完成整改的问题" not in p.issues[0].text + p.issues[1].text


def _ledger(sep: str, pipes: bool) -> str:
    def row(*cells):
        return ("| " + " | ".join(cells) + " |") if pipes else sep.join(cells)
    rows = [row("序号", "反馈问题", "整改措施", "整改进展")]
    if pipes:
        rows.append(row("---", "---", "---", "---"))
    rows += [row("（一）", "贯彻落实决策部署方面", "", ""),
             row("1", "落实分级诊疗制度不到位", "建立医联体", "已完成整改"),
             row("2", "专科能力建设不足", "新建种植中心", "正在整改，计划2026年6月底前完成"),
             row("（二）", "全面从严治党方面", "", ""),
             row("3", "合同审查把关不严", "修订合同管理办法", "已完成整改")]
    return "二、巡察反馈问题整改情况\n" + "\n".join(rows) + "\n"


def test_ledger_tables_in_markdown_or_tab_separated_rows():
    for body in (_ledger("", True), _ledger("\t", False)):
        p = parse_text(notice(body))
        assert [(c.number, c.title) for c in p.categories] == [("一", "贯彻落实决策部署方面"), ("二", "全面从严治党方面")]
        assert [(i.category, i.number, i.title, i.status) for i in p.issues] == [
            ("一", "1", "落实分级诊疗制度不到位", "completed"), ("一", "2", "专科能力建设不足", "in_progress"),
            ("二", "3", "合同审查把关不严", "completed")]
        assert [(s.label, s.text) for s in p.issues[0].sections] == [("整改措施", "建立医联体。"), ("整改进展", "已完成整改。")]


def test_an_unnumbered_inspection_team_and_a_phone_with_a_space():
    intro = "根据市委统一部署，2024年3月11日至5月10日，市委巡察组对某某市人民医院进行了巡察。6月20日反馈了巡察意见。"
    p = parse_text(notice(standard_body(), intro=intro, closing="欢迎监督。联系电话：0763 3126147。"))
    assert p.inspection_group == "市委巡察组"
    assert p.contacts.phones == ["0763 3126147"]


def test_a_top_level_section_without_issues_is_not_a_category():
    body = ("二、关于党的建设方面的问题\n1.学习不深入。整改情况：已完成整改。\n"
            "三、关于作风建设方面的问题\n2.作风不实。整改情况：正在整改。\n"
            "四、巡察移交问题线索办理情况\n巡察组移交问题线索2件，已全部办结。\n")
    p = parse_text(notice(body, next_steps="五、下一步工作打算\n持续抓好整改。\n"))
    assert [(c.number, c.title) for c in p.categories] == [("二", "关于党的建设方面的问题"), ("三", "关于作风建设方面的问题")]
    assert [(i.category, i.number) for i in p.issues] == [("二", "1"), ("三", "2")]
