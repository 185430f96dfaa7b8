"""Chinese numerals (一…九十九, 两, 〇, 百/千) and mixed digit strings → int."""
from __future__ import annotations

import re

CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM_CHARS = "〇零○一二两三四五六七八九十百千"
_CN_RE = re.compile(f"^[{CN_NUM_CHARS}]+$")
_WIDE = str.maketrans("０１２３４５６７８９", "0123456789")
_SMALL = "一二三四五六七八九"


def cn_to_int(text: str) -> int | None:
    """十六 → 16, 二十 → 20, 一百零二 → 102, 二〇二一 → 2021 (digit by digit); None if not a numeral."""
    if not text or not _CN_RE.match(text):
        return None
    if not any(c in CN_UNITS for c in text):
        # a run of digits such as 二〇二一 (years) or a single digit
        value = 0
        for c in text:
            value = value * 10 + CN_DIGITS[c]
        return value
    total, current = 0, 0
    for c in text:
        if c in CN_DIGITS:
            current = CN_DIGITS[c]
        else:
            unit = CN_UNITS[c]
            total += (current or 1) * unit
            current = 0
    return total + current


def to_int(text: str) -> int | None:
    """ASCII, full-width or Chinese numerals → int; None when it is not a number."""
    if text is None:
        return None
    if text.isdigit() and text.isascii():
        return int(text)
    text = text.strip().translate(_WIDE)
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    return cn_to_int(text)


def int_to_cn(n: int) -> str:
    """1 → 一, 10 → 十, 16 → 十六, 20 → 二十, 99 → 九十九 (category numbers as printed)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _SMALL[ones - 1]
    head = "" if tens == 1 else _SMALL[tens - 1]
    return head + "十" + (_SMALL[ones - 1] if ones else "")
