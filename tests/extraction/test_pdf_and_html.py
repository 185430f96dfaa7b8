"""PDF line joining and web-page content selection, on small hand-made inputs."""
from __future__ import annotations

from notices.parsing.extract import extract_text
from notices.parsing.extract.layout import Line as _Line
from notices.parsing.extract.layout import assemble as _assemble

from . import builders

# --- PDF -------------------------------------------------------------------------

A4 = (595.0, 842.0)


def _page(*rows):
    """rows: (x0, x1, text); lines go down the page 20pt apart, 12pt high."""
    lines = []
    y = 760.0
    for x0, x1, text in rows:
        lines.append(_Line(text, x0, x1, y, y + 12))
        y -= 20
    return (*A4, lines)


def test_a_paragraph_wrapped_at_the_right_margin_is_joined_back():
    page = _page((96, 520, "一是医院党总支于2025年6月25日对贺信精神进行了补"), (72, 300, "学习，且已形成学习记录。"))
    assert _assemble([page]) == "一是医院党总支于2025年6月25日对贺信精神进行了补学习，且已形成学习记录。"


def test_a_short_line_ends_its_paragraph():
    page = _page((96, 520, "整改落实情况：已完成整改。一是对贺信精神进行了补学"), (72, 200, "习。"), (96, 300, "二是修订了计划。"))
    assert _assemble([page]) == "整改落实情况：已完成整改。一是对贺信精神进行了补学习。\n二是修订了计划。"


def test_an_indented_line_or_a_heading_after_a_full_line_starts_a_new_paragraph():
    page = _page(
        (72, 520, "按照巡察工作有关要求，现将巡察整改进展情况予以公布，请监督。"),
        (96, 400, "一、党委履行主体责任情况"),
        (72, 520, "巡察反馈后，医院党总支迅速启动整改筹备，召开专题会组建整改架"),
        (72, 300, "1.学习内容不聚焦，贯彻落实有差距。"),
    )
    assert _assemble([page]).split("\n") == [
        "按照巡察工作有关要求，现将巡察整改进展情况予以公布，请监督。",
        "一、党委履行主体责任情况",
        "巡察反馈后，医院党总支迅速启动整改筹备，召开专题会组建整改架",
        "1.学习内容不聚焦，贯彻落实有差距。",
    ]


def test_a_paragraph_continues_across_a_page_break_and_page_numbers_are_dropped():
    first = _page((96, 520, "对消毒供应中心环境管理和工作流程进行了规范和优"))
    first[2].append(_Line("- 1 -", 280, 310, 36, 46))
    second = _page((72, 200, "化，记录存档。"))
    assert _assemble([first, second]) == "对消毒供应中心环境管理和工作流程进行了规范和优化，记录存档。"


def test_english_words_split_by_wrapping_get_a_space():
    page = _page((96, 520, "医院信息系统升级为 Hospital"), (72, 300, "Information System。"))
    assert _assemble([page]) == "医院信息系统升级为 Hospital Information System。"


def test_a_real_pdf_keeps_the_title_lines_and_paragraphs(tmp_path):
    text = "关于巡察整改进展情况的通报\n" + "一、党委履行整改主体责任情况\n" + "巡察反馈后，" * 30 + "\n1.学习内容不聚焦。\n整改落实情况：已完成整改。"
    result = extract_text(builders.to_pdf(text), "a.pdf")
    assert result.text.split("\n") == text.split("\n")


# --- HTML ------------------------------------------------------------------------


def test_the_title_just_before_the_content_container_is_kept():
    page = """<html><body><div class="nav"><a href="/">首页</a><a href="/x">院务公开</a></div>
    <div class="wrap"><h1 class="title">某医院关于巡察整改进展情况的通报</h1>
    <div class="date">发布时间：2025-01-01</div>
    <div class="content"><p>根据市委统一部署，市委第三巡察组对我院进行了巡察。</p>
    <p>一、党委履行主体责任情况</p><p>院党委坚决扛起巡察整改政治责任，将其作为首要工作任务。</p>
    <p>二、巡察整改落实情况</p><p>1.严格落实上一轮巡察问题整改。已完成整改。</p></div></div>
    <div class="footer">版权所有 某医院 电话：0000-1234567</div></body></html>"""
    text = extract_text(page.encode(), "a.html").text
    lines = text.split("\n")
    assert lines[0] == "某医院关于巡察整改进展情况的通报"
    assert "1.严格落实上一轮巡察问题整改。已完成整改。" in lines
    assert "版权所有" not in text and "首页" not in text


def test_a_meta_charset_that_lies_is_overruled_with_a_warning():
    page = '<html><head><meta charset="utf-8"></head><body><p>巡察整改进展情况的通报，已完成整改。</p></body></html>'
    result = extract_text(page.encode("gbk"), "a.html")
    assert result.text == "巡察整改进展情况的通报，已完成整改。"
    assert result.encoding == "gb18030"
    assert result.warnings


def test_hanzi_split_across_source_lines_are_not_given_a_space():
    page = "<html><body><p>巡察整改\n  进展情况 report\n  通报</p></body></html>"
    assert extract_text(page.encode(), "a.html").text == "巡察整改进展情况 report 通报"


