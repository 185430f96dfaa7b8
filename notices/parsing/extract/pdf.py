"""PDF: the text layer through PDFium (pypdfium2); pages without one go to OCR.

PDFium reads the text with each character's box, in a few milliseconds per
notice (pdfminer needed 120–300 ms, mostly in its layout analysis of CJK
fonts).  Lines come from PDFium's own line breaks; their boxes feed
``layout.assemble``, which joins wrapped paragraphs and drops page numbers
and running headers.  PDFium does not invent spaces between letter-spaced
CJK characters (pdfminer did).

A page with (almost) no text but an image is a scan: it is rendered and
recognised by ``ocr`` (bounded by ``Limits.max_ocr_pages`` and
``max_pixels``), and the notice is marked as OCR'd.

Every stream is decoded under a byte budget by ``pdfguard`` before PDFium
sees the file.  Encrypted files open with the empty password (owner-only
passwords are common).  PDFium is told not to load system fonts: glyph
shapes do not matter for reading text, and measuring every glyph of a
substitute for a non-embedded Chinese font costs ten times more than
reading the document.  Without a substitute, though, a text object made
only of such glyphs has no extent and PDFium leaves it out of the text (a
lone 「面」 or 「。」 wrapped onto its own line); a document with such an
object is read again with the system fonts.
"""
from __future__ import annotations

import logging
import re

from ..errors import NoticeFileError
from ._text import chinese_plausibility, normalize_text
from .base import DEFAULT_CONTEXT, ExtractContext, ExtractedText
from .budget import limit_exceeded
from .layout import Line, Page, assemble, lead_chars
from .pdfguard import check_pdf

FORMAT = "pdf"

NO_TEXT = "该PDF中没有可读取的文字：没有文字层，OCR也未识别出文字（可能是空白页或图片不清晰），请上传文字版或更清晰的扫描件"
_ENCRYPTED = "该PDF已加密（设置了打开密码），无法读取，请上传未加密的版本"
_TRUNCATED = "PDF文件不完整（可能上传或下载中断），请重新获取完整文件后上传"
_CORRUPT = "PDF文件已损坏，无法读取，请重新导出PDF后上传"

# Share of plausible characters below which the text layer is mojibake.
GARBLED_BELOW = 0.7
# A page with fewer visible characters than this, and an image, is a scan.
SCAN_MAX_CHARS = 20

_LINE_RE = re.compile(r"[^\r\n]+")

logger = logging.getLogger(__name__)
_fonts_on: bool | None = None


def extract(data: bytes, ctx: ExtractContext = DEFAULT_CONTEXT) -> ExtractedText:
    if b"%%EOF" not in data[-4096:]:
        raise NoticeFileError(_TRUNCATED, code="truncated")
    limits = ctx.limits
    guard = check_pdf(data, limits)
    try:
        return _extract(data, ctx, guard, fonts=False)
    except _NeedsFonts:
        logger.info("pdf: a text object has no extent without fonts; reading again with system fonts")
        return _extract(data, ctx, guard, fonts=True)


class _NeedsFonts(Exception):
    pass


def _extract(data: bytes, ctx: ExtractContext, guard, *, fonts: bool) -> ExtractedText:
    limits = ctx.limits
    _system_fonts(fonts)
    document = _open(data)
    try:
        count = len(document)
        if count > limits.max_pages:
            raise limit_exceeded(f"PDF共{count}页，超过{limits.max_pages}页的上限")
        pages, scans = _read_pages(document, limits, fonts)
        warnings: list[str] = []
        confidence = None
        if scans:
            from . import ocr

            if len(scans) > limits.max_ocr_pages:
                raise NoticeFileError(ocr.too_many_pages_message(len(scans), limits.max_ocr_pages), code="ocr_too_many_pages")
            if guard.largest_image > 4 * limits.max_pixels:
                raise ocr.too_many_pixels(guard.largest_image, limits.max_pixels)
            recognised = ocr.recognise_pdf_pages(document, scans, ctx)
            for index, page in zip(scans, recognised.pages):
                pages[index] = page
            confidence = recognised.confidence
            warnings += recognised.warnings
            if len(scans) < count:
                warnings.append(f"PDF共{count}页，其中{len(scans)}页是扫描图片，已用OCR识别")
    finally:
        document.close()

    text = normalize_text(assemble(pages))
    if len(text) > limits.max_chars:
        raise limit_exceeded(f"提取出的文字超过{limits.max_chars}个字符")
    if not text.strip():
        raise NoticeFileError(NO_TEXT, code="no_text_layer")
    if not scans:
        score, _han = chinese_plausibility(text)
        if score < GARBLED_BELOW:
            # Fonts whose glyphs map to the wrong code points (no or broken
            # ToUnicode): the "text" is private-use characters and rare hanzi.
            raise NoticeFileError(
                "该PDF的文字编码异常，提取出来是乱码（复制粘贴也会是乱码），请上传Word版或重新导出PDF", code="garbled"
            )
    return ExtractedText(
        text=text, format=FORMAT, warnings=warnings, pages=count,
        text_source="ocr" if scans else "text", ocr_confidence=confidence,
    )


