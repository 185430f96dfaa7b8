"""Categories and issues: numbering levels, status sections, sections that are not issues."""
from notices.parsing.structure import parse_text

from .builders import DUTY, issue_block, notice, standard_body


def _issues(p):
    return [(i.category, i.number, i.title) for i in p.issues]


def test_issue_numbers_may_run_on_across_categories():
    p = parse_text(notice(standard_body(3, 2)))
    assert [(c.number, c.title) for c in p.categories] == [("一", "关于第一方面的问题"), ("二", "关于第二方面的问题"), ("三", "关于第三方面的问题")]
    assert [(i.category, i.number) for i in p.issues] == [("一", "1"), ("一", "2"), ("二", "3"), ("二", "4"), ("三", "5"), ("三", "6")]


def test_issue_numbers_may_restart_in_each_category():
    p = parse_text(notice(standard_body(3, 2, restart=True)))
    assert [(i.category, i.number) for i in p.issues] == [("一", "1"), ("一", "2"), ("二", "1"), ("二", "2"), ("三", "1"), ("三", "2")]


def test_the_duty_section_numbered_like_categories_is_not_a_category():
    p = parse_text(notice(standard_body(), duty=DUTY))
    assert "提高政治站位" not in "".join(c.title for c in p.categories)
    assert len(p.categories) == 2


def test_next_steps_with_the_same_numbering_are_never_issues():
    next_steps = "三、下一步工作打算\n（一）提高政治站位，持续深化整改认识\n1.深化理论武装，筑牢思想根基。\n2.强化政治自觉，压实整改责任。\n（二）聚焦标本兼治\n1.深挖问题根源。\n"
    p = parse_text(notice(standard_body(), next_steps=next_steps))
    assert len(p.issues) == 4 and len(p.categories) == 2
    assert "深化理论武装" in p.next_steps and "深化理论武装" not in "".join(i.text for i in p.issues)


def test_next_steps_under_a_wrongly_numbered_heading_are_still_next_steps():
    next_steps = "3、 下一步打算\n（1） 坚定不移把党的政治建设摆在首位。\n（2） 坚定不移把党的自我革命进行到底。\n（三）坚定不移加强巡察整改和成果运用。\n"
    p = parse_text(notice(standard_body(), next_steps=next_steps))
    assert len(p.issues) == 4 and "自我革命" in p.next_steps


def test_title_ends_at_the_first_full_stop_or_is_the_whole_heading_line():
    body = ("二、巡察反馈问题整改落实情况\n（一）关于作风方面\n"
            "1.严格落实上一轮巡察问题整改。财务款项做到应收尽收。完善欠费管理制度。\n"
            "2.深入贯彻落实重要论述，引领医院高质量发展\n一是充分发挥特色优势。二是解决看病难问题。\n"
            "3.关于学习贯彻方面。整改情况：一是构建学习体系。\n")
    p = parse_text(notice(body))
    assert [i.title for i in p.issues] == ["严格落实上一轮巡察问题整改", "深入贯彻落实重要论述，引领医院高质量发展", "关于学习贯彻方面"]


def test_issues_grouped_by_status_sections_take_the_section_status():
    body = ("一、已整改的问题\n针对巡察反馈意见指出的问题，截至目前，共计3个问题已整改完成。\n"
            "1、学习不及时问题的整改。\n整改结果及成效：医院党委制定学习计划。\n"
            "2.签约服务不到位问\n\n题的整改。\n整改结果及成效：开展入户签约。\n"
            "3. 意识形态工作不到位问题的整改。\n整改结果及成效：落实责任制。\n"
            "二、正在整改的问题\n1.机构编制不规范问题的整改。\n整改措施：整合科室。\n阶段性成效：正在申请。\n下一步推进举措：3月末完成。\n"
            "三、需长期坚持的问题\n1.人才短缺问题。\n整改措施：引进人才。\n")
    p = parse_text(notice(body, duty=""))
    assert [(i.number, i.status) for i in p.issues] == [("1", "completed"), ("2", "completed"), ("3", "completed"),
                                                         ("1", "in_progress"), ("1", "long_term")]
    assert p.issues[1].title == "签约服务不到位问题的整改"
    assert p.categories == [] and all(i.category is None for i in p.issues)
    assert p.declared.completed == 3


def test_status_sections_numbered_with_parenthesised_numerals():
    body = ("二、已完成整改的问题\n（一）关于违规发放津贴补贴的问题。整改措施：清退资金。\n（二）关于合同管理不规范的问题。整改措施：上线系统。\n"
            "三、正在整改的问题\n（一）关于信息化建设滞后的问题。整改进展：项目已完成招标，该项工作持续推进中。\n")
    p = parse_text(notice(body))
    assert [(i.number, i.status) for i in p.issues] == [("1", "completed"), ("2", "completed"), ("1", "in_progress")]
    assert p.issues[0].title == "关于违规发放津贴补贴的问题"


def test_categories_at_the_top_level_with_parenthesised_issues_and_numbered_measures():
    body = ("一、关于党的建设方面的问题\n（一）学习不深入。整改情况：已完成整改。\n1.制定学习计划。\n2.开展专题研讨。\n"
            "（二）制度执行不严。整改情况：正在整改。\n1.修订制度。\n"
            "二、关于作风建设方面的问题\n（三）违规报销。整改情况：已整改完成。\n1.追回资金。\n")
    p = parse_text(notice(body, duty=""))
    assert [(c.number, c.title) for c in p.categories] == [("一", "关于党的建设方面的问题"), ("二", "关于作风建设方面的问题")]
    assert [(i.category, i.number, i.title, i.status) for i in p.issues] == [
        ("一", "1", "学习不深入", "completed"), ("一", "2", "制度执行不严", "in_progress"), ("二", "3", "违规报销", "completed")]
    assert p.issues[0].measures == ["制定学习计划。", "开展专题研讨。"]


