"""Chinese dates in running text, with the year inferred from context.

Runs on the *match view* of the text (ASCII digits).  Handles
``2025年2月24日``, ``2月24日`` (year from context), ``二〇二一年二月二十八日``,
``2021-02-28`` / ``2021.2.28``, month-only ``2020年7月份``, and the ends of
periods used for deadlines: ``3月末`` / ``3月底`` / ``3月下旬`` / ``年底``.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .numerals import to_int

_Y = rf"(?P<y>(?:19|20)\d{{2}}|[〇零○一二][〇零○一二三四五六七八九]{{3}})\s*年"
_M = rf"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月"
_D = rf"(?P<d>3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号]"
_TAIL = r"(?P<tail>份|末|底|上旬|中旬|下旬|初)?"

DATE_RE = re.compile(
    r"(?=[\d〇零○一二两三四五六七八九十今本明年])"  # a cheap first-character check before the alternatives
    rf"(?:(?:{_Y}\s*|(?P<ry>今年|本年|明年)\s*)?{_M}(?:\s*{_D}|{_TAIL})"
    r"|(?P<iy>(?:19|20)\d{2})[-./](?P<im>1[0-2]|0?[1-9])[-./](?P<id>3[01]|[12]\d|0?[1-9])(?!\d)"
    r"|(?P<yy>(?:19|20)\d{2})\s*年(?P<ytail>底|末|年底|年末|上半年|下半年)"
    r"|(?P<ny>今年|本年|明年|年)年?(?P<ntail>底|末)"
    # a date whose 年 and 月 a website stripped: 「2024812日」「1025日」 (decoded only when one reading is valid)
    r"|(?<![\d.])(?P<sy>(?:19|20)\d{2})(?P<smd>\d{2,4})[日号]|(?<![\d.])(?P<smd2>\d{3,4})日)"
)


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    text: str
    date: dt.date | None
    has_year: bool
    precision: str  # "day", "month", "period"


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        if d <= 28:
            return dt.date(y, m, d)
        return dt.date(y, m, min(d, _last_day(y, m)))
    except (ValueError, OverflowError):
        return None


def _year_value(raw: str | None) -> int | None:
    if raw is None:
        return None
    value = to_int(raw)
    if value is None or not 1900 <= value <= 2100:
        return None
    return value


def find_dates(text: str, context: dt.date | None = None, *, roll_forward: bool = True,
               floor: dt.date | None = None, now: dt.date | None = None) -> list[DateMatch]:
    """Every date in ``text`` in order.  A date without a year takes the year of the
    last dated mention before it (or ``context``); with ``roll_forward`` a month/day
    more than a month earlier than that mention is taken to be in the following year
    (narrative order: 「2025年11月巡察…1月15日反馈」).  With ``floor`` the comparison
    is with ``floor`` instead (inside an issue: a step is not before the feedback,
    but may come before the step mentioned just before it).  今年 / 明年 count from
    ``now`` (the day the notice was written) when given, else from that mention."""
    out: list[DateMatch] = []
    last = context
    for m in DATE_RE.finditer(text):
        g = m.groupdict()
        has_year = False
        precision = "day"
        if g["smd"] or g["smd2"]:
            year = int(g["sy"]) if g["sy"] else (last.year if last else None)
            md = _stripped_month_day(g["smd"] or g["smd2"], year)
            if md is None or year is None:
                if year is not None and g["sy"] and last is None:
                    last = dt.date(year, 1, 1)  # the year is known even when the day is not
                out.append(DateMatch(m.start(), m.end(), m.group(0), None, bool(g["sy"]), "day"))
                continue
            candidate = _safe_date(year, *md)
            if not g["sy"] and candidate and last and roll_forward and candidate < (floor or last) \
                    and ((floor or last) - candidate).days > 31:
                candidate = _safe_date(year + 1, *md)
            if candidate is not None and (g["sy"] or roll_forward):
                last = candidate if g["sy"] else max(last, candidate) if last else candidate
            out.append(DateMatch(m.start(), m.end(), m.group(0), candidate, bool(g["sy"]), "day"))
            continue
        if g["iy"]:
            y, mo, d = int(g["iy"]), int(g["im"]), int(g["id"])
            has_year = True
        elif g["yy"]:
            y = int(g["yy"])
            has_year = True
            precision = "period"
            mo, d = (6, 30) if g["ytail"] == "上半年" else (12, 31)
        elif g["ntail"]:
            base = now if now is not None and g["ny"] != "年" else last
            if base is None:
                out.append(DateMatch(m.start(), m.end(), m.group(0), None, False, "period"))
                continue
            y, mo, d = base.year + (1 if g["ny"] == "明年" else 0), 12, 31
            precision = "period"
        else:
            y = _year_value(g["y"])
            if g["ry"] and (now or last):
                y = (now or last).year + (1 if g["ry"] == "明年" else 0)
            has_year = y is not None
            mo = to_int(g["m"]) or 0
            if not 1 <= mo <= 12:
                continue
            if g["d"]:
                d = to_int(g["d"]) or 0
                if not 1 <= d <= 31:
                    continue
            else:
                tail = g["tail"] or ""
                if not has_year and not tail:
                    continue  # a bare 「3月」 is too weak to be a date
                precision = "month" if tail in ("", "份", "初", "上旬") else "period"
                d = {"": 1, "份": 1, "初": 1, "上旬": 10, "中旬": 20}.get(tail, 31)
            if y is None:
                if last is None:
                    out.append(DateMatch(m.start(), m.end(), m.group(0), None, False, precision))
                    continue
                y = last.year
                candidate = _safe_date(y, mo, d)
                base = floor or last
                if roll_forward and candidate is not None and candidate < base and (base - candidate).days > 31:
                    y += 1
        date = _safe_date(y, mo, d)
        if date is not None and has_year:
            last = date
        elif date is not None and roll_forward:
            last = max(last, date) if last else date
        out.append(DateMatch(m.start(), m.end(), m.group(0), date, has_year, precision))
    return out


def _stripped_month_day(digits: str, year: int | None) -> tuple[int, int] | None:
    """「812」 → (8, 12); 「111」 reads as 1-11 or 11-1, so None."""
    readings = set()
    for cut in (1, 2):
        if cut >= len(digits) or len(digits) - cut > 2:
            continue
        month, day = int(digits[:cut]), int(digits[cut:])
        if digits[cut] == "0" and len(digits) - cut == 1:
            continue
        if 1 <= month <= 12 and 1 <= day <= _last_day(year or 2000, month):
            readings.add((month, day))
    return readings.pop() if len(readings) == 1 else None


RANGE_SEP_RE = re.compile(r"\s*(?:起至|起到|起|至|到|—+|–|-|~|～|〜|－)\s*")
_BARE_MONTH_END_RE = re.compile(r"\s*(?:至|到|—+|–|-|~|～)\s*(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月(?![\d一二三四五六七八九十份]*[日号])")


_BARE_DAY_END_RE = re.compile(r"\s*(?:起至|至|到|—+|–|-|~|～)\s*(3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号]")


def find_range(text: str, context: dt.date | None = None, *, open_start: bool = False) -> tuple[DateMatch, DateMatch] | None:
    """The first 「DATE 至 DATE」 in ``text``; the end inherits the start's year.

    With ``open_start`` a start that could not be read (「2023111日」, two readings)
    still makes a range, so its end is kept."""
    dates = find_dates(text, context)
    for a, b in zip(dates, dates[1:]):
        between = text[a.end:b.start]
        if RANGE_SEP_RE.fullmatch(between) and (a.date or open_start) and b.date:
            end = b
            if b.precision == "month":  # 「3月至5月」: the end of May
                end = DateMatch(b.start, b.end, b.text,
                                _safe_date(b.date.year, b.date.month, 31), b.has_year, "month")
            return a, end
    # 「2024年11月4日至8日」: a day and a bare day of the same month
    for a in dates:
        if a.precision == "day" and a.date:
            m = _BARE_DAY_END_RE.match(text, a.end)
            if m:
                day = to_int(m.group(1)) or 0
                if a.date.day < day <= _last_day(a.date.year, a.date.month):
                    end_date = dt.date(a.date.year, a.date.month, day)
                    return a, DateMatch(m.start(1), m.end(), text[m.start(1):m.end()], end_date, False, "day")
    # 「2024年3月至5月」: a month-only start and a bare month
    for a in dates:
        if a.precision == "month" and a.date:
            m = _BARE_MONTH_END_RE.match(text, a.end)
            if m:
                month = to_int(m.group(1)) or 0
                year = a.date.year + (1 if month < a.date.month else 0)
                end_date = _safe_date(year, month, 31) if 1 <= month <= 12 else None
                if end_date:
                    return a, DateMatch(m.start(1), m.end(), text[m.start(1):m.end()], end_date, False, "month")
    return None


def is_date_only(text: str) -> bool:
    """A line that is nothing but a date (a signature date)."""
    text = text.strip()
    m = DATE_RE.fullmatch(text)
    return bool(m and (m.group("d") or m.group("id") or m.group("sy")))
