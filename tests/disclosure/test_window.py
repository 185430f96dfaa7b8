import datetime as dt
from types import SimpleNamespace

import pytest

from disclosure.window import WindowState, add_working_days, days_left, disclosure_window, is_working_day, window_state

D = dt.date
WINDOW = (D(2025, 4, 7), D(2025, 5, 6))


@pytest.mark.parametrize("today, state", [
    (D(2025, 4, 6), WindowState.BEFORE),
    (D(2025, 4, 7), WindowState.OPEN),
    (D(2025, 5, 6), WindowState.OPEN),
    (D(2025, 5, 7), WindowState.CLOSED),
])
def test_window_includes_both_its_first_and_last_day(today, state):
    assert window_state(WINDOW, today) is state


def test_a_notice_without_a_full_window_has_none():
    assert disclosure_window(SimpleNamespace(disclosure_start=D(2025, 4, 7), disclosure_end=None)) is None
    assert disclosure_window(SimpleNamespace(disclosure_start=None, disclosure_end=None)) is None
    assert window_state(None, D(2025, 4, 7)) is WindowState.UNSET


def test_a_window_ending_before_it_starts_is_treated_as_unset():
    assert disclosure_window(SimpleNamespace(disclosure_start=D(2025, 5, 6), disclosure_end=D(2025, 4, 7))) is None


def test_days_left_counts_today():
    assert days_left(WINDOW, D(2025, 5, 6)) == 1
    assert days_left(WINDOW, D(2025, 5, 5)) == 2


def test_fifteen_working_days_from_a_monday_end_on_the_third_friday_as_sample_002_says():
    # 「公开期限：2025年11月24日至12月12日（15个工作日）」
    assert add_working_days(D(2025, 11, 24), 15) == D(2025, 12, 12)


def test_working_days_skip_the_national_day_holiday_and_count_the_make_up_saturday():
    # 2025: 10月1日至8日放假; 9月28日（周日）、10月11日（周六）上班.
    assert not is_working_day(D(2025, 10, 1))
    assert is_working_day(D(2025, 10, 11))
    # From Mon 29 Sep: 29, 30 Sep, then 9, 10, 11 (Sat, 调休) Oct.
    assert add_working_days(D(2025, 9, 29), 5) == D(2025, 10, 11)


def test_a_window_set_to_start_on_a_weekend_counts_from_the_next_working_day():
    assert add_working_days(D(2025, 11, 22), 1) == D(2025, 11, 24)


def test_years_the_holiday_calendar_lacks_fall_back_to_monday_to_friday():
    assert add_working_days(D(2030, 1, 4), 2) == D(2030, 1, 7)  # Fri, then Mon


@pytest.mark.parametrize("count", [0, -1, 61])
def test_working_days_outside_one_to_sixty_are_refused(count):
    with pytest.raises(ValueError):
        add_working_days(D(2025, 11, 24), count)
