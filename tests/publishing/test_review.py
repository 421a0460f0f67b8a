"""The optional second-person review, through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.audit import queries as audit_queries
from kaitiaki.errors import BadInput, InvalidTransition, NotPermitted
from kaitiaki.models import Notification
from kaitiaki.publishing import review, service
from kaitiaki.register import service as register_service
from tests.fixtures.register import ZONE
from tests.publishing.conftest import Posting
from tests.publishing.test_service import NEUTRAL, POLITICAL, actions, new_draft


def reviewed_channel(db: Session, posting: Posting) -> Posting:
    """The channel asks for review, and a second person (staff) may post on it."""
    register_service.authorise(db, user=posting.owner, channel=posting.channel,
                               person_email=posting.staff.email, until=None,
                               reason="Reviews posts.", zone=ZONE)
    review.set_review_required(db, user=posting.owner, channel=posting.channel, required=True)
    return posting


def submitted(db: Session, posting: Posting, pack, text: str = NEUTRAL):
    draft = new_draft(db, posting, pack, text)
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    return service.submit(db, user=posting.poster, draft=draft)


def notices_of(db: Session, user) -> list[str]:
    return list(db.scalars(select(Notification.text).where(Notification.recipient_id == user.id)))


def test_without_review_a_submitted_post_is_ready_to_go(db: Session, posting: Posting, pack):
    draft = submitted(db, posting, pack)
    assert draft.state == "submitted"


def test_a_post_waits_for_review_and_the_reviewers_are_told(db: Session, posting: Posting, pack):
    reviewed_channel(db, posting)
    draft = submitted(db, posting, pack)
    assert draft.state == "in_review"
    waiting = f"{posting.poster.name}'s post on @{posting.channel.handle} waits for your review."
    assert waiting in notices_of(db, posting.staff)
    assert waiting in notices_of(db, posting.owner)
    assert waiting not in notices_of(db, posting.poster)
    assert review.reviews_waiting_for(db, posting.staff) == [draft]
    assert review.reviews_waiting_for(db, posting.poster) == []
    assert actions(db, draft)[-1] == "draft.sent_for_review"


def test_returned_changed_resubmitted_and_approved(db: Session, posting: Posting, pack):
    reviewed_channel(db, posting)
    draft = submitted(db, posting, pack)
    with pytest.raises(BadInput, match="comment for the author"):
        review.decide(db, user=posting.staff, draft=draft, approve=False, comment=" ")
    review.decide(db, user=posting.staff, draft=draft, approve=False,
                  comment="Say which Sunday.")
    assert draft.state == "returned"
    assert any("returned your post" in text and "Say which Sunday." in text
               for text in notices_of(db, posting.poster))
    with pytest.raises(InvalidTransition):
        service.submit(db, user=posting.poster, draft=draft)
    service.revise_draft(db, user=posting.poster, draft=draft, pack=pack,
                         data=service.input_of(service.current_version(db, draft), "post"))
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    service.submit(db, user=posting.poster, draft=draft)
    assert draft.state == "in_review"
    decision = review.decide(db, user=posting.owner, draft=draft, approve=True)
    assert draft.state == "submitted" and decision.version.number == 2
    assert [r.decision for r in review.reviews_of(db, draft)] == ["approved", "returned"]
    assert actions(db, draft)[-1] == "draft.review_approved"
    assert "draft.review_returned" in actions(db, draft)


def test_nobody_reviews_their_own_post(db: Session, posting: Posting, pack):
    reviewed_channel(db, posting)
    draft = submitted(db, posting, pack)
    with pytest.raises(NotPermitted, match="Nobody reviews their own post"):
        review.decide(db, user=posting.poster, draft=draft, approve=True)
    assert not review.can_review(db, posting.poster, draft)


def test_someone_not_on_the_channel_cannot_review(db: Session, posting: Posting, pack):
    review.set_review_required(db, user=posting.owner, channel=posting.channel, required=True)
    draft = submitted(db, posting, pack)
    with pytest.raises(NotPermitted, match="Only people authorised to post"):
        review.decide(db, user=posting.staff, draft=draft, approve=True)
    assert draft.state == "in_review"


def test_an_exception_keeps_its_own_approval_then_the_post_is_reviewed(db: Session,
                                                                       posting: Posting, pack):
    reviewed_channel(db, posting)
    draft = new_draft(db, posting, pack, POLITICAL)
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    service.request_exception(db, user=posting.poster, draft=draft, justification="Quoted news.")
    service.decide_exception(db, user=posting.owner, draft=draft, approve=True, reason="Fine.")
    service.acknowledge(db, user=posting.poster, draft=draft)
    service.submit(db, user=posting.poster, draft=draft)
    assert draft.state == "in_review"


def test_only_the_owner_changes_the_setting_and_it_is_audited(db: Session, posting: Posting):
    with pytest.raises(NotPermitted, match="business owner"):
        review.set_review_required(db, user=posting.poster, channel=posting.channel, required=True)
    review.set_review_required(db, user=posting.owner, channel=posting.channel, required=True)
    assert posting.channel.review_required
    events = audit_queries.list_events(db, subject=f"channel:{posting.channel.id}", limit=3)
    assert events[0].action == "channel.review_setting_changed"
    assert events[0].details == {"review_required": True}
