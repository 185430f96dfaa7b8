"""Build upload variants of a sample notice at test time (nothing binary is committed).

Each builder takes the notice's text and returns the bytes a hospital could
plausibly upload: re-encoded text, a Word file (optionally with real Word
auto-numbering and a table), a web page wrapped in site chrome, a PDF drawn
with the built-in Chinese CID font.
"""
from __future__ import annotations

import functools
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


def wrap(paragraph: str, measure, usable: float, indent: float, prefix: str = "") -> list[tuple[float, str]]:
    """``(x offset, text)`` rows of a paragraph set in ``usable`` width, first line indented.

    Breaks anywhere between CJK characters but never inside a Latin word or
    a number, and never before closing punctuation (禁则: it hangs in the
    margin), as Word does.
    """
    rows: list[tuple[float, str]] = []
    line, avail = prefix, usable - indent
    for token in re.findall(r"[A-Za-z0-9@._\-]+|.", paragraph):
        if measure(line + token) > avail and line.strip() and token not in _NO_LINE_START:
            rows.append((indent if not rows else 0, line))
            line, avail = token, usable
        else:
            line += token
    rows.append((indent if not rows else 0, line))
    return rows


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

        def measure(s: str) -> float:
            return stringWidth(s, font, font_size) + char_space * len(s)

        for dx, row in wrap(paragraph, measure, usable, indent, "\u3000\u3000" if space_indent else ""):
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


@functools.lru_cache(maxsize=2)  # the 1 GiB one takes seconds to build; several tests share it
def _deflated_spaces(inflated: int) -> bytes:
    import zlib

    packer = zlib.compressobj(9)
    block = b" " * (1 << 20)
    return b"".join(packer.compress(block) for _ in range(inflated >> 20)) + packer.flush()


