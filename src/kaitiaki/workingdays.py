"""New Zealand working days: every date except Saturdays, Sundays and national public holidays.

Public holidays come from the `holidays` package's New Zealand calendar without a region, so they
are the national ones, Matariki included, with the Mondayised days ("observed") when a holiday
falls on a weekend. Regional anniversary days are not national and do not count.

Time limits that close over other periods as well pass `extra_closed`: either a collection of
dates or a predicate. The Official Information Act's working days, for example, also exclude
25 December to 15 January:

    oia_closed = annual_closure((12, 25), (1, 15))
    add_working_days(received, 20, extra_closed=oia_closed)

`add_working_days(start, n)` counts the working days after `start` (the day something arrives is
day zero, whatever day it is), so the result is the n-th working day after the day received.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, timedelta
from functools import lru_cache

ClosedDays = Callable[[date], bool] | Collection[date] | None

COUNTRY = "NZ"
SATURDAY = 5
# A safety stop: no real time limit runs longer than this many calendar days.
MAX_SPAN_DAYS = 3660


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> dict[date, str]:
    # Imported on first use: the package loads every country's calendar when imported, a tenth
    # of a serving worker's start-up, and most requests never count working days.
    import holidays

    return dict(holidays.country_holidays(COUNTRY, years=year).items())


def public_holiday_name(day: date) -> str | None:
    """The national public holiday on `day` ("Matariki", "Anzac Day (observed)"), or None."""
    return _public_holidays(day.year).get(day)


def _closed_by(extra_closed: ClosedDays) -> Callable[[date], bool]:
    if extra_closed is None:
        return lambda _day: False
    if callable(extra_closed):
        return extra_closed
    closed = frozenset(extra_closed)
    return closed.__contains__


def is_working_day(day: date, *, extra_closed: ClosedDays = None) -> bool:
    """Not a weekend, not a national public holiday and not in `extra_closed`."""
    if day.weekday() >= SATURDAY or public_holiday_name(day) is not None:
        return False
    return not _closed_by(extra_closed)(day)


def add_working_days(start: date, n: int, *, extra_closed: ClosedDays = None) -> date:
    """The n-th working day after `start`; `start` itself is never counted. n=0 gives `start`."""
    if n < 0:
        raise ValueError("the number of working days cannot be negative")
    closed = _closed_by(extra_closed)
    day = start
    remaining = n
    for _ in range(MAX_SPAN_DAYS):
        if remaining == 0:
            return day
        day += timedelta(days=1)
        if is_working_day(day) and not closed(day):
            remaining -= 1
    raise ValueError(f"no {n} working days within {MAX_SPAN_DAYS} days of {start}")


def working_days_between(start: date, end: date, *, extra_closed: ClosedDays = None) -> int:
    """How many working days fall after `start` up to and including `end` (0 when end <= start)."""
    closed = _closed_by(extra_closed)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day) and not closed(day):
            count += 1
    return count


def annual_closure(first: tuple[int, int], last: tuple[int, int]) -> Callable[[date], bool]:
    """A predicate for a period closed every year, given as (month, day) pairs; the period may
    run over the new year, e.g. annual_closure((12, 25), (1, 15))."""
    first_key, last_key = first, last

    def closed(day: date) -> bool:
        key = (day.month, day.day)
        if first_key <= last_key:
            return first_key <= key <= last_key
        return key >= first_key or key <= last_key

    return closed


__all__ = [
    "ClosedDays",
    "add_working_days",
    "annual_closure",
    "is_working_day",
    "public_holiday_name",
    "working_days_between",
]
