"""Times are stored in UTC and shown in the configured zone (Pacific/Auckland by default)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


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


__all__ = ["ensure_utc", "to_local", "utcnow"]