def _numbered_objects(objects: list[bytes], version: bytes) -> tuple[bytearray, list[int]]:
    """A PDF header and ``objects`` numbered from 1; the offset of each, for a cross-reference table."""
    out = bytearray(b"%PDF-" + version + b"\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    return out, offsets


def flate_bomb_pdf(inflated: int = 8 * 1024 * 1024, *, shape: str = "plain") -> bytes:
    """A one-page PDF whose content stream is megabytes of spaces deflated to a few KB.

    ``shape`` hides the bomb from a guard that looks for it by its shape:
    ``far_filter`` (the /Filter more than 512 bytes before ``stream``),
    ``indirect_filter`` (/Filter given by reference), ``cr_only`` (``stream``
    followed by a bare CR), ``double`` ([/FlateDecode /FlateDecode]),
    ``ascii85`` ([/ASCII85Decode /FlateDecode]: no zlib bytes in the file).
    """
    import base64
    import zlib

    body = _deflated_spaces(inflated)
    filters = b"/Filter /FlateDecode"
    eol = b"\n"
    extra: list[bytes] = []
    if shape == "far_filter":
        filters = b"/Filter /FlateDecode /Padding (" + b"x" * 2000 + b")"
    elif shape == "indirect_filter":
        filters = b"/Filter 6 0 R"
        extra.append(b"/FlateDecode")
    elif shape == "cr_only":
        eol = b"\r"
    elif shape == "double":
        body = zlib.compress(body, 9)
        filters = b"/Filter [/FlateDecode /FlateDecode]"
    elif shape == "ascii85":
        body = base64.a85encode(body, wrapcol=76) + b"~>"
        filters = b"/Filter [/ASCII85Decode /FlateDecode]"
    honest = zlib.compress(b"BT ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>",
        # a small honest stream right before the bomb, so a scanner must not skip past it
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(honest) + honest + b"\nendstream",
        b"<< /Length %d %s >>\nstream%s" % (len(body), filters, eol) + body + b"\nendstream",
        *extra,
    ]
    out, offsets = _numbered_objects(objects, b"1.4")
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def lzw_bomb(inflated: int) -> bytes:
    """LZWDecode data (EarlyChange 1) giving ``inflated`` spaces: each 12-bit code ends up worth 3,838 bytes."""
    codes, widths = [32], [9]
    table, width, run, out_len = 258, 9, 1, 1
    while table < 4096 and out_len < inflated:  # 258, 259, …: runs of 2, 3, … spaces, each longer than the last
        codes.append(table)
        widths.append(width)
        run += 1
        out_len += run
        table += 1
        if table + 1 >= (1 << width) and width < 12:
            width += 1
    while out_len < inflated:  # the table is full: repeat the longest run
        codes.append(table - 1)
        widths.append(width)
        out_len += run
    codes.append(257)
    widths.append(width)
    bits = nbits = 0
    out = bytearray()
    for code, w in zip(codes, widths):
        bits, nbits = (bits << w) | code, nbits + w
        while nbits >= 8:
            nbits -= 8
            out.append((bits >> nbits) & 0xFF)
            bits &= (1 << nbits) - 1
    if nbits:
        out.append((bits << (8 - nbits)) & 0xFF)
    return bytes(out)


def bomb_stream(kind: str, inflated: int) -> tuple[bytes, bytes]:
    """``(stream data, /Filter value)`` of a stream that decodes to ``inflated`` bytes, by encoding ``kind``."""
    import base64
    import binascii

    if kind == "flate":
        return _deflated_spaces(inflated), b"/FlateDecode"
    if kind == "ascii85_flate":
        return base64.a85encode(_deflated_spaces(inflated), wrapcol=76) + b"~>", b"[/ASCII85Decode /FlateDecode]"
    if kind == "escaped_names":  # /ASCII85Decode spelt with #xx escapes, which readers decode
        return base64.a85encode(_deflated_spaces(inflated)) + b"~>", b"[/ASCII#38#35Decode /Fl#61teDecode]"
    if kind == "asciihex_flate":
        return binascii.hexlify(_deflated_spaces(inflated)) + b">", b"[/ASCIIHexDecode /FlateDecode]"
    if kind == "lzw":
        return lzw_bomb(inflated), b"/LZWDecode"
    if kind == "run_length":
        return bytes([129, 32]) * (inflated // 128) + b"\x80", b"/RunLengthDecode"
    raise ValueError(kind)


def pdf_with_stream(body: bytes, filters: bytes, *, xref: str = "good", filter_in_object_stream: bool = False) -> bytes:
    """A one-page PDF whose content stream is ``body`` under ``/Filter filters``.

    ``xref``: ``good``; ``missing`` (no table at all: readers rebuild it by
    scanning); ``wrong`` (every offset off by three: readers ignore the
    entries or rebuild).  ``filter_in_object_stream`` puts the filter array
    in a compressed object stream and refers to it (``/Filter 6 0 R``).
    """
    import zlib

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    ]
    if filter_in_object_stream:
        packed = b"6 0 " + filters
        objstm = zlib.compress(packed)
        objects.append(b"<< /Length %d /Filter 6 0 R >>\nstream\n" % len(body) + body + b"\nendstream")
        objects.append(b"<< /Type /ObjStm /N 1 /First 4 /Length %d /Filter /FlateDecode >>\nstream\n" % len(objstm)
                       + objstm + b"\nendstream")
    else:
        objects.append(b"<< /Length %d /Filter %s >>\nstream\n" % (len(body), filters) + body + b"\nendstream")
    out, offsets = _numbered_objects(objects, b"1.5")
    start = len(out)
    size = len(objects) + 1
    if xref == "missing":
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\n%%%%EOF\n" % size
        return bytes(out)
    shift = 3 if xref == "wrong" else 0
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % (off + shift) for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, start)
    return bytes(out)