def _open(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data, password="")
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (4, 5):  # FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY
            raise NoticeFileError(_ENCRYPTED, code="encrypted") from exc
        raise NoticeFileError(_CORRUPT, code="corrupt") from exc


def _system_fonts(on: bool) -> None:
    global _fonts_on
    if _fonts_on is on:
        return
    import pypdfium2.raw as raw

    # PDFium releases the font info it is given when it is replaced: a fresh one each time.
    raw.FPDF_SetSystemFontInfo(raw.FPDF_GetDefaultSystemFontInfo() if on else None)
    _fonts_on = on


def _has_shapeless_text(page) -> bool:
    """Whether a text object on ``page`` has no extent (its glyphs had no font to measure them by)."""
    import ctypes

    import pypdfium2.raw as raw

    handle = page.raw
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for k in range(raw.FPDFPage_CountObjects(handle)):
        obj = raw.FPDFPage_GetObject(handle, k)
        if raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_TEXT:
            if raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top) and right.value <= left.value:
                return True
    return False


def _read_pages(document, limits, fonts: bool) -> tuple[list[Page], list[int]]:
    """Every page's text lines; and the indexes of pages that are scans."""
    import pypdfium2.raw as raw

    pages: list[Page] = []
    scans: list[int] = []
    chars = 0
    for index in range(len(document)):
        page = document[index]
        try:
            width, height = page.get_size()
            if not fonts and _has_shapeless_text(page):
                raise _NeedsFonts
            textpage = page.get_textpage()
            try:
                lines = _page_lines(textpage)
            finally:
                textpage.close()
            visible = sum(len(ln.text.strip()) for ln in lines)
            chars += visible
            if chars > limits.max_chars:
                raise limit_exceeded(f"提取出的文字超过{limits.max_chars}个字符")
            if visible < SCAN_MAX_CHARS and any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3)):
                scans.append(index)
                lines = []
        finally:
            page.close()
        pages.append((width, height, lines))
    return pages, scans


def _page_lines(textpage) -> list[Line]:
    import pypdfium2.raw as raw

    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    if len(text) != count:
        # Characters outside the BMP take two UTF-16 units: map index by index.
        text = "".join(chr(raw.FPDFText_GetUnicode(handle, i) or 0xFFFD) for i in range(count))
    rect = raw.FS_RECTF()

    def box(i: int) -> tuple[float, float, float, float]:
        raw.FPDFText_GetLooseCharBox(handle, i, rect)
        return rect.left, rect.right, rect.bottom, rect.top

    lines: list[Line] = []
    for m in _LINE_RE.finditer(text):
        s = m.group()
        body = s.rstrip()
        if not body.strip():
            continue
        first, last = m.start(), m.start() + len(body) - 1
        x0, _r0, b0, t0 = box(first)
        _l1, x1, b1, t1 = box(last)
        if t0 <= b0:  # a generated character has no box: fall back to the last one's
            b0, t0 = b1, t1
        indent = len(body) - len(body.lstrip())
        lead = 0.0
        n = lead_chars(body[indent:])
        if n:
            start = box(first + indent)[0]
            lead = max(0.0, box(first + indent + n - 1)[1] - start)
        lines.append(Line(body, x0, max(x1, x0), min(b0, b1), max(t0, t1), lead))
    return lines
