"""Word files: document order, tables, and Word's automatic numbering rendered into the text."""
from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from notices.parsing.extract import extract_text
from notices.parsing.extract.numbering import format_number

from .builders import W_NS, add_numbering_definition, set_num_pr


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _numbering(levels: str, abstract_id: int = 91, num_id: int = 91, overrides: str = "") -> tuple[str, str]:
    abstract = f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">{levels}</w:abstractNum>'
    num = f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'
    return abstract, num


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


def _numbered_doc(items, levels: str, overrides: str = "", num_id: int = 91) -> str:
    document = docx.Document()
    abstract, num = _numbering(levels, num_id=num_id, overrides=overrides)
    add_numbering_definition(document, abstract, num)
    for level, text in items:
        paragraph = document.add_paragraph(text)
        if level is not None:
            set_num_pr(paragraph, num_id, level)
    return extract_text(_save(document), "a.docx").text


CN_LEVELS = (
    _lvl(0, "chineseCounting", "%1、", extra='<w:suff w:val="nothing"/>')
    + _lvl(1, "chineseCounting", "（%2）", extra='<w:suff w:val="nothing"/>')
    + _lvl(2, "decimal", "%3.")
)


def test_chinese_heading_numbers_from_numbering_xml_appear_in_the_text_and_restart_under_each_parent():
    text = _numbered_doc(
        [(0, "党委履行主体责任情况"), (1, "提高政治站位"), (1, "加强组织领导"), (0, "整改任务落实情况"),
         (1, "关于决策部署方面"), (2, "学习不深入"), (2, "制度不健全"), (1, "关于作风方面"), (2, "纪律松弛"),
         (None, "整改情况：已完成整改。")],
        CN_LEVELS,
    )
    assert text.split("\n") == [
        "一、党委履行主体责任情况", "（一）提高政治站位", "（二）加强组织领导", "二、整改任务落实情况",
        "（一）关于决策部署方面", "1.学习不深入", "2.制度不健全", "（二）关于作风方面", "1.纪律松弛",
        "整改情况：已完成整改。",
    ]