def compressible_docx(xml_bytes: int) -> bytes:
    """A .docx whose document.xml is ``xml_bytes`` of paragraphs that compress about 100:1.

    Under the old checks' 200:1 ratio, and honest about its size: the shape
    of the reported 0.88 MB file declaring 95 MB of XML.
    """
    import random

    import docx

    rng = random.Random(13)
    document = docx.Document()
    document.add_paragraph("关于巡察整改进展情况的通报")
    template = io.BytesIO()
    document.save(template)
    source = zipfile.ZipFile(io.BytesIO(template.getvalue()))
    paragraph = "<w:p><w:r><w:t>巡察整改落实情况已完成整改持续推进制度建设</w:t></w:r></w:p>".encode()
    blocks = []
    size = 0
    while size < xml_bytes:  # a little noise every 24 paragraphs keeps the ratio near 100:1
        block = paragraph * 24 + b'<w:p w:rsidR="%08X"/>' % rng.getrandbits(32)
        blocks.append(block)
        size += len(block)
    xml = source.read("word/document.xml").replace(b"</w:body>", b"".join(blocks) + b"</w:body>", 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            zf.writestr(info.filename, xml if info.filename == "word/document.xml" else source.read(info))
    return out.getvalue()


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


# --- OFD -------------------------------------------------------------------------

OFD_NS = "http://www.ofdspec.org/2016"


def to_ofd(text: str, *, size: float = 4.23) -> bytes:
    """An A4 OFD (GB/T 33190) laid out like ``to_pdf``: one TextObject per line, a template page, page numbers.

    Advances are written with DeltaX's ``g N v`` shorthand as OFD producers do;
    the page numbers sit at the foot of each page.
    """
    from html import escape

    width, height, margin = 210.0, 297.0, 25.4
    usable = width - 2 * margin
    leading = size * 1.6

    def measure(s: str) -> float:
        return sum(size * (0.5 if ch.isascii() else 1.0) for ch in s)

    pages: list[list[str]] = [[]]
    y = margin
    ids = iter(range(100, 10**7))

    def text_object(x: float, y: float, line: str, font_size: float = size) -> str:
        advances = [font_size * (0.5 if ch.isascii() else 1.0) for ch in line[:-1]]
        runs, i = [], 0
        while i < len(advances):  # compress equal advances: g N v
            j = i
            while j < len(advances) and advances[j] == advances[i]:
                j += 1
            runs.append(f"g {j - i} {advances[i]:g}" if j - i > 1 else f"{advances[i]:g}")
            i = j
        w = measure(line) + font_size
        return (f'<ofd:TextObject ID="{next(ids)}" Boundary="{x:.2f} {y - font_size:.2f} {w:.2f} {font_size * 1.4:.2f}" '
                f'Font="3" Size="{font_size}"><ofd:TextCode X="0" Y="{font_size:.2f}" DeltaX="{" ".join(runs)}">'
                f"{escape(line)}</ofd:TextCode></ofd:TextObject>")

    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            y += leading * 0.5
            continue
        for dx, row in wrap(paragraph, measure, usable, 2 * size):
            if y > height - margin:
                pages.append([])
                y = margin
            y += leading
            pages[-1].append(text_object(margin + dx, y, row))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.1" '
                    'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>'
                    "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        page_refs = "".join(f'<ofd:Page ID="{n + 1}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(pages)))
        zf.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}">'
                    f"<ofd:CommonData><ofd:MaxUnitID>{next(ids)}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 "
                    f"{width:g} {height:g}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
                    '<ofd:TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData>'
                    f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>")
        zf.writestr("Doc_0/PublicRes.xml", f'<ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts><ofd:Font ID="3" '
                    'FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')
        zf.writestr("Doc_0/Tpls/Tpl_0/Content.xml", f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer ID="4">'
                    "</ofd:Layer></ofd:Content></ofd:Page>")
        for n, objects in enumerate(pages):
            number = text_object(width / 2 - 5, height - 12, f"- {n + 1} -", 3.5)
            zf.writestr(f"Doc_0/Pages/Page_{n}/Content.xml",
                        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}">'
                        '<ofd:Template TemplateID="2" ZOrder="Background"/><ofd:Content>'
                        f'<ofd:Layer ID="{next(ids)}" Type="Body">{"".join(objects)}{number}</ofd:Layer>'
                        "</ofd:Content></ofd:Page>")
    return out.getvalue()


# --- legacy Word, through LibreOffice -------------------------------------------------


def soffice() -> str | None:
    from notices.parsing.extract.doc import soffice_path

    return soffice_path()


