"""Noise left by conversions: each case on its own, then through the whole parser."""
from notices.parsing.structure import parse_text
from notices.parsing.structure.normalize import normalize

from .builders import issue_block, notice, standard_body


def test_a_line_broken_mid_word_at_a_page_break_is_joined_again():
    doc = normalize("2、对精准扶贫工作存在畏难情绪、签约服务不到位问\n\n题的整改。\n整改结果及成效：已完成。")
    assert doc.display[0] == "2、对精准扶贫工作存在畏难情绪、签约服务不到位问题的整改。"


def test_a_paragraph_broken_after_a_comma_or_mid_sentence_is_joined_again():
    doc = normalize("一、情况\n" + "院党委坚决扛起巡察整改政治责任，着力构建“党委统\n\n揽、分级负责、全员参与”的整改工作体系。")
    assert doc.display[1].endswith("“党委统揽、分级负责、全员参与”的整改工作体系。")


def test_a_heading_is_not_glued_to_the_paragraph_after_it():
    doc = normalize("（一）以学筑基，在思想对标中把准整改方向\n多次召开党委专题会议，深入学习领会习近平总书记关于巡视巡察工作的重要讲话精神。")
    assert doc.display[0] == "（一）以学筑基，在思想对标中把准整改方向"


def test_a_section_heading_keeps_its_short_first_sentence_apart():
    doc = normalize("三、下一步打算\n继续抓好整改。")
    assert doc.display == ["三、下一步打算", "继续抓好整改。"]


def test_page_numbers_and_running_headers_are_dropped():
    text = "某某医院巡察整改通报\n根据市委统一部署开展巡察整改。\n正文第一段。\n- 2 -\n第 3 页 共 9 页\n3/9\n某某医院巡察整改通报\n正文第二段。"
    assert normalize(text).display == ["某某医院巡察整改通报", "根据市委统一部署开展巡察整改。", "正文第一段。", "正文第二段。"]


def test_bookmark_marks_and_markdown_bold_are_removed():
    doc = normalize("[bookmark: heading_2]（一）关于作风方面\n1.学习不深入。**严格执行招标文件条款。**完善制度。\n## 二、下一步打算")
    assert doc.display == ["（一）关于作风方面", "1.学习不深入。严格执行招标文件条款。完善制度。", "二、下一步打算"]


def test_spaces_inside_names_and_around_numbers_are_removed_but_not_between_phone_numbers():
    doc = normalize("中共辽阳市 中心医院 委员会文件\n制定了规章制度 29 项。\n联系电话：3221279 3223823。")
    assert doc.display == ["中共辽阳市中心医院委员会文件", "制定了规章制度29项。", "联系电话：3221279 3223823。"]


def test_full_width_digits_and_parentheses_are_matched_but_kept_as_printed():
    doc = normalize("（一）关于作风方面\n１２．学习不深入（已完成）")
    assert doc.match == ["(一)关于作风方面", "12.学习不深入(已完成)"]
    assert doc.display == ["（一）关于作风方面", "１２．学习不深入（已完成）"]


def test_traditional_characters_are_matched_as_simplified_and_shown_as_printed():
    doc = normalize("二、巡察反饋問題整改落實情況\n1.學習不深入。整改情況：已完成整改。")
    assert doc.match[0] == "二、巡察反馈问题整改落实情况"
    assert doc.display[0] == "二、巡察反饋問題整改落實情況"


def test_windows_line_ends_tabs_ideographic_spaces_and_invisible_marks_are_harmless():
    text = notice(standard_body()).replace("\n", "\r\n").replace("根据", "\u3000\u3000\ufeff根据")
    parsed = parse_text(text)
    assert [i.number for i in parsed.issues] == ["1", "2", "3", "4"]


def test_every_numbering_style_of_items_is_recognised():
    for marker in ("1.", "1、", "1．", "１．", "（1）", "(1)", "①", "1）"):
        second = marker.replace("1", "2").replace("１", "２").replace("①", "②")
        body = "二、巡察反馈问题整改落实情况\n" + issue_block(marker, "学习不深入。") + issue_block(second, "作风不实。")
        parsed = parse_text(notice(body))
        assert [(i.number, i.title) for i in parsed.issues] == [("1", "学习不深入"), ("2", "作风不实")], marker


def test_issue_headings_in_traditional_characters_with_full_width_numbers_parse():
    from opencc import OpenCC

    text = OpenCC("s2t").convert(notice(standard_body())).replace("1.", "１．")
    parsed = parse_text(text)
    assert len(parsed.issues) == 4 and all(i.status == "completed" for i in parsed.issues)
    assert parsed.institution == "某某市人民醫院"


def test_a_number_alone_on_its_line_is_joined_to_its_text():
    doc = normalize("（一）\n关于作风方面\n1.\n学习不深入。\n2、\n作风不实。")
    assert doc.display == ["（一）关于作风方面", "1.学习不深入。", "2、作风不实。"]
