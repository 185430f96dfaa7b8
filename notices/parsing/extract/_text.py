"""Helpers shared by the extractors: clean-up and "does this look like Chinese?".

Kept free of any format library so ``txt`` (the hot path) imports nothing heavy.
"""
from __future__ import annotations

import re
from collections import Counter

from ..text import LINE_BREAKS_RE, count_removed

# Invisible format characters that conversions leave behind (zero-width
# space/joiners, stray BOMs, soft hyphen): dropped silently.
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe]")
_NEEDS_CLEAN_RE = re.compile("[\r\x0b\x0c\x85\u00ad\u200b\u200c\u200d\u2028\u2029\u2060\ufeff\ufffe]")


def normalize_text(text: str) -> str:
    """Unify newlines to ``\\n`` and drop invisible format characters.

    Form feeds and vertical tabs (page/line breaks in PDF and Word output)
    become newlines rather than disappearing, so words on either side stay
    apart.  Other control characters are left for ``strip_controls``, which
    reports them.
    """
    if not _NEEDS_CLEAN_RE.search(text):
        return text
    text = LINE_BREAKS_RE.sub("\n", text)
    return _INVISIBLE_RE.sub("", text)


def strip_controls(text: str) -> tuple[str, list[str]]:
    """Remove control characters and bidi overrides (``notices.parsing.text``); returns ``(text, Chinese warnings)``."""
    warnings: list[str] = []
    text, controls, bidi = count_removed(text)
    if controls:
        warnings.append(f"已删除文本中的{controls}个控制字符（不可见，可能来自文件损坏或转换）")
    if bidi:
        warnings.append(f"已删除文本中的{bidi}个双向文字控制符（可能被用来改变文字的显示顺序），请对照原件核对")
    return text, warnings


# CJK unified ideographs (basic + extension A + compatibility).
_HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def han_count(text: str) -> int:
    return len(_HAN_RE.findall(text))


def is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF


def _in_codec(ch: str, codec: str) -> bytes | None:
    try:
        return ch.encode(codec)
    except UnicodeEncodeError:
        return None


def _is_common_simplified(ch: str) -> bool:
    # GB2312 level-1 hanzi (rows 16-55): the 3,755 most used simplified characters.
    b = _in_codec(ch, "gb2312")
    return b is not None and len(b) == 2 and 0xB0 <= b[0] <= 0xD7


def _is_common_traditional(ch: str) -> bool:
    # Big5 level-1 (常用字, A440-C67E): the 5,401 most used traditional characters.
    b = _in_codec(ch, "big5")
    return b is not None and len(b) == 2 and 0xA440 <= (b[0] << 8 | b[1]) <= 0xC67E


_COMMON_CACHE: dict[str, bool] = {}


def _is_common_han(ch: str) -> bool:
    hit = _COMMON_CACHE.get(ch)
    if hit is None:
        hit = _is_common_simplified(ch) or _is_common_traditional(ch)
        _COMMON_CACHE[ch] = hit
    return hit


# Characters that are fine in any Chinese document besides hanzi.
_OK_OTHER_RE = re.compile(
    "[\t\n\r\x20-\x7e\u00a0\u00b7\u00d7\u2010-\u2027\u2030-\u205e\u2116\u2160-\u217f"
    "\u2460-\u24ff\u2500-\u257f\u25a0-\u25ff\u2600-\u26ff\u3000-\u303f\u3200-\u32ff"
    "\uff01-\uff65\uffe0-\uffee]"
)


def chinese_plausibility(text: str, sample: int = 3000) -> tuple[float, int]:
    """Score how much ``text`` looks like real Chinese prose.

    Returns ``(score, han)`` where ``han`` is the number of hanzi in the sample
    and ``score`` in [0, 1] is the share of characters that are either common
    hanzi (GB2312 level 1 or Big5 level 1) or ordinary punctuation/ASCII.  A
    wrong decoding produces rare hanzi, private-use code points, kana and
    replacement characters, which pull the score down.
    """
    if len(text) > sample:
        # Look at the start, middle and end: headers can be unrepresentative.
        third = sample // 3
        mid = len(text) // 2
        text = text[:third] + text[mid - third // 2 : mid + third // 2] + text[-third:]
    if not text:
        return 0.0, 0
    good = 0
    han = 0
    for ch, n in Counter(text).items():  # distinct characters: a few hundred, not thousands
        if is_han(ch):
            han += n
            if _is_common_han(ch):
                good += n
        elif _OK_OTHER_RE.match(ch):
            good += n
    return good / len(text), han
