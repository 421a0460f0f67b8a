"""The period the figures page counts: whole months in the agency's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from kaitiaki.timeutil import to_local, utcnow

DEFAULT_MONTHS = 12


def _month_start(year: int, month: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(date(year, month, 1), time.min, tzinfo=zone)


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _parse_month(value: str) -> tuple[int, int] | None:
    try:
        parsed = datetime.strptime(value.strip(), "%Y-%m")
    except ValueError:
        return None
    return parsed.year, parsed.month


@dataclass(frozen=True)
class FiguresPeriod:
    first: str  # "2026-01"
    last: str  # "2026-12", inclusive
    start: datetime
    end: datetime  # exclusive: the start of the month after `last`
    note: str = ""  # why the period differs from what was asked, if it does

    @classmethod
    def parse(cls, since: str, until: str, zone: ZoneInfo) -> FiguresPeriod:
        """Months from `since` to `until` (YYYY-MM, both included); the last 12 months by default."""
        today = to_local(utcnow(), zone)
        last = _parse_month(until) if until else (today.year, today.month)
        note = ""
        if last is None:
            last, note = (today.year, today.month), "The end month was not a month; showing up to this month."
        first = _parse_month(since) if since else _shift(*last, -(DEFAULT_MONTHS - 1))
        if first is None or first > last:
            first = _shift(*last, -(DEFAULT_MONTHS - 1))
            note = note or "The start month was not a month before the end month; showing 12 months."
        return cls(
            first=f"{first[0]:04d}-{first[1]:02d}", last=f"{last[0]:04d}-{last[1]:02d}",
            start=_month_start(*first, zone), end=_month_start(*_shift(*last, 1), zone), note=note,
        )


__all__ = ["FiguresPeriod"]
