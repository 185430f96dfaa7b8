"""PDF with a text layer, via pdfminer.six (good with CJK CID fonts).

Lines are read with their positions so that a paragraph wrapped by the page
width is joined back: a line that reaches the right margin continues into a
next line that starts at the left margin (not indented, not a heading such as
「一、」「（二）」「3.」).  Anything less certain keeps its line break; the
structure parser repairs the rest.  Page numbers at the top/bottom of a page
(「- 3 -」「第3页 共9页」) are dropped.

Encrypted files are opened with the empty password (owner-password-only PDFs
are common); pypdf is the fallback for encryption pdfminer cannot handle.
"""
from __future__ import annotations

import io
import re
import statistics
from dataclasses import dataclass

from ..errors import NoticeFileError
from ._text import chinese_plausibility, normalize_text
from .base import ExtractedText

FORMAT = "pdf"

NO_TEXT_LAYER = "该PDF没有文字层（可能是扫描件），请上传文字版"
_ENCRYPTED = "该PDF已加密（设置了打开密码），无法读取，请上传未加密的版本"
_TRUNCATED = "PDF文件不完整（可能上传或下载中断），请重新获取完整文件后上传"
_CORRUPT = "PDF文件已损坏，无法读取，请重新导出PDF后上传"

MAX_PAGES = 500
# Share of plausible characters below which the text layer is mojibake.
GARBLED_BELOW = 0.7
# Decompressed size of all Flate streams together; a notice PDF with fonts is a few MB.
MAX_INFLATED = 256 * 1024 * 1024

_PAGE_NUMBER_RE = re.compile(
    r"^[\s\-—–－―·•]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:[/／]\s*\d{1,4}|共\s*\d{1,4}\s*页)?[\s\-—–－―·•]*$"
)
_HEADING_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十百\d]+[)）]|\d{1,3}\s*[.、．]|第[一二三四五六七八九十百\d]+[章节条部分项]|[①-⑳])"
)
_CID_RE = re.compile(r"\(cid:\d+\)")


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    lead: float = 0.0  # width of the first unbreakable token (a Latin word, a number, one hanzi)


def extract(data: bytes) -> ExtractedText:
    tail = data[-4096:]
    if b"%%EOF" not in tail:
        raise NoticeFileError(_TRUNCATED, code="truncated")

    _check_inflated_size(data)
    warnings: list[str] = []
    pages = _read_pages(data, warnings)
    if not pages:
        raise NoticeFileError(_CORRUPT, code="corrupt")

    text = _assemble(pages)
    cids = len(_CID_RE.findall(text))
    if cids:
        plain = _CID_RE.sub("", text)
        if cids * 2 > len(re.sub(r"\s", "", plain)):
            raise NoticeFileError(
                "该PDF的字体缺少文字编码，无法提取文字（复制出来会是乱码），请上传Word版或重新导出PDF", code="no_text"
            )
        warnings.append(f"PDF中有{cids}个字符的字体缺少文字编码，已略去，请核对原文")
        text = plain
    text = normalize_text(text)
    if not text.strip():
        raise NoticeFileError(NO_TEXT_LAYER, code="no_text_layer")
    score, _han = chinese_plausibility(text)
    if score < GARBLED_BELOW:
        # Fonts whose glyphs map to the wrong code points (no or broken
        # ToUnicode): the "text" is private-use characters and rare hanzi.
        raise NoticeFileError(
            "该PDF的文字编码异常，提取出来是乱码（复制粘贴也会是乱码），请上传Word版或重新导出PDF", code="garbled"
        )
    return ExtractedText(text=text, format=FORMAT, encoding=None, warnings=warnings)


_STREAM_RE = re.compile(rb"(?<!end)stream\r?\n")


