"""Due dates under the Official Information Act 1982.

A decision is due "as soon as reasonably practicable, and in any case not later than 20 working
days after the day on which the request is received" (section 15(1)). The Act's definition of a
working day (section 2) leaves out Saturdays, Sundays, the national public holidays (Matariki and
the Mondayised Waitangi and Anzac days included) and every day from 25 December to 15 January.

The national calendar is kaitiaki.workingdays; the closure over the summer is its `extra_closed`
parameter, and "after the day received" is how its `add_working_days` counts.
"""

from __future__ import annotations

from datetime import date, datetime

from kaitiaki.errors import BadInput, FieldError
from kaitiaki.workingdays import (
    add_working_days,
    annual_closure,
    is_working_day,
    public_holiday_name,
    working_days_between,
)

DECISION_WORKING_DAYS = 20
SUMMER_CLOSURE = ((12, 25), (1, 15))
MAX_WORKING_DAYS = 1000  # an extension of years is a typing mistake, not a plan

oia_closed = annual_closure(*SUMMER_CLOSURE)


def is_oia_working_day(day: date) -> bool:
    return is_working_day(day, extra_closed=oia_closed)


def why_not_working(day: date) -> str | None:
    """Why `day` is not a working day under the Act ("Saturday", "Matariki", "the summer
    closure (25 December to 15 January)"), or None when it is one."""
    if day.weekday() == 5:
        return "Saturday"
    if day.weekday() == 6:
        return "Sunday"
    holiday = public_holiday_name(day)
    if holiday is not None:
        return holiday
    if oia_closed(day):
        return "the summer closure (25 December to 15 January)"
    return None


def due_date(received: date, working_days: int = DECISION_WORKING_DAYS) -> date:
    """The `working_days`-th working day after the day received."""
    if not 0 < working_days <= MAX_WORKING_DAYS:
        raise BadInput(f"The number of working days must be between 1 and {MAX_WORKING_DAYS}.",
                       fields=[FieldError(["days"], f"Enter 1 to {MAX_WORKING_DAYS} working days.")])
    return add_working_days(received, working_days, extra_closed=oia_closed)


def working_days_left(due: date, today: date) -> int:
    """Working days from today to the due date (0 on the day; negative once overdue)."""
    if today <= due:
        return working_days_between(today, due, extra_closed=oia_closed)
    return -working_days_between(due, today, extra_closed=oia_closed)


def parse_received(value: str, today: date, *, field: str = "received_on", allow_future: bool = False) -> date:
    """A received date typed as YYYY-MM-DD: a real date, not in the future unless `allow_future`
    (the due-date calculator plans ahead; a logged request cannot have arrived tomorrow)."""
    text = value.strip()
    try:
        received = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        message = f"{text[:40]!r} is not a date: write it as YYYY-MM-DD, for example 2026-12-10."
        raise BadInput(message, fields=[FieldError([field], "Enter the date as YYYY-MM-DD.")]) from None
    if received > today and not allow_future:
        message = (f"The received date {received.isoformat()} is in the future; a request is "
                   f"logged on or after the day it arrives (today is {today.isoformat()}).")
        raise BadInput(message, fields=[FieldError([field], "The received date cannot be in the future.")])
    if received.year < 1983:
        message = "The Official Information Act 1982 came into force on 1 July 1983."
        raise BadInput(message, fields=[FieldError([field], message)])
    return received


__all__ = [
    "DECISION_WORKING_DAYS",
    "MAX_WORKING_DAYS",
    "due_date",
    "is_oia_working_day",
    "oia_closed",
    "parse_received",
    "why_not_working",
    "working_days_left",
]
