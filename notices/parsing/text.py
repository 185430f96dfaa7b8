"""The one place that decides which characters stored text may carry: parsed text, form input, exports.

Pure (no Django), so the parser, the forms and the export writers share it:

- ``clean_text`` — at input (extraction, every free-text form and API
  field): control characters go (C0 but tab and newline, DEL, C1), as do
  bidi controls that can make text display in another order than it is
  stored (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) and the
  non-characters U+FFFE/U+FFFF.  Line separators (CR, Word's soft break
  ``\\x0b``, form feed, U+2028/U+2029, NEL) become ``\\n`` rather than
  disappearing.  Returns how many characters were removed, so the caller
  can tell the user (``removal_notice``).
- ``cell_text`` — at output (every xlsx/csv cell): the same removal for text
  stored before this existed, so no stored value can make openpyxl refuse a
  workbook, plus formula safety (a leading ``= + - @`` is prefixed with ``'``).
"""
from __future__ import annotations

import re

# Separators that mean "new line": kept as one.
LINE_BREAKS_RE = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Removed: C0 controls but \t and \n, DEL and C1 (after line breaks are
# unified, so \r \x0b \x0c \x85 are no longer here), bidi controls, and the
# non-characters XML 1.0 cannot carry.
_CONTROL_CHARS = "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff"
_BIDI_CHARS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL_RE = re.compile(f"[{_CONTROL_CHARS}]")
_BIDI_RE = re.compile(f"[{_BIDI_CHARS}]")
_REMOVED_RE = re.compile(f"[{_CONTROL_CHARS}{_BIDI_CHARS}]")
# Lone surrogates cannot be encoded as UTF-8 at all (only a broken decoder makes them).
_SURROGATE_RE = re.compile("[\ud800-\udfff]")

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_text(text: str) -> tuple[str, int]:
    """``(text without invisible controls, how many characters were removed)``; line breaks become ``\\n``."""
    if not text:
        return text, 0
    text = LINE_BREAKS_RE.sub("\n", text)
    text, removed = _REMOVED_RE.subn("", text)
    text, surrogates = _SURROGATE_RE.subn("", text)
    return text, removed + surrogates


def count_removed(text: str) -> tuple[str, int, int]:
    """Like ``clean_text`` but counting control characters and bidi controls apart: ``(text, controls, bidi)``."""
    text = LINE_BREAKS_RE.sub("\n", text)
    text, controls = _CONTROL_RE.subn("", text)
    text, surrogates = _SURROGATE_RE.subn("", text)
    text, bidi = _BIDI_RE.subn("", text)
    return text, controls + surrogates, bidi


def removal_notice(removed: int) -> str:
    """What the user is told after saving text that lost ``removed`` characters ('' when none)."""
    return f"已移除{removed}个不可见控制字符" if removed else ""


def cell_text(value) -> str:
    """A stored value as a spreadsheet cell's text: nothing XML refuses, no bidi tricks, never a formula."""
    text, _ = clean_text("" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_START) else text
