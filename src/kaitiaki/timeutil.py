"""Times are stored in UTC and shown in the configured zone (Pacific/Auckland by default)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# What tells the time: utcnow, or a fixed moment in tests.
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def ensure_utc(value: datetime) -> datetime:
    """Aware UTC. A naive value is taken to be UTC already (that is how it was stored)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_local(value: datetime, tz: ZoneInfo | str) -> datetime:
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return ensure_utc(value).astimezone(zone)


def last_covered_day(end: datetime, tz: ZoneInfo | str) -> date:
    """The last day a period ending at `end` covers, in the given zone. A grant "until 30 June" is
    stored as the moment that day ends (1 July 00:00 local), which people read as 30 June."""
    local = to_local(end, tz)
    day = local.date()
    return day - timedelta(days=1) if local.time() == time(0) else day


__all__ = ["Clock", "ensure_utc", "last_covered_day", "to_local", "utcnow"]