def _check_inflated_size(data: bytes) -> None:
    """Refuse a "PDF bomb": Flate streams that inflate to absurd sizes.

    pdfminer inflates each stream whole and in memory, so the streams are
    inflated here first, in 1 MB steps and discarding the output, stopping
    as soon as the total passes ``MAX_INFLATED``.  Streams that fail to
    inflate are left to pdfminer to judge.
    """
    import zlib

    total = 0
    pos = 0
    while True:
        m = _STREAM_RE.search(data, pos)
        if m is None:
            return
        end = data.find(b"endstream", m.end())
        if end < 0:
            return
        pos = end + 9
        if b"Flate" not in data[max(0, m.start() - 512) : m.start()]:
            continue
        inflater = zlib.decompressobj()
        chunk = data[m.end() : end]
        try:
            while chunk:
                out = inflater.decompress(chunk, 1 << 20)
                total += len(out)
                if total > MAX_INFLATED:
                    raise NoticeFileError(
                        "PDF文件内部数据解压后异常巨大（可能是恶意构造的文件），已拒绝处理", code="pdf_bomb"
                    )
                chunk = inflater.unconsumed_tail
                if not out:
                    break
        except zlib.error:
            continue


def _open_document(data: bytes, warnings: list[str]):
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    try:
        return PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except PDFPasswordIncorrect:
        raise NoticeFileError(_ENCRYPTED, code="encrypted") from None
    except PDFEncryptionError:
        # An encryption scheme pdfminer does not implement: let pypdf decrypt it.
        decrypted = _decrypt_with_pypdf(data)
        return PDFDocument(PDFParser(io.BytesIO(decrypted)), password="")


def _decrypt_with_pypdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise NoticeFileError(_ENCRYPTED, code="encrypted")
        out = io.BytesIO()
        PdfWriter(clone_from=reader).write(out)
        return out.getvalue()
    except NoticeFileError:
        raise
    except (PdfReadError, NotImplementedError, ValueError, KeyError) as exc:
        raise NoticeFileError(_ENCRYPTED, code="encrypted") from exc


def _read_pages(data: bytes, warnings: list[str]) -> list[tuple[float, float, list[_Line]]]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        document = _open_document(data, warnings)
        rsrc = PDFResourceManager(caching=True)
        device = PDFPageAggregator(rsrc, laparams=LAParams())
        interpreter = PDFPageInterpreter(rsrc, device)
        pages = []
        for index, page in enumerate(PDFPage.create_pages(document)):
            if index >= MAX_PAGES:
                warnings.append(f"PDF超过{MAX_PAGES}页，只读取了前{MAX_PAGES}页")
                break
            interpreter.process_page(page)
            layout = device.get_result()
            lines: list[_Line] = []
            for element in layout:
                if isinstance(element, LTTextContainer):
                    children = element if not isinstance(element, LTTextLine) else [element]
                    for line in children:
                        if isinstance(line, LTTextLine):
                            text = _line_text(line).rstrip("\n")
                            if text.strip():
                                lines.append(_Line(text, line.x0, line.x1, line.y0, line.y1, _lead_width(line)))
            pages.append((layout.width, layout.height, lines))
        return pages
    except NoticeFileError:
        raise
    except (PDFSyntaxError, PSException) as exc:
        raise NoticeFileError(_CORRUPT, code="corrupt") from exc


def _running_lines(pages: list[tuple[float, float, list[_Line]]]) -> set[str]:
    """Texts repeated in the top or bottom margin of most pages (running headers/footers)."""
    if len(pages) < 3:
        return set()
    seen: dict[str, int] = {}
    for _width, height, lines in pages:
        for text in {ln.text.strip() for ln in lines if ln.y0 < height * 0.08 or ln.y1 > height * 0.92}:
            seen[text] = seen.get(text, 0) + 1
    return {text for text, n in seen.items() if n * 2 > len(pages) and text}


def _assemble(pages: list[tuple[float, float, list[_Line]]]) -> str:
    running = _running_lines(pages)
    out: list[str] = []
    prev: _Line | None = None
    prev_right = 0.0
    prev_char = 0.0
    prev_page = -1
    for page_no, (width, height, lines) in enumerate(pages):
        lines = [
            ln
            for ln in lines
            if not _is_page_number(ln, height)
            and not (ln.text.strip() in running and (ln.y0 < height * 0.08 or ln.y1 > height * 0.92))
        ]
        if not lines:
            continue
        left, right, char = _margins(lines)
        for line in lines:
            text = line.text.strip()
            if prev is not None:
                same_page = prev_page == page_no
                glue = _continues(prev, prev_right, prev_char, line, left, char, same_page)
                if glue is None:
                    out.append("\n")
                else:
                    out.append(glue)
            out.append(text)
            prev, prev_right, prev_char, prev_page = line, right, char, page_no
        # page boundary: the next page's first line is compared with this page's margins
    return "".join(out)