def test_categories_with_circled_or_bracketed_issue_numbers():
    for first, second in (("（1）", "（2）"), ("①", "②"), ("(1)", "(2)")):
        body = (f"二、巡察反馈问题整改落实情况\n（一）关于党建方面\n{first}学习不深入。整改情况：已完成整改。\n{second}作风不实。整改情况：整改中。\n"
                f"（二）关于业务方面\n{first}制度缺失。整改情况：已完成整改。\n")
        p = parse_text(notice(body))
        assert [(i.category, i.number, i.status) for i in p.issues] == [
            ("一", "1", "completed"), ("一", "2", "in_progress"), ("二", "1", "completed")], first


def test_problem_labelled_issues_drop_the_label_from_the_title():
    body = "二、巡察反馈问题整改落实情况\n1.问题：理论学习不深入不系统。\n整改情况：已完成整改。\n2.问题：作风不实。\n整改情况：正在整改。\n"
    p = parse_text(notice(body))
    assert [i.title for i in p.issues] == ["理论学习不深入不系统", "作风不实"]
    body = "二、巡察反馈问题整改落实情况\n问题一：学习不深入。\n整改情况：已完成整改。\n问题二：作风不实。\n整改情况：正在整改。\n"
    assert [(i.number, i.title, i.status) for i in parse_text(notice(body)).issues] == [
        ("1", "学习不深入", "completed"), ("2", "作风不实", "in_progress")]


def test_a_numbered_sub_list_inside_an_issue_does_not_become_issues():
    body = ("二、巡察反馈问题整改落实情况\n（一）关于作风方面\n1.学习不深入。\n整改情况：已完成整改。\n2.作风不实。\n整改措施：\n"
            "1.加强教育。\n2.严肃问责。\n3.完善制度。\n3.制度缺失。\n整改情况：已完成整改。\n")
    p = parse_text(notice(body))
    assert [(i.number, i.title) for i in p.issues] == [("1", "学习不深入"), ("2", "作风不实"), ("3", "制度缺失")]
    assert "严肃问责" in p.issues[1].text


def test_only_one_level_of_numbered_items_without_categories():
    body = "二、巡察反馈问题整改落实情况\n" + "".join(issue_block(f"{k}.", f"问题{k}。") for k in range(1, 6))
    p = parse_text(notice(body))
    assert p.categories == [] and [i.number for i in p.issues] == ["1", "2", "3", "4", "5"]
    assert all(i.category is None for i in p.issues)


def test_issue_text_holds_the_whole_issue_and_order_is_document_order():
    p = parse_text(notice(standard_body()))
    assert p.issues[0].text.startswith("第1个问题整改不到位。") and "二是加强学习" in p.issues[0].text
    assert [i.order for i in p.issues] == [0, 1, 2, 3]


def test_five_hundred_issues_are_all_found():
    body = standard_body(5, 100)
    p = parse_text(notice(body))
    assert len(p.issues) == 500 and p.issues[-1].number == "500" and p.issues[-1].category == "五"


def test_a_semicolon_does_not_end_a_title_and_only_known_labels_cut_it():
    body = ("二、巡察反馈问题整改落实情况\n1.学习不深入；制度不健全。整改情况：已完成整改。\n"
            "2.巡察整改工作推进不力:存在拖延现象。整改情况：已完成整改。\n3.作风不实整改情况：正在整改。\n")
    p = parse_text(notice(body))
    assert [i.title for i in p.issues] == ["学习不深入；制度不健全", "巡察整改工作推进不力:存在拖延现象", "作风不实"]


def test_counts_in_status_headings_are_declared_counts():
    body = ("二、已完成整改的问题（2个）\n（一）关于学习不深入的问题。整改措施：制定计划。\n（二）关于作风不实的问题。整改措施：专项整治。\n"
            "三、正在整改的问题（共1个）\n（一）关于信息化滞后的问题。整改进展：正在推进。\n")
    p = parse_text(notice(body))
    assert (p.declared.completed, p.declared.in_progress) == (2, 1)
    assert not [w for w in p.warnings if w.code.startswith("declared")]


def test_unnumbered_problem_labels_are_issues_numbered_in_order():
    body = ("二、巡察反馈问题整改落实情况\n问题：理论学习不深入。\n整改情况：已完成整改。\n"
            "问题：制度执行不严格。\n整改情况：正在整改。\n")
    p = parse_text(notice(body))
    assert [(i.number, i.title, i.status) for i in p.issues] == [("1", "理论学习不深入", "completed"), ("2", "制度执行不严格", "in_progress")]


def test_problem_labels_inside_numbered_issues_stay_inside_them():
    body = ("二、巡察反馈问题整改落实情况\n（一）关于党建方面\n1.学习不深入。\n问题：理论学习流于形式。\n整改情况：已完成整改。\n"
            "2.作风不实。\n问题：调研不深入。\n整改情况：正在整改。\n")
    p = parse_text(notice(body))
    assert [(i.category, i.number, i.title) for i in p.issues] == [("一", "1", "学习不深入"), ("一", "2", "作风不实")]
