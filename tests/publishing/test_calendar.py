"""The calendar: New Zealand days, week and month periods, who sees which channels, and the page
as a list (week) and a table with headers (month), on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime, timedelta

from kaitiaki.db import session_scope
from kaitiaki.publishing import calendar, scheduling, service
from kaitiaki.publishing.connectors import ManualRecordConnector
from kaitiaki.publishing.schemas import DraftInput
from kaitiaki.timeutil import to_local, utcnow
from tests.fixtures.register import ZONE
from tests.publishing.conftest import authorised_channel
from tests.register.conftest import signed_in  # noqa: F401 (a fixture)

_handles = itertools.count(1)
SIRENS = "Civil Defence sirens are tested at 9am on Sunday. No action is needed."


def test_a_week_runs_monday_to_sunday_and_a_month_fills_whole_weeks():
    assert calendar.period("week", date(2026, 12, 10))[:2] == (date(2026, 12, 7),
                                                              date(2026, 12, 14))
    start, end, first, after = calendar.period("month", date(2026, 12, 10))
    assert (start, end) == (date(2026, 11, 30), date(2027, 1, 4))
    assert (first, after) == (date(2026, 12, 1), date(2027, 1, 1))


def posted(session, posting, pack, text: str = SIRENS):
    draft = service.create_draft(session, user=posting.poster, pack=pack,
                                 channel_id=posting.channel.id,
                                 data=DraftInput(kind="post", text=text))
    service.check_draft(session, user=posting.poster, draft=draft, pack=pack)
    return service.submit(session, user=posting.poster, draft=draft)


def test_posts_fall_on_their_new_zealand_day(db, cast, pack):
    posting = authorised_channel(db, cast, handle="CalendarDays")
    now = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
    late_sunday = datetime(2026, 12, 13, 10, 30, tzinfo=UTC)  # 11:30 pm Sunday in Auckland
    draft = posted(db, posting, pack)
    scheduling.schedule(db, user=posting.poster, draft=draft, at=late_sunday, zone=ZONE, now=now)
    shown = calendar.build(db, channels=[posting.channel], view="week", anchor=date(2026, 12, 8),
                           zone=ZONE)
    sunday = shown.days[-1]
    assert sunday.on == date(2026, 12, 13) and [e.draft.id for e in sunday.entries] == [draft.id]
    assert sunday.entries[0].status == "scheduled" and sunday.entries[0].at.hour == 23
    assert shown.count == 1
    following = calendar.build(db, channels=[posting.channel], view="week",
                               anchor=date(2026, 12, 14), zone=ZONE)
    assert following.count == 0


def test_who_sees_which_channels(db, cast):
    posting = authorised_channel(db, cast, handle="CalendarSeen")
    assert posting.channel in calendar.visible_channels(db, posting.poster)
    assert posting.channel in calendar.visible_channels(db, posting.owner)
    assert posting.channel in calendar.visible_channels(db, posting.comms)
    assert posting.channel not in calendar.visible_channels(db, posting.staff)


def test_the_page_shows_scheduled_and_published_posts_with_links(cast, signed_in, pack):  # noqa: F811
    today = to_local(utcnow(), ZONE).date()
    with session_scope(cast.engine) as session:
        posting = authorised_channel(session, cast, handle=f"CalendarPage{next(_handles)}")
        scheduled = posted(session, posting, pack)
        at = datetime.combine(today + timedelta(days=1), datetime.min.time().replace(hour=10),
                              tzinfo=ZONE)
        scheduling.schedule(session, user=posting.poster, draft=scheduled, at=at, zone=ZONE)
        published = posted(session, posting, pack, "Test your smoke alarms this weekend.")
        service.record_publication(session, user=posting.poster, draft=published,
                                   connector=ManualRecordConnector(),
                                   url="https://x.com/NZCivilDefence/status/4242", zone=ZONE)
        ids, channel_id = (scheduled.id, published.id), posting.channel.id
    poster = signed_in("poster")
    this_week = poster.get("/calendar").text
    assert "<ol class=\"calendar-week\"" in this_week
    assert f'href="/drafts/{ids[1]}"' in this_week and "Published: post on @" in this_week
    tomorrow = (today + timedelta(days=1)).isoformat()
    its_week = poster.get(f"/calendar?date={tomorrow}").text
    assert f'href="/drafts/{ids[0]}"' in its_week and "Scheduled: post on @" in its_week
    month = poster.get(f"/calendar?view=month&date={tomorrow}&channel={channel_id}").text
    assert "<caption>Posts in" in month and month.count('<th scope="col">') == 7
    assert f'href="/drafts/{ids[0]}"' in month
    staff = signed_in("staff")
    assert staff.get(f"/calendar?channel={channel_id}").status_code == 403
    assert "do not post on, own or look after any channel" in staff.get("/calendar").text
    odd = poster.get("/calendar?date=31-12-2026").text
    assert re.search(r"is not a date such as \d{4}-\d\d-\d\d", odd)
