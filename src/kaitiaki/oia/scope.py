"""What an export covers: a date range (New Zealand dates, both included), channels (all, or
some) and record kinds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kaitiaki.common.forms import FieldErrors, parse_date

RECORD_KINDS: dict[str, str] = {
    "moderation": "Moderation decisions",
    "complaints": "Complaints",
    "register": "Register history",
    "posts": "Posts and their checks",
}
MAX_SPAN_DAYS = 3660


@dataclass(frozen=True)
class ExportScope:
    first: date
    last: date
    channel_ids: tuple[int, ...] | None  # None: every channel
    kinds: tuple[str, ...]

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) in the agency's time zone, as aware datetimes."""
        start = datetime.combine(self.first, time.min, tzinfo=zone)
        end = datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=zone)
        return start, end

    def includes_channel(self, channel_id: int | None) -> bool:
        """Records about no channel (a complaint still to triage) are in scope only when every
        channel is."""
        if self.channel_ids is None:
            return True
        return channel_id is not None and channel_id in self.channel_ids


def parse_scope(first: str, last: str, channel_ids: Sequence[int | str], kinds: Sequence[str]
                ) -> ExportScope:
    errors = FieldErrors()
    start = parse_date(first, errors, "first", "first date", required=True,
                       message="Enter the first date as YYYY-MM-DD.")
    end = parse_date(last, errors, "last", "last date", required=True,
                     message="Enter the last date as YYYY-MM-DD.")
    if start and end and end < start:
        errors.add("last", "The last date must be on or after the first date.")
    elif start and end and (end - start).days > MAX_SPAN_DAYS:
        errors.add("last", "An export covers at most ten years.")
    chosen = [kind for kind in kinds if kind]
    unknown = [kind for kind in chosen if kind not in RECORD_KINDS]
    if unknown or not chosen:
        errors.add("kinds", f"Choose the kinds of record: {', '.join(RECORD_KINDS)}.")
    ids: list[int] = []
    for value in channel_ids:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            errors.add("channels", "Choose channels from the list.")
            break
    errors.raise_if_any()
    assert start is not None and end is not None
    ordered = tuple(kind for kind in RECORD_KINDS if kind in chosen)
    return ExportScope(first=start, last=end, channel_ids=tuple(sorted(set(ids))) or None,
                       kinds=ordered)


__all__ = ["ExportScope", "RECORD_KINDS", "parse_scope"]
