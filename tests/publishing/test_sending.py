"""The send step (publishing.sending.send_draft) on SQLite and PostgreSQL: it sends only a draft
that is still checked and authorised, tells the author plainly, audits every outcome, and does
nothing the second time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.checker import load_pack
from kaitiaki.common.work import UnitOfWork
from kaitiaki.config import Settings
from kaitiaki.models import Notification, OutboxMessage
from kaitiaki.errors import Conflict, NotPermitted
from kaitiaki.publishing import scheduling, sending, service
from kaitiaki.publishing.connectors import PublicationItem, PublishedRef
from kaitiaki.register import service as register_service
from kaitiaki.timeutil import utcnow
from tests.publishing.conftest import Posting
from tests.publishing.test_service import MANUAL, NEUTRAL, POLITICAL, WARNING, actions, new_draft

# A smaller pack that lets political slogans and personal views through: the pack in force when the
# draft was checked and submitted, before the agency's own pack replaced it.
OLDER_PACK = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "mini"


@pytest.fixture
def mail_settings(cast_settings: Settings) -> Settings:
    # Email on, so the outbox holds the author's email (a job would deliver it).
    return cast_settings.model_copy(update={"smtp_host": "127.0.0.1"})


def submitted(db: Session, posting: Posting, pack, text: str = NEUTRAL):
    draft = new_draft(db, posting, pack, text)
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    service.acknowledge(db, user=posting.poster, draft=draft)
    service.submit(db, user=posting.poster, draft=draft)
    return draft


def notices(db: Session, posting: Posting) -> list[str]:
    return [n.text for n in db.scalars(select(Notification)
                                       .where(Notification.recipient_id == posting.poster.id,
                                              Notification.link.startswith("/drafts/"))
                                       .order_by(Notification.id))]


def emails_to(db: Session, posting: Posting) -> list[OutboxMessage]:
    return list(db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "email",
                                                       OutboxMessage.recipients == posting.poster.email)))


def test_a_manual_channel_tells_the_author_it_is_due_once(db: Session, posting: Posting, pack,
                                                           mail_settings):
    draft = submitted(db, posting, pack)
    now = utcnow()
    outcome = sending.send_draft(db, mail_settings, draft.id, actor_id=None, now=now, pack=pack)
    assert outcome.result == sending.MANUAL_DUE and not outcome.went_out
    assert "post it on @" in outcome.reason and "by hand" in outcome.reason
    assert draft.state == "submitted"  # it waits for the address
    assert notices(db, posting) == [outcome.reason]
    [email] = emails_to(db, posting)
    assert "post it by hand" in email.subject and f"/drafts/{draft.id}" in email.payload["body"]
    again = sending.send_draft(db, mail_settings, draft.id, actor_id=None,
                               now=now + timedelta(minutes=1), pack=pack)
    assert again.result == sending.MANUAL_DUE
    assert len(notices(db, posting)) == 1 and len(emails_to(db, posting)) == 1
    assert actions(db, draft)[-2:] == ["draft.manual_due", "draft.manual_due"]


def test_a_unit_of_work_sends_with_its_own_session_and_pack(db: Session, posting: Posting, pack,
                                                          mail_settings):
    draft = submitted(db, posting, load_pack(OLDER_PACK), POLITICAL)
    work = UnitOfWork(db, mail_settings, clock=utcnow)  # the configured pack: dpmc
    outcome = sending.send_draft(work, mail_settings, draft.id, actor_id=None, now=work.now())
    assert outcome.result == sending.STOPPED_CHECK and draft.state == "draft"


def test_a_new_block_from_the_current_pack_stops_it(db: Session, posting: Posting, pack,
                                                    mail_settings):
    draft = submitted(db, posting, load_pack(OLDER_PACK), POLITICAL)
    outcome = sending.send_draft(db, mail_settings, draft.id, actor_id=posting.poster.id,
                                 now=utcnow(), pack=pack)
    assert outcome.result == sending.STOPPED_CHECK
    assert "It is now blocked" in outcome.reason and "Check it again" in outcome.reason
    assert draft.state == "draft"  # back to the poster: checked again before it can go
    assert draft.published_url is None
    assert notices(db, posting) == [f"Not sent: {outcome.reason}"]
    event = actions(db, draft)[-1]
    assert event == "draft.send_stopped"


def test_an_unacknowledged_new_warning_stops_it(db: Session, posting: Posting, pack, mail_settings):
    draft = submitted(db, posting, load_pack(OLDER_PACK), WARNING)
    outcome = sending.send_draft(db, mail_settings, draft.id, actor_id=None, now=utcnow(), pack=pack)
    assert outcome.result == sending.STOPPED_CHECK
    assert "new warning needs your acknowledgement" in outcome.reason


def test_acknowledged_warnings_still_in_force_do_not_stop_it(db: Session, posting: Posting, pack,
                                                             mail_settings):
    draft = submitted(db, posting, pack, WARNING)
    outcome = sending.send_draft(db, mail_settings, draft.id, actor_id=None, now=utcnow(), pack=pack)
    assert outcome.result == sending.MANUAL_DUE


def test_a_revoked_authorisation_stops_it_and_it_waits(db: Session, posting: Posting, pack,
                                                       mail_settings):
    draft = submitted(db, posting, pack)
    register_service.revoke(db, user=posting.owner, channel=posting.channel,
                            person_email=posting.poster.email, reason="Moved team.")
    outcome = sending.send_draft(db, mail_settings, draft.id, actor_id=None, now=utcnow(), pack=pack)
    assert outcome.result == sending.STOPPED_AUTHORISATION
    assert "no longer authorised" in outcome.reason and posting.owner.name in outcome.reason
    assert draft.state == "submitted" and draft.published_at is None
    assert notices(db, posting)[-1] == f"Not sent: {outcome.reason}"
    assert actions(db, draft)[-1] == "draft.send_stopped"


def test_a_scheduled_post_stopped_by_a_revoked_authorisation_says_to_choose_a_new_time(
        db: Session, posting: Posting, pack, mail_settings):
    draft = submitted(db, posting, pack)
    now = utcnow()
    scheduling.schedule(db, user=posting.poster, draft=draft, at=now + timedelta(hours=1),
                        zone=mail_settings.zone, now=now)
    register_service.revoke(db, user=posting.owner, channel=posting.channel,
                            person_email=posting.poster.email, reason="Moved team.")
    outcome = sending.send_draft(db, mail_settings, draft.id, actor_id=None,
                                 now=now + timedelta(hours=1), pack=pack)
    assert outcome.result == sending.STOPPED_AUTHORISATION
    assert ("It is not tried again by itself: once they are authorised again, open the draft and "
            "choose a new time under \"Change when it goes out\"") in outcome.reason


class RecordingConnector:
    """A live connector that notes whether a database transaction was open while it was called,
    and can fail the way a lost connection does (no answer, so nobody knows if it went out)."""

    name = "bluesky"

    def __init__(self, session: Session, error: Exception | None = None) -> None:
        self.session = session
        self.error = error
        self.calls: list[bool] = []

    def publish(self, item: PublicationItem) -> PublishedRef:
        self.calls.append(self.session.in_transaction())
        if self.error is not None:
            raise self.error
        return PublishedRef(platform_id=f"at://did:plc:agency/app.bsky.feed.post/{item.draft_id}",
                            url=f"https://bsky.app/profile/agency.test/post/{item.draft_id}")


def test_the_platform_is_called_with_no_transaction_open(db: Session, posting: Posting, pack,
                                                         mail_settings, monkeypatch):
    connector = RecordingConnector(db)
    monkeypatch.setattr(sending, "connector_for", lambda *_: connector)
    draft = submitted(db, posting, pack)
    outcome = sending.send_draft(db, mail_settings, draft.id, actor_id=None, now=utcnow(), pack=pack)
    assert outcome.result == sending.PUBLISHED and connector.calls == [False]
    assert draft.state == "published" and draft.send_started_at is None
    assert actions(db, draft)[-2:] == ["draft.send_started", "draft.published"]


def test_a_send_whose_answer_was_lost_is_never_sent_again_by_itself(db: Session, posting: Posting,
                                                                    pack, mail_settings,
                                                                    monkeypatch):
    lost = RecordingConnector(db, ConnectionResetError("connection reset by peer"))
    monkeypatch.setattr(sending, "connector_for", lambda *_: lost)
    draft = submitted(db, posting, pack)
    with pytest.raises(ConnectionResetError):
        sending.send_draft(db, mail_settings, draft.id, actor_id=None, now=utcnow(), pack=pack)
    db.rollback()  # as the caller's unit of work does; the claim was committed before the call
    assert draft.send_started_at is not None and draft.state == "submitted"

    meanwhile = sending.send_draft(db, mail_settings, draft.id, actor_id=None, now=utcnow(),
                                   pack=pack)  # a second press while the first may still wait
    assert meanwhile.result == sending.SENDING and "It is being sent to" in meanwhile.reason
    later = utcnow() + sending.LOST_AFTER + timedelta(minutes=1)
    again = sending.send_draft(db, mail_settings, draft.id, actor_id=None, now=later, pack=pack)
    assert again.result == sending.UNCONFIRMED and len(lost.calls) == 1  # not sent twice
    assert "Look there. If it is, record its address" in again.reason
    assert notices(db, posting)[-1] == again.reason
    with pytest.raises(Conflict, match="look on the platform first"):
        service.withdraw(db, user=posting.poster, draft=draft)

    with pytest.raises(NotPermitted):
        sending.release_send(db, user=posting.staff, draft=draft, now=utcnow())
    sending.release_send(db, user=posting.poster, draft=draft, now=later)  # not on the platform
    answered = RecordingConnector(db)
    monkeypatch.setattr(sending, "connector_for", lambda *_: answered)
    sent = sending.send_draft(db, mail_settings, draft.id, actor_id=None, now=later, pack=pack)
    assert sent.result == sending.PUBLISHED and answered.calls == [False]
    assert "draft.send_released" in actions(db, draft)


def test_the_author_is_told_of_a_send_whose_answer_was_lost_once(db: Session, posting: Posting,
                                                                  pack, mail_settings, monkeypatch):
    monkeypatch.setattr(sending, "connector_for",
                        lambda *_: RecordingConnector(db, ConnectionResetError("reset")))
    draft = submitted(db, posting, pack)
    started = utcnow()
    with pytest.raises(ConnectionResetError):  # the worker stops with no answer
        sending.send_draft(db, mail_settings, draft.id, actor_id=None, now=started, pack=pack)
    db.rollback()
    assert sending.tell_lost_sends(db, mail_settings, started + timedelta(minutes=1)) == 0
    later = started + sending.LOST_AFTER + timedelta(minutes=1)
    assert sending.tell_lost_sends(db, mail_settings, later) == 1
    sending.tell_lost_sends(db, mail_settings, later + timedelta(minutes=1))
    [told] = [text for text in notices(db, posting) if "its answer was never recorded" in text]
    assert "Look there" in told and "It did not go out" in told


def test_a_draft_not_submitted_is_refused_and_audited(db: Session, posting: Posting, pack,
                                                      mail_settings):
    draft = new_draft(db, posting, pack)
    outcome = sending.send_draft(db, mail_settings, draft.id, actor_id=None, now=utcnow(), pack=pack)
    assert outcome.result == sending.FAILED and "Submit it first" in outcome.reason
    assert draft.state == "draft"
    assert actions(db, draft)[-1] == "draft.send_failed"


def test_a_published_draft_is_left_as_it_is(db: Session, posting: Posting, pack, mail_settings):
    draft = submitted(db, posting, pack)
    service.record_publication(db, user=posting.poster, draft=draft, connector=MANUAL,
                               url="https://x.com/NZCivilDefence/status/42", zone=mail_settings.zone)
    before = actions(db, draft)
    outcome = sending.send_draft(db, mail_settings, draft.id, actor_id=None, now=utcnow(), pack=pack)
    assert outcome.result == sending.PUBLISHED and outcome.already
    assert outcome.url == "https://x.com/NZCivilDefence/status/42"
    assert actions(db, draft) == before and notices(db, posting) == []



def test_a_post_sent_inside_a_dated_period_is_judged_by_that_period(db: Session, posting: Posting,
                                                                    pack, mail_settings):
    # Checked and submitted outside the pre-election period (today), sent on a day inside it: the
    # period's rule blocks crediting the Government, so the post goes back to its author.
    credit = "The Government has delivered 40 new Civil Defence centres. Find yours at getready.govt.nz."
    draft = submitted(db, posting, pack, credit)
    assert draft.state == "submitted"
    inside = datetime(2023, 9, 12, 10, 0, tzinfo=UTC)
    outcome = sending.send_draft(db, mail_settings, draft.id, actor_id=None, now=inside, pack=pack)
    assert outcome.result == sending.STOPPED_CHECK and draft.state == "draft"
    assert "Before an election" in outcome.reason