def _line_text(line) -> str:
    """A text line without the spaces pdfminer invents for letter-spaced text.

    pdfminer inserts a virtual space (``LTAnno``) wherever two glyphs are
    further apart than ``word_margin``; justified CJK text is letter-spaced,
    so every character gets one (「巡 察 整 改」, 「2 0 2 5 年」).  A virtual
    space is kept only where the gap is clearly wider than this line's usual
    gap between glyphs.  Drawn spaces (``LTChar``) are always kept.
    """
    from pdfminer.layout import LTAnno, LTChar

    items = list(line)
    chars = [obj for obj in items if isinstance(obj, LTChar)]
    if len(chars) < 3:
        return line.get_text()
    gaps = [b.x0 - a.x1 for a, b in zip(chars, chars[1:])]
    typical = statistics.median(gaps)
    if typical < 0.05 * chars[0].size:
        return line.get_text()  # not letter-spaced: pdfminer's spaces are real word gaps
    out: list[str] = []
    prev: LTChar | None = None
    pending_space = False
    for obj in items:
        if isinstance(obj, LTChar):
            if pending_space and prev is not None:
                if obj.x0 - prev.x1 > typical + 0.25 * max(prev.size, 1.0):
                    out.append(" ")
            pending_space = False
            out.append(obj.get_text())
            prev = obj
        elif isinstance(obj, LTAnno):
            text = obj.get_text()
            if text == " ":
                pending_space = True
            else:
                out.append(text)
    return "".join(out)


_UNBREAKABLE = re.compile(r"[A-Za-z0-9@._\-:/%]")


def _lead_width(line) -> float:
    """Width of the token a line starts with: what did not fit at the end of the line before."""
    from pdfminer.layout import LTChar

    first = last = None
    for obj in line:
        if not isinstance(obj, LTChar):
            if first is not None:
                break
            continue
        ch = obj.get_text()
        if first is None:
            if ch.isspace():
                return 0.0
            first = last = obj
            if not _UNBREAKABLE.match(ch):
                break
        elif _UNBREAKABLE.match(ch):
            last = obj
        else:
            break
    return (last.x1 - first.x0) if first is not None else 0.0


def _is_page_number(line: _Line, height: float) -> bool:
    if not _PAGE_NUMBER_RE.match(line.text):
        return False
    return line.y0 < height * 0.12 or line.y1 > height * 0.90


def _margins(lines: list[_Line]) -> tuple[float, float, float]:
    char = statistics.median(max(ln.y1 - ln.y0, 1.0) for ln in lines)
    # The left margin is where most lines start; the right where the longest end.
    starts = [round(ln.x0) for ln in lines]
    left = float(statistics.mode(starts)) if starts else 0.0
    left = min(left, min(ln.x0 for ln in lines) + char * 4)
    right = max(ln.x1 for ln in lines)
    return left, right, char


def _continues(
    prev: _Line, prev_right: float, prev_char: float, line: _Line, left: float, char: float, same_page: bool
) -> str | None:
    """``""``/``" "`` when ``line`` continues ``prev``'s paragraph, else ``None`` (keep the break)."""
    if same_page and (prev.y0 - line.y1 > 1.2 * char or line.y1 > prev.y1):
        return None  # a blank line's gap, or a jump back up (next column/box)
    # prev ends short of the margin, with room for this line's first word: end of a paragraph.
    # (A long number or Latin word that did not fit leaves a wider gap, and still continues.)
    if prev.x1 < prev_right - max(1.6 * prev_char, line.lead + 0.3 * prev_char):
        return None
    if line.x0 > left + 0.6 * char or line.text[:1].isspace():
        return None  # indented (by position or by drawn full-width spaces): a new paragraph
    text = line.text.lstrip()
    if _HEADING_RE.match(text):
        return None
    a, b = prev.text.rstrip()[-1:], text[:1]
    if a.isascii() and a.isalpha() and b.isascii() and b.isalpha():
        return " "
    return ""
