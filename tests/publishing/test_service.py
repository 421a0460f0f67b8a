"""Every transition of a draft through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from kaitiaki.audit import queries as audit_queries
from kaitiaki.checker import CompiledPack
from kaitiaki.errors import BadInput, Conflict, InvalidTransition, NotPermitted
from kaitiaki.models import Comment
from kaitiaki.publishing import queries, service
from kaitiaki.publishing.connectors import ManualRecordConnector
from kaitiaki.publishing.schemas import DraftInput
from kaitiaki.publishing.transitions import DRAFT_WORKFLOW
from kaitiaki.register import service as register_service
from kaitiaki.timeutil import utcnow
from tests.fixtures.register import ZONE
from tests.publishing.conftest import Posting, authorised_channel

POLITICAL = "Vote National on Saturday! They are the only party with a plan."
NEUTRAL = "Civil Defence sirens are tested at 9am on Sunday. No action is needed."
WARNING = "Honestly, in my personal view the new siren schedule is great."
MANUAL = ManualRecordConnector()


def new_draft(db: Session, posting: Posting, pack: CompiledPack, text: str = NEUTRAL, **fields):
    data = DraftInput(kind=fields.pop("kind", "post"), text=text, **fields)
    return service.create_draft(db, user=posting.poster, pack=pack,
                                channel_id=posting.channel.id, data=data)


def actions(db: Session, draft) -> list[str]:
    return [event.action for event in reversed(
        audit_queries.list_events(db, subject=service.subject_of(draft), limit=100))]


def test_table_has_one_initial_state_and_final_states():
    assert DRAFT_WORKFLOW.initial == "draft"
    assert DRAFT_WORKFLOW.is_final("published") and DRAFT_WORKFLOW.is_final("withdrawn")
    assert not DRAFT_WORKFLOW.can("draft", "submit")


@pytest.mark.parametrize("state", list(DRAFT_WORKFLOW.states))
def test_every_move_outside_the_table_is_refused_naming_the_state(state):
    for action in DRAFT_WORKFLOW.actions:
        if DRAFT_WORKFLOW.can(state, action):
            continue
        with pytest.raises(InvalidTransition, match=f"This draft is {DRAFT_WORKFLOW.states[state]}"):
            DRAFT_WORKFLOW.apply(state, action)


def test_clean_post_is_checked_submitted_and_published(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack)
    assert draft.state == "draft" and draft.current_version == 1
    version = service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    assert draft.state == "checked" and version.decision == "pass"
    assert version.pack_id.startswith("dpmc@")
    service.submit(db, user=posting.poster, draft=draft)
    assert draft.state == "submitted"
    service.record_publication(db, user=posting.poster, draft=draft, connector=MANUAL,
                               url="https://x.com/NZCivilDefence/status/1790", zone=ZONE)
    assert draft.state == "published"
    assert draft.platform_post_id == "1790"
    assert posting.channel.last_post_on == utcnow().astimezone(ZONE).date()
    assert actions(db, draft) == ["draft.created", "draft.checked", "draft.submitted",
                                  "draft.published"]
    channel_events = audit_queries.list_events(db, subject=f"channel:{posting.channel.id}", limit=5)
    assert channel_events[0].action == "channel.last_post_recorded"
    assert channel_events[0].details["item"] == f"draft:{draft.id}"


def test_block_finding_stops_submission_until_rewritten(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack, POLITICAL)
    version = service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    assert version.decision == "block"
    assert any(f["category"] == "political_neutrality" for f in version.findings)
    with pytest.raises(Conflict, match="block finding stops submission"):
        service.submit(db, user=posting.poster, draft=draft)
    new = service.revise_draft(db, user=posting.poster, draft=draft, pack=pack,
                               data=DraftInput(kind="post", text=NEUTRAL))
    assert new.number == 2 and draft.state == "draft"
    with pytest.raises(InvalidTransition, match="not checked yet"):
        service.submit(db, user=posting.poster, draft=draft)
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    service.submit(db, user=posting.poster, draft=draft)
    assert [v.number for v in queries.versions_of(db, draft)] == [2, 1]
    assert queries.version(db, draft, 1).decision == "block"


def test_exception_approved_by_the_business_owner_lets_it_through(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack, POLITICAL)
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    with pytest.raises(BadInput, match="why"):
        service.request_exception(db, user=posting.poster, draft=draft, justification="  ")
    service.request_exception(db, user=posting.poster, draft=draft,
                              justification="Quoting the Electoral Commission's own wording.")
    assert draft.state == "exception_requested"
    waiting = queries.exceptions_waiting_for(db, posting.owner, comms_staff=False)
    assert [e.draft_id for e in waiting] == [draft.id]
    with pytest.raises(NotPermitted):
        service.decide_exception(db, user=posting.staff, draft=draft, approve=True, reason="ok")
    with pytest.raises(BadInput, match="reason"):
        service.decide_exception(db, user=posting.owner, draft=draft, approve=True, reason="")
    service.decide_exception(db, user=posting.owner, draft=draft, approve=True,
                             reason="Fine: it quotes the Commission.")
    assert draft.state == "exception_approved"
    service.submit(db, user=posting.poster, draft=draft)
    assert draft.state == "submitted"
    assert "draft.exception_approved" in actions(db, draft)


def test_declined_exception_sends_the_poster_back_to_rewrite(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack, POLITICAL)
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    service.request_exception(db, user=posting.poster, draft=draft, justification="Please.")
    service.decide_exception(db, user=posting.owner, draft=draft, approve=False,
                             reason="Agency channels never campaign.")
    assert draft.state == "exception_declined"
    with pytest.raises(InvalidTransition):
        service.submit(db, user=posting.poster, draft=draft)
    service.revise_draft(db, user=posting.poster, draft=draft, pack=pack,
                         data=DraftInput(kind="post", text=NEUTRAL))
    assert draft.state == "draft"


def test_nobody_decides_their_own_exception(db: Session, cast, pack):
    posting = authorised_channel(db, cast)
    register_service.authorise(db, user=posting.owner, channel=posting.channel,
                               person_email=posting.owner.email, until=None, reason="", zone=ZONE)
    draft = service.create_draft(db, user=posting.owner, pack=pack, channel_id=posting.channel.id,
                                 data=DraftInput(kind="post", text=POLITICAL))
    service.check_draft(db, user=posting.owner, draft=draft, pack=pack)
    service.request_exception(db, user=posting.owner, draft=draft, justification="Needed.")
    with pytest.raises(NotPermitted, match="own exception"):
        service.decide_exception(db, user=posting.owner, draft=draft, approve=True, reason="mine")
    assert queries.exceptions_waiting_for(db, posting.comms, comms_staff=True)
    service.decide_exception(db, user=posting.comms, draft=draft, approve=False, reason="No.")
    assert draft.state == "exception_declined"


def test_each_warning_is_acknowledged_before_submitting(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack, WARNING)
    version = service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    warnings = service.warning_indexes(version)
    assert version.decision == "warn" and warnings
    with pytest.raises(Conflict, match="Acknowledge each warning"):
        service.submit(db, user=posting.poster, draft=draft)
    with pytest.raises(BadInput, match="not a warning"):
        service.acknowledge(db, user=posting.poster, draft=draft, indexes=[99])
    acks = service.acknowledge(db, user=posting.poster, draft=draft)
    assert [a.finding_index for a in acks] == warnings
    assert service.acknowledge(db, user=posting.poster, draft=draft) == []  # harmless twice
    service.submit(db, user=posting.poster, draft=draft)
    assert "draft.warnings_acknowledged" in actions(db, draft)


def test_withdraw_keeps_the_record_and_ends_the_draft(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack, POLITICAL)
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    service.request_exception(db, user=posting.poster, draft=draft, justification="Please.")
    service.withdraw(db, user=posting.poster, draft=draft, reason="Not needed after all.")
    assert draft.state == "withdrawn"
    assert queries.exceptions_of(db, draft)[0].state == "withdrawn"
    assert queries.exceptions_waiting_for(db, posting.owner, comms_staff=False) == []
    with pytest.raises(InvalidTransition, match="withdrawn; it can no longer be changed"):
        service.revise_draft(db, user=posting.poster, draft=draft, pack=pack,
                             data=DraftInput(kind="post", text=NEUTRAL))


def test_person_not_authorised_cannot_compose_for_the_channel(db: Session, posting: Posting, pack):
    with pytest.raises(NotPermitted, match="not authorised to post"):
        service.create_draft(db, user=posting.staff, pack=pack, channel_id=posting.channel.id,
                             data=DraftInput(kind="post", text=NEUTRAL))


def test_a_revoked_poster_can_no_longer_change_their_draft(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack)
    register_service.revoke(db, user=posting.owner, channel=posting.channel,
                            person_email=posting.poster.email)
    with pytest.raises(NotPermitted, match="not authorised"):
        service.check_draft(db, user=posting.poster, draft=draft, pack=pack)


@pytest.mark.parametrize(("fields", "field"), [
    ({"kind": "post", "text": "   "}, "text"),
    ({"kind": "post", "text": "a" * 281}, "text"),
    ({"kind": "reply", "text": "Thanks for asking."}, "reply_to_text"),
    ({"kind": "interaction", "text": "", "action": "follow"}, "target_handle"),
    ({"kind": "interaction", "text": "", "action": "wave", "target_handle": "@x"}, "action"),
])
def test_bad_input_is_a_field_error(db: Session, posting: Posting, pack, fields, field):
    fields = dict(fields)  # shared by the SQLite and PostgreSQL runs
    text = fields.pop("text")
    with pytest.raises(BadInput) as raised:
        new_draft(db, posting, pack, text, **fields)
    assert [f.loc[-1] for f in raised.value.fields] == [field]


def test_text_over_the_x_limit_names_the_limit(db: Session, posting: Posting, pack):
    with pytest.raises(BadInput, match="281 characters as X counts them, 1 over its limit of 280"):
        new_draft(db, posting, pack, "a" * 281)


def test_unknown_channel_is_a_field_error(db: Session, posting: Posting, pack):
    with pytest.raises(BadInput) as raised:
        service.create_draft(db, user=posting.poster, pack=pack, channel_id=999_999,
                             data=DraftInput(kind="post", text=NEUTRAL))
    assert raised.value.fields[0].loc == ["channel_id"]


def test_a_bad_revision_keeps_the_draft(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack)
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    with pytest.raises(BadInput):
        service.revise_draft(db, user=posting.poster, draft=draft, pack=pack,
                             data=DraftInput(kind="post", text=""))
    assert draft.state == "checked" and draft.current_version == 1


def test_interaction_without_business_purpose_is_found(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack, "", kind="interaction", action="follow",
                      target_handle="@CountdownNZ", target_name="Countdown")
    version = service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    assert version.decision in ("warn", "block")
    assert any(f["category"] in ("interaction_without_business_purpose", "commercial_endorsement")
               for f in version.findings)


def test_publication_time_cannot_be_in_the_future(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack)
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    service.submit(db, user=posting.poster, draft=draft)
    with pytest.raises(BadInput, match="future"):
        service.record_publication(db, user=posting.poster, draft=draft, connector=MANUAL,
                                   url="https://x.com/a/status/1",
                                   published_at=utcnow() + timedelta(days=1), zone=ZONE)
    with pytest.raises(BadInput, match="web address"):
        service.record_publication(db, user=posting.poster, draft=draft, connector=MANUAL,
                                   url="not a url", zone=ZONE)
    assert draft.state == "submitted"


def _comment(db: Session, channel, text: str, external_id: str):
    comment = Comment(channel_id=channel.id, platform=channel.platform, external_id=external_id,
                      author_handle="@resident", text=text, decision="pass", severity_rank=0,
                      findings=[], pack_id="dpmc@test", state="visible")
    db.add(comment)
    db.flush()
    return comment


def test_reply_to_a_comment_from_the_channel_queue(db: Session, cast, posting: Posting, pack):
    own = _comment(db, posting.channel, "When are the sirens tested?", "c-own")
    other_channel = authorised_channel(db, cast).channel
    other = _comment(db, other_channel, "Another channel's comment.", "c-other")
    with pytest.raises(BadInput) as raised:
        new_draft(db, posting, pack, "At 9am on Sunday.", kind="reply",
                  reply_to_comment_id=other.id)
    assert raised.value.fields[0].loc == ["reply_to_comment_id"]
    draft = new_draft(db, posting, pack, "At 9am on Sunday.", kind="reply",
                      reply_to_comment_id=own.id)
    assert draft.reply_to_comment_id == own.id
    assert service.current_version(db, draft).reply_to_text == "When are the sirens tested?"
    assert service.check_draft(db, user=posting.poster, draft=draft, pack=pack).decision == "pass"


def _published(db: Session, posting: Posting, pack, url: str = "https://x.com/NZCivilDefence/status/1790"):
    draft = new_draft(db, posting, pack)
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    service.submit(db, user=posting.poster, draft=draft)
    return service.record_publication(db, user=posting.poster, draft=draft, connector=MANUAL,
                                      url=url, zone=ZONE)


@pytest.mark.parametrize("url", ["https://example.com/NZCivilDefence/status/1790",
                                 "https://x.com.evil.example/status/1790",
                                 "https://www.facebook.com/NZCivilDefence/posts/1"])
def test_a_published_address_must_be_on_the_channels_platform(db: Session, posting: Posting, pack, url):
    draft = new_draft(db, posting, pack)
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    service.submit(db, user=posting.poster, draft=draft)
    with pytest.raises(BadInput, match="That address is not on x: a post there has an address like "
                                       "https://x.com/") as refused:
        service.record_publication(db, user=posting.poster, draft=draft, connector=MANUAL,
                                   url=url, zone=ZONE)
    assert refused.value.fields[0].loc == ["url"]
    assert draft.state == "submitted"


def test_twitter_and_mobile_addresses_are_on_x(db: Session, posting: Posting, pack):
    draft = _published(db, posting, pack, url="https://mobile.twitter.com/NZCivilDefence/status/7")
    assert draft.platform_post_id == "7"


def test_a_published_address_can_be_corrected_with_a_reason(db: Session, posting: Posting, pack):
    draft = _published(db, posting, pack, url="https://x.com/NZCivilDefence/status/1790")
    service.correct_publication(db, user=posting.poster, draft=draft,
                                url="https://x.com/NZCivilDefence/status/1791",
                                reason="The first link was to an earlier post.")
    assert (draft.published_url, draft.platform_post_id) == (
        "https://x.com/NZCivilDefence/status/1791", "1791")
    event = audit_queries.list_events(db, subject=service.subject_of(draft), limit=1)[0]
    assert event.action == "draft.publication_corrected"
    assert event.details["from"]["url"] == "https://x.com/NZCivilDefence/status/1790"
    assert event.details["to"]["platform_id"] == "1791"
    service.correct_publication(db, user=posting.comms, draft=draft,
                                url="https://x.com/NZCivilDefence/status/1792", reason="Typo.")
    with pytest.raises(NotPermitted, match="or communications staff can correct"):
        service.correct_publication(db, user=posting.staff, draft=draft,
                                    url="https://x.com/NZCivilDefence/status/1", reason="Mine.")
    with pytest.raises(BadInput, match="Enter why the address is corrected"):
        service.correct_publication(db, user=posting.poster, draft=draft,
                                    url="https://x.com/NZCivilDefence/status/1", reason=" ")


def test_only_a_published_address_can_be_corrected(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack)
    with pytest.raises(InvalidTransition, match="Only a published item's address"):
        service.correct_publication(db, user=posting.poster, draft=draft,
                                    url="https://x.com/NZCivilDefence/status/1", reason="Early.")
