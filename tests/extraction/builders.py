"""Build upload variants of a sample notice at test time (nothing binary is committed).

Each builder takes the notice's text and returns the bytes a hospital could
plausibly upload: re-encoded text, a Word file (optionally with real Word
auto-numbering and a table), a web page wrapped in site chrome, a PDF drawn
with the built-in Chinese CID font.
"""
from __future__ import annotations

import io
import re
import zipfile

# --- text encodings ------------------------------------------------------------


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if encoding == "utf-16":  # with BOM (LE, as Windows Notepad writes it)
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(encoding)


def traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2tw").convert(text)


# --- docx ------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_CN = "一二三四五六七八九十"
_LEVEL_PATTERNS = (
    (0, re.compile(r"^([一二三四五六七八九十]{1,3})、(.*)$", re.S)),
    (1, re.compile(r"^（([一二三四五六七八九十]{1,3})）(.*)$", re.S)),
    (2, re.compile(r"^(\d{1,2})\.(.*)$", re.S)),
)


def _cn_value(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if len(s) == 1:
        return _CN.index(s) + 1 if s in _CN else None
    if s[0] == "十":
        return 10 + _CN.index(s[1]) + 1 if len(s) == 2 and s[1] in _CN[:9] else None
    if len(s) == 2 and s[1] == "十":
        return (_CN.index(s[0]) + 1) * 10
    if len(s) == 3 and s[1] == "十":
        return (_CN.index(s[0]) + 1) * 10 + _CN.index(s[2]) + 1
    return None


_NUMBERING_XML = f"""
<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
"""
_NUM_XML = f'<w:num xmlns:w="{W_NS}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'


def add_numbering_definition(document, abstract_xml: str = _NUMBERING_XML, num_xml: str = _NUM_XML) -> None:
    """Append an abstractNum/num pair to the document's numbering part (abstractNums first, as Word requires)."""
    from lxml import etree

    numbering = document.part.numbering_part.element
    abstract = etree.fromstring(abstract_xml)
    first_num = numbering.find(f"{{{W_NS}}}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(etree.fromstring(num_xml))


def set_num_pr(paragraph, num_id: int, ilvl: int) -> None:
    from docx.oxml.ns import qn
    from lxml import etree

    ppr = paragraph._p.get_or_add_pPr()
    num_pr = etree.SubElement(ppr, qn("w:numPr"))
    il = etree.SubElement(num_pr, qn("w:ilvl"))
    il.set(qn("w:val"), str(ilvl))
    nid = etree.SubElement(num_pr, qn("w:numId"))
    nid.set(qn("w:val"), str(num_id))


def to_docx(text: str, *, auto_numbering: bool = False, table_lines: tuple[int, int] | None = None) -> tuple[bytes, int]:
    """A Word file with one paragraph per line.

    ``auto_numbering``: headings whose printed number is exactly what Word's
    counters would show become numbered paragraphs (number removed from the
    text, ``w:numPr`` added), as if typed with the list buttons.
    ``table_lines=(start, stop)``: those lines go into a one-column table, a
    row each.  Returns ``(bytes, number_of_auto_numbered_paragraphs)``.
    """
    import docx

    document = docx.Document()
    if auto_numbering:
        add_numbering_definition(document)
    counters: dict[int, int] = {}
    numbered = 0
    lines = text.split("\n")
    table = None
    for index, line in enumerate(lines):
        in_table = table_lines is not None and table_lines[0] <= index < table_lines[1]
        level = body = None
        if auto_numbering:
            for lvl, pattern in _LEVEL_PATTERNS:
                m = pattern.match(line)
                if m:
                    value = _cn_value(m.group(1))
                    expected = counters.get(lvl, 0) + 1
                    if value == expected:
                        level, body = lvl, m.group(2)
                    break
        if in_table:
            if table is None:
                table = document.add_table(rows=0, cols=1)
            paragraph = table.add_row().cells[0].paragraphs[0]
        else:
            table = None
            paragraph = document.add_paragraph()
        if level is not None:
            counters[level] = counters.get(level, 0) + 1
            for deeper in [k for k in counters if k > level]:
                del counters[deeper]
            set_num_pr(paragraph, 90, level)
            paragraph.add_run(body)
            numbered += 1
        else:
            paragraph.add_run(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), numbered


# --- html ------------------------------------------------------------------------


def to_html(text: str, *, charset: str = "utf-8", encoding: str | None = None) -> bytes:
    """The notice inside a typical hospital site page: nav, breadcrumb, sidebar, footer, scripts."""
    from html import escape

    body = "\n".join(f"<p>{escape(line)}</p>" if line.strip() else "<p>&nbsp;</p>" for line in text.split("\n"))
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>巡察整改进展情况通报-院务公开-某某市人民医院</title>
<style>.nav li{{float:left}} body{{font-family:"宋体"}}</style>
<script>var _hmt=_hmt||[];document.write("统计代码加载中");</script>
</head>
<body>
<div class="header"><div class="logo"><img src="logo.png" alt="某某市人民医院">某某市人民医院</div>
<div class="search"><input type="text" value="请输入关键字"><button>搜索</button></div></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/yygk">医院概况</a></li>
<li><a href="/ywgk">院务公开</a></li><li><a href="/ksdh">科室导航</a></li><li><a href="/zjjs">专家介绍</a></li>
<li><a href="/jzzn">就诊指南</a></li><li><a href="/dj">党建工作</a></li></ul></div>
<div class="main">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/ywgk">院务公开</a> &gt; 通知公告</div>
<div class="left-side"><h3>院务公开</h3><ul>
<li><a href="/a/1">关于调整门诊时间的通知</a></li><li><a href="/a/2">我院召开党风廉政建设工作会议</a></li>
<li><a href="/a/3">医院举办护士节表彰大会</a></li><li><a href="/a/4">关于开展义诊活动的公告</a></li></ul></div>
<div class="article">
<div class="info">发布者：党办　　浏览次数：<span id="hits">1024</span></div>
<div class="content" id="zoom">
{body}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
<div class="prenext"><p>上一篇：<a href="/a/5">关于公布医院收费标准的公告</a></p><p>下一篇：<a href="/a/6">医院开展消防安全演练</a></p></div>
</div></div>
<div class="footer"><p>版权所有 © 2024 某某市人民医院　地址：某某市健康路99号　电话：0000-88886666</p>
<p>技术支持：某某网络科技有限公司　备案号：某ICP备12345678号</p></div>
<script src="/js/jquery.min.js"></script><script>$(function(){{ }});</script>
</body></html>"""
    return page.encode(encoding or charset)


# --- pdf -------------------------------------------------------------------------


def _register_cid_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    name = "STSong-Light"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    return name


_NO_LINE_START = set("，。、；：？！）》」』”’…%")


def to_pdf(
    text: str, *, font_size: float = 12, page_numbers: bool = True, char_space: float = 0, space_indent: bool = False
) -> bytes:
    """An A4 PDF like Word's export: paragraphs wrapped at the margin, first line indented two characters.

    ``char_space`` letter-spaces every line (as justified CJK text is);
    ``space_indent`` indents with two drawn full-width spaces instead of moving the line.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    font = _register_cid_font()
    width, height = A4
    margin = 72
    usable = width - 2 * margin
    leading = font_size * 1.6
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    page = 1

    def start_page():
        c.setFont(font, font_size)
        return height - margin

    y = start_page()

    def finish_page():
        nonlocal page
        if page_numbers:
            c.setFont(font, 10)
            c.drawCentredString(width / 2, 36, f"- {page} -")
        c.showPage()
        page += 1

    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            y -= leading * 0.5
            continue
        indent = 0 if space_indent else 2 * font_size
        line = "\u3000\u3000" if space_indent else ""
        rows = []
        avail = usable - indent

        def measure(s: str) -> float:
            return stringWidth(s, font, font_size) + char_space * len(s)

        # Break anywhere between CJK characters but never inside a Latin word
        # or a number, as Word does.
        for token in re.findall(r"[A-Za-z0-9@._\-]+|.", paragraph):
            # Closing punctuation never starts a line (禁则): it hangs in the margin, as in Word.
            if measure(line + token) > avail and line.strip() and token not in _NO_LINE_START:
                rows.append((indent if not rows else 0, line))
                line, avail = token, usable
            else:
                line += token
        rows.append((indent if not rows else 0, line))
        for dx, row in rows:
            if y < margin:
                finish_page()
                y = start_page()
            if char_space:
                t = c.beginText(margin + dx, y)
                t.setFont(font, font_size)
                t.setCharSpace(char_space)
                t.textOut(row)
                c.drawText(t)
            else:
                c.drawString(margin + dx, y, row)
            y -= leading
    finish_page()
    c.save()
    return out.getvalue()


def drawing_only_pdf() -> bytes:
    """A 'scan': vector shapes and an image, no text at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (200, 100), 255)
    ImageDraw.Draw(image).rectangle((20, 20, 180, 80), outline=0, width=3)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.rect(72, 600, 300, 100)
    c.line(72, 500, 500, 500)
    c.drawImage(ImageReader(image), 72, 300, width=200, height=100)
    c.showPage()
    c.save()
    return out.getvalue()


def encrypted_pdf(source: bytes, *, user_password: str, owner_password: str = "owner-secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(source)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- hostile zips ------------------------------------------------------------------


def ratio_bomb_docx(size: int = 3 * 1024 * 1024) -> bytes:
    """A docx-shaped zip whose document.xml is megabytes of one repeated byte (ratio ≫ 200)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<" + b"a" * size + b"/>")
    return out.getvalue()


def declared_huge_docx(declared: int = 150 * 1024 * 1024) -> bytes:
    """A small zip whose central directory claims a 150 MB member (cheap to build, absurd to inflate)."""
    out = io.BytesIO()
    zf = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    zf.writestr("[Content_Types].xml", "<Types/>")
    zf.writestr("word/document.xml", "<w:document/>")
    zf.writestr("word/media/image1.png", b"\x00" * 4096)
    zf.infolist()[-1].file_size = declared
    zf.close()
    return out.getvalue()


def flate_bomb_pdf(inflated: int = 8 * 1024 * 1024) -> bytes:
    """A one-page PDF whose content stream is megabytes of spaces deflated to a few KB."""
    import zlib

    packer = zlib.compressobj(9)
    block = b" " * (1 << 20)
    body = b"".join(packer.compress(block) for _ in range(inflated >> 20)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>",
        # a small honest stream right before the bomb, so a scanner must not skip past it
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(zlib.compress(b"BT ET")) + zlib.compress(b"BT ET") + b"\nendstream",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def to_table_layout_html(text: str) -> bytes:
    """An older CMS page: nested layout tables, <br>-separated lines, GBK without a declared charset."""
    from html import escape

    body = "<br>\n".join("&nbsp;&nbsp;&nbsp;&nbsp;" + escape(line) for line in text.split("\n"))
    page = f"""<html><head><title>通知公告</title></head>
<body topmargin=0><table width=1000 align=center><tr><td><img src=banner.jpg></td></tr>
<tr><td><table width=100%><tr>
<td width=200 valign=top class=leftbg><a href=/>网站首页</a><br><a href=/news>新闻动态</a><br><a href=/gk>院务公开</a><br>
<a href=/zp>人才招聘</a><br><a href=/lx>联系我们</a></td>
<td valign=top><table width=100%><tr><td class=bt align=center></td></tr>
<tr><td class=nr style="line-height:28px">{body}</td></tr>
<tr><td align=right>【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
</table></td></tr></table></td></tr>
<tr><td align=center class=foot>某某县人民医院 版权所有 地址：某某县人民路1号 电话：0000-7654321<br>
<script>document.write(unescape("%3Cspan%3E%u7EDF%u8BA1%3C/span%3E"));</script></td></tr></table></body></html>"""
    return page.encode("gb18030")
