"""In-app notifications: one per recipient, newest first, marked read only by their recipient."""

from __future__ import annotations

import pytest

from kaitiaki.errors import NotFound
from kaitiaki.notify import inapp
from tests.fixtures.people import make_user


def test_each_recipient_gets_one_notice_and_reads_it(session):
    ana, ben = make_user(session), make_user(session)
    inapp.notify(session, [ana, ben, ana], "Complaint DPMC-SM-2026-0001 escalated to you",
                 link="/complaints/DPMC-SM-2026-0001")
    inapp.notify(session, [ana], "A second notice")
    assert [n.text for n in inapp.notifications_for(session, ana)] == [
        "A second notice", "Complaint DPMC-SM-2026-0001 escalated to you"]
    assert inapp.unread_count(session, ana) == 2 and inapp.unread_count(session, ben) == 1
    first = inapp.notifications_for(session, ana)[1]
    inapp.mark_read(session, ana, first.id)
    assert inapp.unread_count(session, ana) == 1
    assert [n.text for n in inapp.notifications_for(session, ana, unread_only=True)] == ["A second notice"]
    with pytest.raises(NotFound):
        inapp.mark_read(session, ben, first.id)
    assert inapp.mark_all_read(session, ana) == 1 and inapp.unread_count(session, ana) == 0


def test_links_stay_inside_kaitiaki_and_text_is_bounded(session):
    ana = make_user(session)
    with pytest.raises(ValueError):
        inapp.notify(session, [ana], "Go", link="https://elsewhere.example")
    [notice] = inapp.notify(session, [ana], "word " * 200)
    assert len(notice.text) == inapp.MAX_TEXT_LENGTH


def test_people_who_have_left_are_not_notified(session):
    ana = make_user(session)
    ana.is_active = False
    assert inapp.notify(session, [ana], "Nobody reads this") == []
