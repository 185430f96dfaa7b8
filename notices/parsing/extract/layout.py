"""Positioned lines → paragraphs: shared by PDF text, OCR and OFD.

Each page is ``(width, height, lines)`` in points with y growing upwards
(PDF convention; OCR and OFD flip theirs).  A paragraph wrapped by the page
width is joined back: a line that reaches the right margin continues into a
next line that starts at the left margin (not indented, not a heading such
as 「一、」「（二）」「3.」).  Anything less certain keeps its line break; the
structure parser repairs the rest.  Page numbers at the top/bottom of a page
(「- 3 -」「第3页 共9页」) and running headers/footers are dropped.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

_PAGE_NUMBER_RE = re.compile(
    r"^[\s\-—–－―·•]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:[/／]\s*\d{1,4}|共\s*\d{1,4}\s*页)?[\s\-—–－―·•]*$"
)
_HEADING_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十百\d]+[)）]|\d{1,3}\s*[.、．]|第[一二三四五六七八九十百\d]+[章节条部分项]|[①-⑳])"
)
HANGING = set("，。、；：？！）》」』”’…")
UNBREAKABLE = re.compile(r"[A-Za-z0-9@._\-:/%]")


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    lead: float = 0.0  # width of the first unbreakable token (a Latin word, a number, one hanzi)


Page = tuple[float, float, list[Line]]


def assemble(pages: list[Page]) -> str:
    running = _running_lines(pages)
    out: list[str] = []
    prev: Line | None = None
    prev_right = 0.0
    prev_char = 0.0
    prev_page = -1
    for page_no, (_width, height, lines) in enumerate(pages):
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
                glue = _continues(prev, prev_right, prev_char, line, left, char, prev_page == page_no)
                out.append("\n" if glue is None else glue)
            out.append(text)
            # the next page's first line is compared with this page's margins
            prev, prev_right, prev_char, prev_page = line, right, char, page_no
    return "".join(out)


def _running_lines(pages: list[Page]) -> set[str]:
    """Texts repeated in the top or bottom margin of most pages (running headers/footers)."""
    if len(pages) < 3:
        return set()
    seen: dict[str, int] = {}
    for _width, height, lines in pages:
        for text in {ln.text.strip() for ln in lines if ln.y0 < height * 0.08 or ln.y1 > height * 0.92}:
            seen[text] = seen.get(text, 0) + 1
    return {text for text, n in seen.items() if n * 2 > len(pages) and text}


def _is_page_number(line: Line, height: float) -> bool:
    if not _PAGE_NUMBER_RE.match(line.text):
        return False
    return line.y0 < height * 0.12 or line.y1 > height * 0.90


def _margins(lines: list[Line]) -> tuple[float, float, float]:
    char = statistics.median(max(ln.y1 - ln.y0, 1.0) for ln in lines)
    # The left margin is where most lines start; the right where the longest end.
    starts = [round(ln.x0) for ln in lines]
    left = float(statistics.mode(starts)) if starts else 0.0
    left = min(left, min(ln.x0 for ln in lines) + char * 4)
    # Closing punctuation may hang past the margin (Word does this): judge the
    # margin by the lines that do not end with it.
    square = [ln.x1 for ln in lines if ln.text.rstrip()[-1:] not in HANGING]
    right = max(square) if square else max(ln.x1 for ln in lines)
    return left, right, char


def _continues(prev: Line, prev_right: float, prev_char: float, line: Line, left: float, char: float,
               same_page: bool) -> str | None:
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


def lead_chars(text: str) -> int:
    """How many characters the line's first unbreakable token has (1 for a hanzi)."""
    n = 0
    for ch in text:
        if UNBREAKABLE.match(ch):
            n += 1
        else:
            break
    return max(n, 1) if text and not text[0].isspace() else 0
