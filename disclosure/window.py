"""The 公开期限 (disclosure window) of a notice: pure date rules, no database.

Every day here is a calendar date in Asia/Shanghai (the site's TIME_ZONE):
a notice that says 「公开期限：2025年4月7日至5月6日」 opens at 00:00 Beijing time on
April 7 and is still open all of May 6, wherever the reader's server or
browser clock is.  Both ends are inclusive, as the notices themselves count.
"""
import datetime as dt
import enum

from django.utils import timezone

try:  # Official holiday arrangements, including weekend make-up workdays (调休).
    import chinese_calendar
except ImportError:  # pragma: no cover - pinned in requirements.txt
    chinese_calendar = None

MAX_WORKING_DAYS = 60


class WindowState(enum.Enum):
    UNSET = "unset"  # no window known: never public until staff set one
    BEFORE = "before"  # not public yet: the page does not exist
    OPEN = "open"  # readable, comments accepted
    CLOSED = "closed"  # still readable, marked 公示期已结束, no comments

    @property
    def label(self) -> str:
        return {"unset": "未设定公开期限", "before": "尚未公示", "open": "公示中", "closed": "公示期已结束"}[self.value]


def local_today() -> dt.date:
    """Today in Asia/Shanghai; every view and service asks here, so tests freeze one clock."""
    return timezone.localdate()


def disclosure_window(notice) -> tuple[dt.date, dt.date] | None:
    """The notice's (start, end), both inclusive, or None when it is not fully known."""
    start, end = notice.disclosure_start, notice.disclosure_end
    if start is None or end is None or end < start:
        return None
    return start, end


def window_state(window: tuple[dt.date, dt.date] | None, today: dt.date) -> WindowState:
    if window is None:
        return WindowState.UNSET
    start, end = window
    if today < start:
        return WindowState.BEFORE
    if today > end:
        return WindowState.CLOSED
    return WindowState.OPEN


def notice_window_state(notice, today: dt.date | None = None) -> WindowState:
    return window_state(disclosure_window(notice), today or local_today())


def days_left(window: tuple[dt.date, dt.date], today: dt.date) -> int:
    """Calendar days the window still runs, counting today (1 on the last day)."""
    return max((window[1] - today).days + 1, 0)


def is_working_day(day: dt.date) -> bool:
    """Mon–Fri, corrected by the State Council's holiday arrangement where the calendar knows the year."""
    if chinese_calendar is not None:
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            pass  # a year the package has no data for yet: plain Mon–Fri
    return day.weekday() < 5


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The last day of a window of ``count`` working days beginning on ``start``.

    ``start`` counts as the first day when it is a working day, as in
    「2025年11月24日至12月12日（15个工作日）」; a window set to begin on a
    weekend or holiday starts counting on the next working day.
    """
    if not 1 <= count <= MAX_WORKING_DAYS:
        raise ValueError(f"working days must be 1–{MAX_WORKING_DAYS}, not {count}")
    day, counted = start, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == count:
                return day
        day += dt.timedelta(days=1)