def test_counting_goes_past_ten_the_chinese_way():
    text = _numbered_doc([(0, f"第{i}项") for i in range(1, 13)], _lvl(0, "chineseCounting", "%1、"))
    assert [line.split("、")[0] for line in text.split("\n")] == [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


def test_start_values_and_start_overrides_are_honoured():
    text = _numbered_doc([(0, "甲"), (0, "乙")], _lvl(0, "decimal", "%1.", start=3))
    assert text == "3.甲\n4.乙"
    override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride>'
    text = _numbered_doc([(0, "甲"), (0, "乙")], _lvl(0, "decimal", "%1."), overrides=override)
    assert text == "7.甲\n8.乙"


def test_multi_level_labels_and_legal_numbering_combine_the_counters():
    levels = _lvl(0, "chineseCounting", "%1、") + _lvl(1, "decimal", "%1.%2", extra="<w:isLgl/>")
    text = _numbered_doc([(0, "总则"), (1, "范围"), (1, "依据")], levels)
    assert text == "一、总则\n1.1 范围\n1.2 依据"


def test_a_level_with_lvl_restart_zero_keeps_counting_across_parents():
    levels = _lvl(0, "chineseCounting", "%1、") + _lvl(1, "decimal", "%2、", extra='<w:lvlRestart w:val="0"/>')
    text = _numbered_doc([(0, "已整改"), (1, "甲"), (1, "乙"), (0, "正在整改"), (1, "丙")], levels)
    assert text == "一、已整改\n1、甲\n2、乙\n二、正在整改\n3、丙"


@pytest.mark.parametrize(
    "fmt, values, expected",
    [
        ("ideographDigital", (1, 10, 12), ["一", "一〇", "一二"]),
        ("chineseLegalSimplified", (1, 3, 12), ["壹", "叁", "壹拾贰"]),
        ("decimalEnclosedCircle", (1, 2, 10), ["①", "②", "⑩"]),
        ("ideographTraditional", (1, 2, 11), ["甲", "乙", "甲"]),
        ("upperRoman", (1, 4, 9), ["I", "IV", "IX"]),
        ("lowerLetter", (1, 2, 27), ["a", "b", "aa"]),
        ("decimalFullWidth", (1, 12, 3), ["１", "１２", "３"]),
        ("chineseCounting", (20, 21, 100), ["二十", "二十一", "一百"]),
    ],
)
def test_number_formats_render_like_word(fmt, values, expected):
    assert [format_number(v, fmt) for v in values] == expected


def test_numbering_inherited_from_a_paragraph_style_is_rendered():
    document = docx.Document()
    abstract, num = _numbering(_lvl(0, "chineseCounting", "%1、"))
    add_numbering_definition(document, abstract, num)
    style = document.styles.add_style("NoticeHeading", 1)  # WD_STYLE_TYPE.PARAGRAPH
    ppr = style.element.get_or_add_pPr()
    num_pr = etree.SubElement(ppr, qn("w:numPr"))
    etree.SubElement(num_pr, qn("w:numId")).set(qn("w:val"), "91")
    document.add_paragraph("履行主体责任情况", style="NoticeHeading")
    document.add_paragraph("正文")
    document.add_paragraph("整改落实情况", style="NoticeHeading")
    assert extract_text(_save(document), "a.docx").text == "一、履行主体责任情况\n正文\n二、整改落实情况"


def test_tables_come_out_in_document_order_with_cells_tab_separated():
    document = docx.Document()
    document.add_paragraph("前言")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([("序号", "问题", "整改情况"), ("1", "学习不深入", "已完成整改")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("结语")
    assert extract_text(_save(document), "a.docx").text == "前言\n序号\t问题\t整改情况\n1\t学习不深入\t已完成整改\n结语"


def test_merged_cells_are_read_once():
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "合并"
    table.cell(0, 1).text = "上"
    table.cell(1, 1).text = "下"
    table.cell(0, 0).paragraphs[0]  # noqa: B018 - merged cell keeps one paragraph
    text = extract_text(_save(document), "a.docx").text
    assert text.count("合并") == 1
    assert "上" in text and "下" in text


def test_a_cell_with_several_paragraphs_gives_one_line_each():
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "1.学习不深入。"
    cell.add_paragraph("整改落实情况：已完成整改。")
    cell.add_paragraph("")
    assert extract_text(_save(document), "a.docx").text == "1.学习不深入。\n整改落实情况：已完成整改。"


def test_tracked_deletions_are_left_out_and_insertions_and_links_kept():
    document = docx.Document()
    paragraph = document.add_paragraph("整改")
    p = paragraph._p
    w = f"{{{W_NS}}}"
    deleted = etree.SubElement(p, w + "del")
    etree.SubElement(etree.SubElement(deleted, w + "r"), w + "delText").text = "未"
    inserted = etree.SubElement(p, w + "ins")
    etree.SubElement(etree.SubElement(inserted, w + "r"), w + "t").text = "已完成"
    link = etree.SubElement(p, w + "hyperlink")
    etree.SubElement(etree.SubElement(link, w + "r"), w + "t").text = "（详见附件）"
    assert extract_text(_save(document), "a.docx").text == "整改已完成（详见附件）"


def test_line_breaks_and_tabs_inside_a_paragraph_are_kept():
    document = docx.Document()
    run = document.add_paragraph().add_run("联系电话：123")
    run.add_break()
    run.add_text("电子邮箱：a@b.cn")
    run.add_tab()
    run.add_text("完")
    assert extract_text(_save(document), "a.docx").text == "联系电话：123\n电子邮箱：a@b.cn\t完"


def test_a_docx_named_doc_is_read_as_docx_with_a_warning():
    document = docx.Document()
    document.add_paragraph("巡察整改情况")
    result = extract_text(_save(document), "通报.doc")
    assert result.format == "docx"
    assert result.text == "巡察整改情况"
    assert any(".doc" in w for w in result.warnings)


def test_hidden_text_is_left_out():
    document = docx.Document()
    paragraph = document.add_paragraph("已完成")
    paragraph.add_run("（内部备注）").font.hidden = True
    paragraph.add_run("整改。")
    assert extract_text(_save(document), "a.docx").text == "已完成整改。"


def test_a_start_override_on_a_deeper_level_survives_its_parent_advancing():
    levels = _lvl(0, "chineseCounting", "%1、") + _lvl(1, "decimal", "%2.")
    override = '<w:lvlOverride w:ilvl="1"><w:startOverride w:val="5"/></w:lvlOverride>'
    text = _numbered_doc([(0, "甲类"), (1, "问题"), (1, "问题")], levels, overrides=override)
    assert text == "一、甲类\n5.问题\n6.问题"
