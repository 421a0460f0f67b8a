"""An approved exception may run until a day: after it, the draft cannot be submitted under it,
and the poster and the business owner are told once before it lapses and once when it has
(periodic reminders with a fixed clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from kaitiaki.common.reminding import ReminderRun
from kaitiaki.errors import BadInput, Conflict
from kaitiaki.notify import inapp
from kaitiaki.publishing import service
from kaitiaki.publishing.reminders import send_exception_reminders
from tests.fixtures.register import ZONE
from tests.publishing.conftest import Posting
from tests.publishing.test_service import POLITICAL, new_draft

# New Zealand daylight time (UTC+13): Monday 26 January 2099 at 07:00 and 08:00, Friday 30 January
# at 08:00, and Monday 2 February at 08:00.
MONDAY_26_JAN_0700 = datetime(2099, 1, 25, 18, 0, tzinfo=UTC)
MONDAY_26_JAN_0800 = datetime(2099, 1, 25, 19, 0, tzinfo=UTC)
FRIDAY_30_JAN_0800 = datetime(2099, 1, 29, 19, 0, tzinfo=UTC)
MONDAY_2_FEB_0800 = datetime(2099, 2, 1, 19, 0, tzinfo=UTC)
DECIDED = datetime(2099, 1, 20, 1, 0, tzinfo=UTC)


def _approved_until(db: Session, posting: Posting, pack, until: date | None):
    draft = new_draft(db, posting, pack, POLITICAL)
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    service.request_exception(db, user=posting.poster, draft=draft, justification="Quoting the Commission.")
    exception = service.decide_exception(db, user=posting.owner, draft=draft, approve=True,
                                         reason="It quotes the Commission.", until=until, zone=ZONE,
                                         now=DECIDED)
    return draft, exception


def _texts(db: Session, person) -> list[str]:
    return [n.text for n in inapp.notifications_for(db, person)]


def test_an_approval_until_a_day_ends_at_that_days_end_and_then_lapses(db: Session, posting: Posting, pack):
    draft, exception = _approved_until(db, posting, pack, date(2099, 1, 31))
    assert exception.expires_at == datetime(2099, 1, 31, 11, 0, tzinfo=UTC)  # midnight NZDT
    assert _texts(db, posting.poster)[0].startswith(
        f"Your exception on draft {draft.id} is approved until 31 January 2099")
    assert service.submission_problems(db, draft, datetime(2099, 1, 31, 10, 59, tzinfo=UTC)) == []
    lapsed = service.submission_problems(db, draft, datetime(2099, 1, 31, 11, 0, tzinfo=UTC))
    assert lapsed == ["The exception has lapsed: revise the draft and check it again to ask for a "
                      "new one."]
    with pytest.raises(Conflict, match="The exception has lapsed"):
        service.submit(db, user=posting.poster, draft=draft, now=MONDAY_2_FEB_0800)
    assert draft.state == "exception_approved"
    service.submit(db, user=posting.poster, draft=draft, now=FRIDAY_30_JAN_0800)
    assert draft.state == "submitted"


def test_a_day_already_past_is_refused_and_nothing_is_decided(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack, POLITICAL)
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    service.request_exception(db, user=posting.poster, draft=draft, justification="Please.")
    with pytest.raises(BadInput, match="That day has passed") as refused:
        service.decide_exception(db, user=posting.owner, draft=draft, approve=True, reason="ok",
                                 until=date(2099, 1, 19), zone=ZONE, now=DECIDED)
    assert refused.value.fields[0].loc == ["until"]
    assert draft.state == "exception_requested"


def test_without_a_day_an_approval_never_lapses_and_nobody_is_reminded(db: Session, posting: Posting, pack,
                                                                       cast_settings):
    draft, exception = _approved_until(db, posting, pack, None)
    assert exception.expires_at is None
    assert service.submission_problems(db, draft, datetime(2199, 1, 1, tzinfo=UTC)) == []
    assert send_exception_reminders(db, ReminderRun.at(cast_settings, lambda: MONDAY_26_JAN_0800)) == 0


def test_the_poster_and_the_owner_are_told_before_it_lapses_and_when_it_has_once_each(
        db: Session, posting: Posting, pack, cast_settings):
    draft, _exception = _approved_until(db, posting, pack, date(2099, 1, 31))

    def run(moment: datetime) -> int:
        return send_exception_reminders(db, ReminderRun.at(cast_settings, lambda: moment))

    assert run(MONDAY_26_JAN_0800) == 0  # more than three days ahead
    assert run(datetime(2099, 1, 28, 18, 0, tzinfo=UTC)) == 0  # Thursday, before the reminder hour
    assert run(FRIDAY_30_JAN_0800) == 2
    assert run(FRIDAY_30_JAN_0800) == 0
    ending = f"The exception on draft {draft.id} for @{posting.channel.handle} ends on 31 January 2099"
    assert _texts(db, posting.poster)[0] == ending and _texts(db, posting.owner)[0] == ending
    assert run(MONDAY_2_FEB_0800) == 2
    assert run(MONDAY_2_FEB_0800) == 0
    lapsed = f"The exception on draft {draft.id} for @{posting.channel.handle} has lapsed"
    assert _texts(db, posting.poster)[0] == lapsed and _texts(db, posting.owner)[0] == lapsed


def test_a_draft_submitted_in_time_is_not_reminded(db: Session, posting: Posting, pack, cast_settings):
    draft, _exception = _approved_until(db, posting, pack, date(2099, 1, 31))
    service.submit(db, user=posting.poster, draft=draft, now=MONDAY_26_JAN_0700)
    assert send_exception_reminders(db, ReminderRun.at(cast_settings, lambda: FRIDAY_30_JAN_0800)) == 0
    assert send_exception_reminders(db, ReminderRun.at(cast_settings, lambda: MONDAY_2_FEB_0800)) == 0
