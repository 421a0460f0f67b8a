"""NZ working days: weekends, national public holidays (Matariki, Mondayised days) and extra
closed periods such as the Official Information Act's summer break."""

from __future__ import annotations

from datetime import date

import pytest

from kaitiaki.workingdays import (
    add_working_days,
    annual_closure,
    is_working_day,
    public_holiday_name,
    working_days_between,
)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 7, 9), True),     # Thursday
        (date(2026, 7, 10), False),   # Matariki 2026
        (date(2026, 7, 11), False),   # Saturday
        (date(2026, 4, 27), False),   # Anzac Day (Saturday) observed on Monday
        (date(2026, 12, 28), False),  # Boxing Day (Saturday) observed on Monday
        (date(2027, 6, 25), False),   # Matariki 2027
        (date(2026, 1, 20), True),    # Wellington Anniversary is regional, not national
        (date(2026, 10, 26), False),  # Labour Day
    ],
)
def test_working_days_follow_the_national_calendar(day: date, working: bool):
    assert is_working_day(day) is working


def test_holiday_names_come_from_the_calendar():
    assert public_holiday_name(date(2026, 7, 10)) == "Matariki"
    assert public_holiday_name(date(2026, 7, 9)) is None


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (date(2026, 7, 8), 1, date(2026, 7, 9)),     # Wednesday -> Thursday
        (date(2026, 7, 9), 1, date(2026, 7, 13)),    # Thursday -> Monday, over Matariki Friday
        (date(2026, 7, 11), 1, date(2026, 7, 13)),   # received on a Saturday -> Monday
        (date(2026, 7, 9), 10, date(2026, 7, 24)),   # ten working days over Matariki
        (date(2026, 12, 23), 1, date(2026, 12, 24)),
        (date(2026, 12, 24), 1, date(2026, 12, 29)), # Christmas, Boxing Day observed, weekend
        (date(2026, 4, 2), 1, date(2026, 4, 7)),     # Good Friday and Easter Monday
        (date(2026, 7, 8), 0, date(2026, 7, 8)),
    ],
)
def test_adding_working_days_skips_weekends_and_holidays(start: date, n: int, due: date):
    assert add_working_days(start, n) == due


def test_extra_closed_days_as_a_collection_or_a_predicate():
    assert add_working_days(date(2026, 7, 6), 1, extra_closed={date(2026, 7, 7)}) == date(2026, 7, 8)
    summer = annual_closure((12, 25), (1, 15))
    assert summer(date(2026, 12, 31)) and summer(date(2027, 1, 15))
    assert not summer(date(2027, 1, 18)) and not summer(date(2026, 12, 24))
    assert not is_working_day(date(2027, 1, 12), extra_closed=summer)
    # Received 23 Dec 2026: the 24th counts, then nothing until Monday 18 January 2027.
    assert add_working_days(date(2026, 12, 23), 2, extra_closed=summer) == date(2027, 1, 18)


def test_a_closure_within_one_year():
    march = annual_closure((3, 1), (3, 31))
    assert march(date(2026, 3, 15)) and not march(date(2026, 4, 1))


def test_counting_working_days_between_two_dates():
    assert working_days_between(date(2026, 7, 9), date(2026, 7, 13)) == 1
    assert working_days_between(date(2026, 7, 13), date(2026, 7, 9)) == 0
    assert working_days_between(date(2026, 7, 6), date(2026, 7, 13)) == 4


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 7, 9), -1)
