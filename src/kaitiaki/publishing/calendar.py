"""The publishing calendar: scheduled and published posts by day, a week or a month at a time,
for one channel or every channel the person can see. Days are New Zealand days (the configured
zone): a post at 11:30 pm on Sunday is on Sunday, whatever its UTC date."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from kaitiaki.common.access import has_role
from kaitiaki.common.roles import ADMIN
from kaitiaki.models import Channel, Draft, DraftVersion, User
from kaitiaki.register import queries as register_queries
from kaitiaki.register.permissions import is_comms_staff
from kaitiaki.timeutil import ensure_utc, to_local

VIEWS = ("week", "month")
ENTRY_LIMIT = 2000
EXCERPT = 80


@dataclass(frozen=True)
class Entry:
    draft: Draft
    at: datetime  # local time
    status: str  # "scheduled" | "published"
    excerpt: str


@dataclass(frozen=True)
class Day:
    on: date
    entries: list[Entry]
    in_period: bool  # False for the days of the neighbouring months that fill a month's weeks


@dataclass(frozen=True)
class Calendar:
    view: str
    anchor: date
    start: date
    end: date  # exclusive
    days: list[Day]

    @property
    def weeks(self) -> list[list[Day]]:
        return [self.days[i:i + 7] for i in range(0, len(self.days), 7)]

    @property
    def previous(self) -> date:
        return self.anchor - timedelta(days=7) if self.view == "week" \
            else (self.anchor.replace(day=1) - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return self.anchor + timedelta(days=7) if self.view == "week" \
            else (self.anchor.replace(day=28) + timedelta(days=4)).replace(day=1)

    @property
    def count(self) -> int:
        return sum(len(day.entries) for day in self.days if day.in_period)


def visible_channels(session: Session, user: User) -> list[Channel]:
    """Every channel for communications staff and administrators; for anyone else the channels
    they may post on or own."""
    if is_comms_staff(session, user) or has_role(session, user, ADMIN):
        return list(session.scalars(select(Channel).order_by(Channel.platform, Channel.handle_key)))
    channels = {c.id: c for c in register_queries.channels_owned_by(session, user)}
    channels.update({c.id: c for c in register_queries.channels_postable_by(session, user)})
    return sorted(channels.values(), key=lambda c: (c.platform, c.handle_key))


def period(view: str, anchor: date) -> tuple[date, date, date, date]:
    """(first day shown, day after the last shown, first day of the period, day after it): a
    week runs Monday to Sunday; a month is shown in whole weeks."""
    if view == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return start, start + timedelta(days=7), start, start + timedelta(days=7)
    first = anchor.replace(day=1)
    after = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    start = first - timedelta(days=first.weekday())
    end = after + timedelta(days=(7 - after.weekday()) % 7)
    return start, end, first, after


def _utc_midnight(day: date, zone: ZoneInfo) -> datetime:
    return ensure_utc(datetime.combine(day, time(0), tzinfo=zone))


def build(session: Session, *, channels: list[Channel], view: str, anchor: date,
          zone: ZoneInfo) -> Calendar:
    start, end, first, after = period(view, anchor)
    since, until = _utc_midnight(start, zone), _utc_midnight(end, zone)
    by_day: dict[date, list[Entry]] = defaultdict(list)
    ids = [channel.id for channel in channels]
    rows = session.execute(
        select(Draft, DraftVersion.text)
        .join(DraftVersion, and_(DraftVersion.draft_id == Draft.id,
                                 DraftVersion.number == Draft.current_version))
        .where(Draft.channel_id.in_(ids), or_(
            and_(Draft.state == "published", Draft.published_at >= since,
                 Draft.published_at < until),
            and_(Draft.state == "submitted", Draft.scheduled_for >= since,
                 Draft.scheduled_for < until)))
        .limit(ENTRY_LIMIT)) if ids else []
    for draft, text in rows:
        published = draft.state == "published"
        at = to_local(draft.published_at if published else draft.scheduled_for, zone)
        excerpt = text if len(text) <= EXCERPT else text[:EXCERPT].rsplit(" ", 1)[0] + "…"
        by_day[at.date()].append(Entry(draft, at, "published" if published else "scheduled",
                                       excerpt))
    days = []
    for offset in range((end - start).days):
        on = start + timedelta(days=offset)
        days.append(Day(on, sorted(by_day.get(on, []), key=lambda e: (e.at, e.draft.id)),
                        first <= on < after))
    return Calendar(view=view, anchor=anchor, start=start, end=end, days=days)


__all__ = ["Calendar", "Day", "Entry", "VIEWS", "build", "period", "visible_channels"]