def test_a_word_single_file_web_page_is_unpacked():
    html = '<html><head><meta charset="gb2312"></head><body><p>一、巡察整改情况</p><p>1.问题。已完成整改。</p></body></html>'
    import base64

    mht = (
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; boundary="----=_NextPart_01"\r\n\r\n'
        "------=_NextPart_01\r\n"
        "Content-Location: file:///C:/notice.htm\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        'Content-Type: text/html; charset="gb2312"\r\n\r\n'
        + base64.encodebytes(html.encode("gbk")).decode()
        + "\r\n------=_NextPart_01--\r\n"
    ).encode("ascii")
    result = extract_text(mht, "通报.doc")
    assert result.format == "html"
    assert result.text == "一、巡察整改情况\n1.问题。已完成整改。"


def test_table_cells_in_a_page_are_tab_separated():
    page = "<html><body><table><tr><td>序号</td><td>问题</td></tr><tr><td>1</td><td>学习不深入</td></tr></table></body></html>"
    assert extract_text(page.encode(), "a.html").text == "序号\t问题\n1\t学习不深入"


def test_a_running_header_repeated_on_most_pages_is_dropped():
    pages = []
    for n in range(3):
        page = _page((96, 520, "巡察整改工作领导小组充分履行综合协调、督查督办职责。"), (96, 300, f"第{n + 1}页的正文。"))
        page[2].insert(0, _Line("中共某某医院委员会", 250, 350, 800, 812))
        pages.append(page)
    assert "中共某某医院委员会" not in _assemble(pages)
    assert _assemble(pages).count("第2页的正文。") == 1


def test_a_pdf_whose_streams_inflate_beyond_the_limit_is_refused():
    import pytest

    from notices.parsing.errors import NoticeFileError
    from notices.parsing.extract import ExtractContext, Limits

    data = builders.flate_bomb_pdf(8 * 1024 * 1024)
    assert len(data) < 64 * 1024
    small = ExtractContext(limits=Limits(max_inflated=4 * 1024 * 1024))  # the real limit is 256 MB; keep the test cheap
    with pytest.raises(NoticeFileError) as info:
        extract_text(data, "a.pdf", small)
    assert info.value.code == "limit_exceeded"
    assert info.value.message.startswith("文件过大或结构异常，已停止解析")


def test_a_line_broken_before_a_long_number_that_did_not_fit_is_joined_back():
    page = _page((96, 520, "整改落实情况：已完成整改。一是医院党总支于"), (72, 300, "0731-85668052（工作日）。"), (72, 520, "二是修订了"))
    page[2][0].x1 = 430  # a gap of 90pt at the end of the first line…
    page[2][1].lead = 110  # …because the 110pt-wide number on the next one did not fit
    assert _assemble([page]).split("\n")[0] == "整改落实情况：已完成整改。一是医院党总支于0731-85668052（工作日）。"


def test_a_justified_letter_spaced_line_reads_without_invented_spaces():
    text = "联系电话：0476-4335200；邮箱：ah@163.com。\n" + "巡察整改，" * 30 + "\n2025年10月20日"
    result = extract_text(builders.to_pdf(text, char_space=2.5), "a.pdf")
    assert result.text == text


def test_a_title_repeated_at_the_top_of_the_content_is_not_doubled():
    page = """<html><body><h1>某医院关于巡察整改进展情况的通报</h1><div class="content">
    <p>某医院关于巡察整改进展情况的通报</p><p>根据市委统一部署，市委第三巡察组对我院进行了巡察。</p>
    <p>一、党委履行主体责任情况</p><p>院党委坚决扛起巡察整改政治责任，将其作为首要工作任务。</p></div></body></html>"""
    text = extract_text(page.encode(), "a.html").text
    assert text.count("某医院关于巡察整改进展情况的通报") == 1


def test_a_page_saved_by_word_as_filtered_html_keeps_its_list_numbers():
    page = """<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312">
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
<style>p.MsoNormal {margin:0cm;}</style></head>
<body lang=ZH-CN style='text-justify-trim:punctuation'><div class=WordSection1>
<p class=MsoNormal align=center><b><span style='font-size:22.0pt'>关于巡察整改进展情况的通报<o:p></o:p></span></b></p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span>一、<span style='font:7.0pt'>&nbsp;</span></span><![endif]>党委履行主体责任情况<o:p></o:p></p>
<p class=MsoNormal style='text-indent:32.0pt'>院党委坚决扛起巡察整改政治责任，整改落实情况：已完成整改。<o:p></o:p></p>
</div></body></html>"""
    result = extract_text(page.encode("gbk"), "通报.htm")
    assert result.text.split("\n") == ["关于巡察整改进展情况的通报", "一、党委履行主体责任情况", "院党委坚决扛起巡察整改政治责任，整改落实情况：已完成整改。"]


def test_hidden_elements_are_left_out():
    page = """<html><body><div class="content"><p>一、巡察整改情况</p>
    <p style="display: none">澳门赌场在线开户</p><div hidden>隐藏内容</div>
    <p>1.学习不深入。整改落实情况：已完成整改。</p></div></body></html>"""
    assert extract_text(page.encode(), "a.html").text == "一、巡察整改情况\n1.学习不深入。整改落实情况：已完成整改。"
