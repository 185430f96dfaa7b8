"""Chinese numerals and dates, with the year inferred from context."""
import datetime as dt

import pytest

from notices.parsing.structure.dates import find_dates, find_range, is_date_only
from notices.parsing.structure.numerals import cn_to_int, int_to_cn, to_int


@pytest.mark.parametrize("text, value", [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99), ("两", 2), ("一百零二", 102),
    ("二〇二一", 2021), ("三十九", 39), ("12", 12), ("１２", 12),
])
def test_numerals_become_integers(text, value):
    assert to_int(text) == value


def test_text_that_is_not_a_numeral_is_none():
    assert cn_to_int("方面") is None and to_int("") is None and to_int("a1") is None


def test_integers_become_category_numerals():
    assert [int_to_cn(n) for n in (1, 10, 11, 16, 20, 99)] == ["一", "十", "十一", "十六", "二十", "九十九"]


def test_feedback_year_is_inferred_from_inspection_dates():
    text = "2025年2月24日至4月30日，旗委第三巡察组开展巡察。6月11日，巡察组反馈了巡察意见。"
    dates = [d.date for d in find_dates(text)]
    assert dates == [dt.date(2025, 2, 24), dt.date(2025, 4, 30), dt.date(2025, 6, 11)]


def test_a_month_earlier_than_the_context_rolls_into_the_next_year():
    dates = [d.date for d in find_dates("2024年11月4日至12月20日巡察，1月15日反馈。")]
    assert dates[-1] == dt.date(2025, 1, 15)


def test_end_of_month_deadline_uses_the_context_year():
    found = find_dates("3月末完成全院党支部换届工作。", dt.date(2020, 11, 13))
    assert found[0].date == dt.date(2021, 3, 31) and found[0].text == "3月末"
    assert find_dates("6月底前完成", dt.date(2024, 2, 1))[0].date == dt.date(2024, 6, 30)


def test_chinese_numeral_iso_and_month_only_dates():
    assert find_dates("二〇二一年二月二十八日")[0].date == dt.date(2021, 2, 28)
    assert find_dates("发布于2021-02-28")[0].date == dt.date(2021, 2, 28)
    assert find_dates("于2020年7月份通过")[0].date == dt.date(2020, 7, 1)
    assert find_dates("2025年底前完成")[0].date == dt.date(2025, 12, 31)


def test_a_bare_month_without_year_or_day_is_not_a_date():
    assert find_dates("每3月开展一次检查") == []


def test_a_date_without_any_year_in_context_has_no_date():
    assert find_dates("6月11日反馈")[0].date is None


def test_ranges_inherit_the_start_year_with_any_dash():
    for sep in ("至", "—", "-", "~", "到"):
        start, end = find_range(f"2020年8月3日{sep}9月23日")
        assert (start.date, end.date) == (dt.date(2020, 8, 3), dt.date(2020, 9, 23)), sep


def test_impossible_dates_are_skipped_or_clamped_without_error():
    assert find_dates("2024年13月1日") == [] or find_dates("2024年13月1日")[0].date is None
    assert find_dates("2023年2月30日")[0].date == dt.date(2023, 2, 28)


def test_signature_date_lines_are_recognised():
    assert is_date_only("2025年10月20日") and is_date_only("二〇二一年二月二十八日")
    assert not is_date_only("2025年10月20日召开会议")