def docx_with_link(text: str, url: str) -> bytes:
    """A .docx whose last paragraph includes a picture by link (an INCLUDEPICTURE field) from ``url``."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    field = (f'<w:fldSimple xmlns:w="{W_NS}" w:instr=\' INCLUDEPICTURE "{url}" \\d \'>'
             "<w:r><w:t>[图片]</w:t></w:r></w:fldSimple>")
    document.add_paragraph()._p.append(parse_xml(field))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_doc(text: str, *, docx_bytes: bytes | None = None) -> bytes:
    """A Word 97-2003 .doc of the notice, saved by LibreOffice from the .docx variant."""
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory(prefix="rectify-build-doc-") as tmp:
        work = Path(tmp)
        (work / "notice.docx").write_bytes(docx_bytes or to_docx(text)[0])
        subprocess.run(
            [soffice(), "--headless", "--norestore", f"-env:UserInstallation={(work / 'profile').as_uri()}",
             "--convert-to", "doc:MS Word 97", "--outdir", str(work / "out"), str(work / "notice.docx")],
            check=True, capture_output=True, timeout=120,
        )
        return (work / "out" / "notice.doc").read_bytes()


# --- scans and photos ------------------------------------------------------------------


def cjk_font() -> tuple[str, int] | None:
    """``(file, face index)`` of a Simplified Chinese font on this machine (a serif, like 宋体, if any), or None.

    Japanese faces draw some simplified characters differently (门 without its
    dot), which no Chinese print does: only an SC face will do.
    """
    import subprocess

    try:
        out = subprocess.run(["fc-list", "-f", "%{file}|%{index}|%{family[0]}\\n", ":lang=zh-cn"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    faces = []
    for line in out.stdout.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].endswith(" SC") and "Mono" not in parts[2]:
            faces.append((parts[2].find("Serif") < 0, "Bold" in parts[0], parts[0], int(parts[1] or 0)))
    if not faces:
        return None
    _serif, _bold, path, index = sorted(faces)[0]
    return path, index


def printed(text: str) -> str:
    """What of the sample's text reaches paper: not the conversion's bookmark tags or Markdown bold marks."""
    return re.sub(r"\[bookmark:[^\]]*\]", "", text).replace("**", "")


def print_pages(text: str, dpi: int = 200):
    """The notice printed on A4 as ``to_pdf`` lays it out, as page images (PIL), in a Chinese font."""
    from PIL import Image, ImageDraw, ImageFont

    path, index = cjk_font()
    px = dpi / 72
    width, height, margin = round(595 * px), round(842 * px), 72 * px
    size = 12 * px
    font = ImageFont.truetype(path, round(size), index=index)
    small = ImageFont.truetype(path, round(10 * px), index=index)
    leading = size * 1.6

    def measure(s: str) -> float:
        return font.getlength(s)

    text = printed(text)
    pages, page, y = [], None, None

    def new_page():
        nonlocal page, y
        page = Image.new("RGB", (width, height), "white")
        pages.append(page)
        y = margin

    new_page()
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            y += leading * 0.5
            continue
        for dx, row in wrap(paragraph, measure, width - 2 * margin, 2 * size):
            if y > height - margin - size:
                new_page()
            ImageDraw.Draw(page).text((margin + dx, y), row, fill="black", font=font)
            y += leading
    for n, page in enumerate(pages, start=1):
        ImageDraw.Draw(page).text((width / 2, height - 36 * px), f"- {n} -", fill="black", font=small, anchor="mm")
    return pages


def scan_effects(page, *, angle: float, seed: int, seal: bool = False):
    """What a scanner does to a printed page: grey paper, a slight turn, specks; a red seal over the signature."""
    import random

    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    page = page.convert("RGB")
    if seal:
        page = add_seal(page)
    paper = Image.new("RGB", page.size, (242, 240, 234))
    page = Image.composite(page, paper, page.convert("L").point(lambda v: 255 if v < 250 else 0))
    page = page.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=(242, 240, 234))
    draw = ImageDraw.Draw(page)
    w, h = page.size
    for _ in range(400):
        x, y, r = rng.randrange(w), rng.randrange(h), rng.choice((1, 1, 1, 2))
        draw.ellipse((x, y, x + r, y + r), fill=(60, 60, 60))
    return page.filter(ImageFilter.GaussianBlur(0.5))


def add_seal(page):
    """A round red 公章 over the last lines of text (the signature and date), multiplied onto the page."""
    from PIL import Image, ImageChops, ImageDraw, ImageFont

    body = page.convert("L").crop((0, 0, page.width, int(page.height * 0.9)))  # above the page number
    box = body.point(lambda v: 255 if v < 128 else 0).getbbox() or (0, 0, page.width, page.height)
    radius = page.width // 9
    cx, cy = box[0] + radius * 2.4, box[3] - radius * 0.6  # over the signature and the date
    stamp = Image.new("RGB", page.size, (255, 255, 255))
    draw = ImageDraw.Draw(stamp)
    red = (215, 30, 40)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=max(4, radius // 14))
    star = [(cx + radius * 0.3 * _cos(a), cy - radius * 0.3 * _sin(a)) for a in range(90, 450, 72)]
    draw.polygon([star[i * 2 % 5] for i in range(5)], fill=red)
    face = cjk_font()
    if face:
        font = ImageFont.truetype(face[0], radius // 4, index=face[1])
        for i, ch in enumerate("某某医院委员会"):
            a = 200 - i * 23
            draw.text((cx + radius * 0.72 * _cos(a), cy - radius * 0.72 * _sin(a)), ch, fill=red, font=font, anchor="mm")
    return ImageChops.multiply(page, stamp)


def _cos(deg: float) -> float:
    import math

    return math.cos(math.radians(deg))


def _sin(deg: float) -> float:
    import math

    return math.sin(math.radians(deg))


def images_to_pdf(images, *, dpi: int = 200, quality: int = 80) -> bytes:
    """An image-only PDF, one JPEG page per image (what a scanner's "scan to PDF" writes)."""
    out = io.BytesIO()
    first, *rest = [im.convert("RGB") for im in images]
    first.save(out, "PDF", save_all=True, append_images=rest, resolution=dpi, quality=quality)
    return out.getvalue()


def to_scanned_pdf(text: str, *, dpi: int = 200, seed: int = 0) -> bytes:
    """The notice printed, sealed on its last page, and scanned: no text layer at all.

    Pages are drawn from the same layout as ``to_pdf`` rather than rendered
    from it: that PDF does not embed its font, and every renderer here
    substitutes a Japanese face for it.
    """
    pages = print_pages(text, dpi)
    angles = (0.6, -0.4, 0.3, -0.7, 0.5)
    scanned = [
        scan_effects(page, angle=angles[(seed + i) % len(angles)], seed=seed * 100 + i, seal=i == len(pages) - 1)
        for i, page in enumerate(pages)
    ]
    return images_to_pdf(scanned, dpi=dpi)


def to_photo(text: str, *, dpi: int = 150, turn: int = 90) -> bytes:
    """A phone photo of the first page, taken sideways: a JPEG turned by ``turn`` degrees."""
    page = scan_effects(print_pages(text, dpi)[0], angle=1.0, seed=7)
    out = io.BytesIO()
    page.rotate(turn, expand=True).save(out, "JPEG", quality=85)
    return out.getvalue()


def big_xml_docx(xml_bytes: int) -> bytes:
    """A real .docx whose document.xml is ``xml_bytes`` of ordinary-looking paragraphs.

    It compresses about 10:1 — far from the ratio of a zip bomb — and declares
    its true size, so only a limit on what one XML part may inflate to stops it.
    """
    import random

    import docx

    rng = random.Random(5)
    words = ["巡察整改", "落实情况", "已完成", "持续推进", "制度建设", "党委", "医院", "问题反馈", "专项检查", "台账"]
    document = docx.Document()
    document.add_paragraph("关于巡察整改进展情况的通报")
    template = io.BytesIO()
    document.save(template)
    source = zipfile.ZipFile(io.BytesIO(template.getvalue()))
    paragraphs = []
    size = 0
    while size < xml_bytes:
        text = "".join(rng.choice(words) for _ in range(12))
        p = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
        paragraphs.append(p)
        size += len(p.encode())
    xml = source.read("word/document.xml").decode()
    xml = xml.replace("</w:body>", "".join(paragraphs) + "</w:body>", 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            data = xml.encode() if info.filename == "word/document.xml" else source.read(info)
            zf.writestr(info.filename, data)
    return out.getvalue()


def nested_tags_html(depth: int) -> bytes:
    return (b"<html><body>" + b"<div>" * depth + "巡察整改".encode() + b"</div>" * depth + b"</body></html>")


def huge_png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width``×``height`` pixels but carries almost no data."""
    import struct
    import zlib

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b"")
