"""Register reminders with a fixed clock: a posting authorisation ending and ended (the person and
the business owner, once each), and a channel that has not posted within its cadence (its owner,
once per last post)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from kaitiaki.common.reminding import ReminderRun
from kaitiaki.notify import inapp
from kaitiaki.register import service
from kaitiaki.register.reminders import send_grant_reminders, send_stale_channel_reminders
from tests.fixtures.register import ZONE, make_channel
from tests.register.conftest import Cast

# 08:00 New Zealand daylight time (UTC+13) on Mondays 26 January and 2 February 2099.
MONDAY_26_JAN_0800 = datetime(2099, 1, 25, 19, 0, tzinfo=UTC)
MONDAY_26_JAN_0700 = datetime(2099, 1, 25, 18, 0, tzinfo=UTC)
MONDAY_2_FEB_0800 = datetime(2099, 2, 1, 19, 0, tzinfo=UTC)


def _channel(db: Session, cast: Cast, handle: str):
    user = lambda name: cast.user(db, name)  # noqa: E731
    return make_channel(db, requester=user("comms"), approvers=(user("nema_ce"), user("nema_cm")),
                        owner=user("owner"), unit="NEMA", handle=handle)


def _texts(db: Session, cast: Cast, name: str) -> list[str]:
    return [n.text for n in inapp.notifications_for(db, cast.user(db, name))]


def _run(settings, moment):
    return ReminderRun.at(settings, lambda: moment)


def test_an_ending_authorisation_is_told_before_and_after_it_ends_once_each(db, cast, cast_settings):
    channel = _channel(db, cast, "GrantEnds")
    service.authorise(db, user=cast.user(db, "owner"), channel=channel, person_email=cast.emails["poster"],
                      until=date(2099, 1, 31), reason="Cover for the summer", zone=ZONE)
    assert send_grant_reminders(db, _run(cast_settings, MONDAY_26_JAN_0700)) == 0
    assert send_grant_reminders(db, _run(cast_settings, MONDAY_26_JAN_0800)) == 2
    assert send_grant_reminders(db, _run(cast_settings, MONDAY_26_JAN_0800)) == 0
    ending = "Paora Poster's authorisation to post on @GrantEnds ends on 31 January 2099"
    assert _texts(db, cast, "poster")[0] == ending and _texts(db, cast, "owner")[0] == ending
    assert send_grant_reminders(db, _run(cast_settings, MONDAY_2_FEB_0800)) == 2
    assert send_grant_reminders(db, _run(cast_settings, MONDAY_2_FEB_0800)) == 0
    assert _texts(db, cast, "poster")[0] == "Paora Poster's authorisation to post on @GrantEnds has ended"


def test_granting_and_revoking_tell_the_person_in_the_app(db, cast):
    channel = _channel(db, cast, "GrantTold")
    owner = cast.user(db, "owner")
    service.authorise(db, user=owner, channel=channel, person_email=cast.emails["poster"], until=None,
                      reason="", zone=ZONE)
    service.revoke(db, user=owner, channel=channel, person_email=cast.emails["poster"], reason="Left the team")
    assert _texts(db, cast, "poster")[:2] == [
        "Your authorisation to post on @GrantTold is revoked: Left the team", "You may now post on @GrantTold."]


def test_a_stale_channel_is_told_once_per_last_post(db, cast, cast_settings):
    channel = _channel(db, cast, "StaleOne")
    channel.cadence_days, channel.last_post_on = 7, date(2099, 1, 10)
    db.flush()
    assert send_stale_channel_reminders(db, _run(cast_settings, MONDAY_26_JAN_0800)) == 1
    assert send_stale_channel_reminders(db, _run(cast_settings, MONDAY_26_JAN_0800)) == 0
    assert _texts(db, cast, "owner")[0] == "@StaleOne has not posted within 7 days"
    channel.last_post_on = date(2099, 1, 20)  # a post, then silence again
    db.flush()
    assert send_stale_channel_reminders(db, _run(cast_settings, MONDAY_2_FEB_0800)) == 1
