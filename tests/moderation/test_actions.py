"""Moderators' actions: each needs a pack reason; the record is kept; replies are checked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kaitiaki.errors import BadInput, InvalidTransition, NotPermitted
from kaitiaki.models import AuditEvent, BlockedAuthor, Comment, ModerationAction
from kaitiaki.moderation import queries, service
from kaitiaki.moderation.service import ActionRequest
from kaitiaki.timeutil import to_local, utcnow
from tests.moderation.conftest import (
    CRITICISM, INSULT, QUESTION, SPAM, THREAT, import_records, jsonl_line,
)


def _comment(db, channel, pack, text: str, external_id: str = "c1", author: str = "@someone") -> Comment:
    import_records(db, channel, pack, [jsonl_line(external_id, text, author=author)])
    return db.scalar(select(Comment).where(Comment.platform == channel.platform,
                                           Comment.external_id == external_id))


@pytest.mark.parametrize(("text", "action", "reason", "state"), [
    (QUESTION, "keep", "within_guidelines", "kept"),
    (THREAT, "hide", "threat", "hidden"),
    (INSULT, "delete", "offensive", "deleted"),
    (SPAM, "spam", "spam", "spam"),
    (INSULT, "block", "offensive", "hidden"),
])
def test_each_action_moves_the_comment_and_records_who_why_and_when(db, work, cast, channel, pack, text,
                                                                   action, reason, state):
    comment = _comment(db, channel, pack, text)
    owner = cast.user(db, "owner")
    done = service.act(work, comment_id=comment.id, user=owner,
                       request=ActionRequest(action=action, reason=reason, note="Seen at 9am"))
    assert (comment.state, done.reason_code, done.note, done.actor_id) == (state, reason, "Seen at 9am", owner.id)
    assert comment.text == text  # record first: nothing is lost by moderating
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == f"comment.{action}"))
    assert event.subject == f"comment:{comment.id}" and event.details["reason"] == reason
    if state in ("hidden", "deleted", "spam"):
        assert comment.retain_until.year - utcnow().year == 7  # the pack's retention period


def test_block_records_the_author_and_flags_their_next_comment(db, work, cast, channel, pack):
    comment = _comment(db, channel, pack, INSULT, author="@Grumpy_Gus")
    service.act(work, comment_id=comment.id, user=cast.user(db, "owner"),
                request=ActionRequest(action="block", reason="offensive"))
    assert db.scalar(select(BlockedAuthor.author_key).where(BlockedAuthor.channel_id == channel.id)) == "grumpy_gus"
    later = _comment(db, channel, pack, QUESTION, external_id="c2", author="@grumpy_gus")
    assert (later.decision, later.state) == ("pass", "review")


def test_an_action_needs_a_reason_the_pack_gives_for_it(db, work, cast, channel, pack):
    comment = _comment(db, channel, pack, INSULT)
    owner = cast.user(db, "owner")
    with pytest.raises(BadInput, match="Choose the reason"):
        service.act(work, comment_id=comment.id, user=owner, request=ActionRequest("hide", ""))
    with pytest.raises(BadInput, match="'offensive' is not a reason for keep"):
        service.act(work, comment_id=comment.id, user=owner, request=ActionRequest("keep", "offensive"))
    with pytest.raises(BadInput, match="not one of the pack's reasons"):
        service.act(work, comment_id=comment.id, user=owner, request=ActionRequest("hide", "rude"))
    assert comment.state == "held"


def test_a_deleted_comment_is_final_but_kept(db, work, cast, channel, pack):
    comment = _comment(db, channel, pack, SPAM)
    owner = cast.user(db, "owner")
    service.act(work, comment_id=comment.id, user=owner, request=ActionRequest("delete", "spam"))
    with pytest.raises(InvalidTransition, match="This comment is deleted; it can no longer be kept"):
        service.act(work, comment_id=comment.id, user=owner,
                    request=ActionRequest("keep", "within_guidelines"))
    page = queries.queue(db, channel, queries.QueueFilter(state="deleted"))
    assert [c.text for c in page.comments] == [SPAM]


def test_a_reply_is_checked_as_a_reply_and_stored_with_its_result(db, work, cast, channel, pack):
    comment = _comment(db, channel, pack, QUESTION)
    owner = cast.user(db, "owner")
    with pytest.raises(service.ReplyBlocked) as refused:
        service.act(work, comment_id=comment.id, user=owner,
                    request=ActionRequest("reply", "question", reply="Shut up you idiot, nobody asked you."))
    assert refused.value.result.decision == "block"
    assert db.scalar(select(ModerationAction).where(ModerationAction.comment_id == comment.id)) is None
    done = service.act(work, comment_id=comment.id, user=owner, request=ActionRequest(
        "reply", "question", reply="Yes: the centre at the school hall is open until 10pm tonight."))
    assert (comment.state, done.reply_decision) == ("replied", "pass")
    assert done.reply_text.startswith("Yes: the centre") and done.reply_result["decision"] == "pass"


def test_a_reply_longer_than_the_platform_allows_is_refused(db, work, cast, channel, pack):
    comment = _comment(db, channel, pack, QUESTION)
    with pytest.raises(BadInput, match="x allows 280"):
        service.act(work, comment_id=comment.id, user=cast.user(db, "owner"),
                    request=ActionRequest("reply", "question", reply="Thanks. " * 50))


def test_bulk_spam_marks_every_selected_comment(db, work, cast, channel, pack):
    import_records(db, channel, pack, [jsonl_line(f"s{n}", SPAM) for n in range(3)])
    ids = [c.id for c in queries.queue(db, channel, queries.QueueFilter(category="spam")).comments]
    done = service.act_on_many(work, comment_ids=ids, user=cast.user(db, "owner"),
                               request=ActionRequest("spam", "spam"))
    assert [a.to_state for a in done] == ["spam"] * 3
    with pytest.raises(BadInput, match="one comment at a time"):
        service.act_on_many(work, comment_ids=ids, user=cast.user(db, "owner"),
                            request=ActionRequest("reply", "question"))


def test_only_the_owner_and_their_delegates_moderate(db, work, cast, channel, pack):
    comment = _comment(db, channel, pack, CRITICISM)
    staff, owner = cast.user(db, "staff"), cast.user(db, "owner")
    keep = ActionRequest("keep", "within_guidelines")
    with pytest.raises(NotPermitted, match="business owner"):
        service.act(work, comment_id=comment.id, user=staff, request=keep)
    with pytest.raises(NotPermitted, match="business owner"):
        service.delegate(db, owner=staff, channel=channel, person_email=staff.email)
    grant = service.delegate(db, owner=owner, channel=channel, person_email=staff.email, reason="Evenings")
    assert service.act(work, comment_id=comment.id, user=staff, request=keep).actor_id == staff.id
    assert [channel.id] == [c.id for c in queries.channels_moderated_by(db, staff)]
    service.revoke_delegate(db, owner=owner, channel=channel, delegate_id=grant.id)
    with pytest.raises(NotPermitted):
        service.act(work, comment_id=comment.id, user=staff,
                    request=ActionRequest("hide", "off_topic"))
    actions = {e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.subject == f"channel:{channel.id}"))}
    assert {"moderation.delegate_added", "moderation.delegate_removed"} <= actions


def test_figures_count_actions_by_channel_month_action_and_reason(db, work, cast, channel, pack):
    import_records(db, channel, pack, [jsonl_line("s1", SPAM), jsonl_line("s2", SPAM), jsonl_line("t", THREAT)])
    owner = cast.user(db, "owner")
    comments = queries.queue(db, channel, queries.QueueFilter()).comments
    for comment in comments:
        action, reason = ("hide", "threat") if comment.external_id == "t" else ("spam", "spam")
        service.act(work, comment_id=comment.id, user=owner, request=ActionRequest(action, reason))
    now = utcnow()
    rows = queries.moderation_figures(db, since=now.replace(year=now.year - 1), until=now.replace(year=now.year + 1),
                                      channel_ids=[channel.id])
    month = to_local(now, "Pacific/Auckland").strftime("%Y-%m")
    assert [(r.channel.id, r.month, r.action, r.reason, r.count) for r in rows] == [
        (channel.id, month, "hide", "threat", 1), (channel.id, month, "spam", "spam", 2)]


def test_turning_a_comment_into_a_complaint_opens_one_linked_to_the_action(db, work, cast, channel, pack):
    comment = _comment(db, channel, pack, "Your page broke the privacy of my neighbour by posting her address.")
    owner = cast.user(db, "owner")
    with pytest.raises(BadInput, match="complaint's category"):
        service.act(work, comment_id=comment.id, user=owner, request=ActionRequest("complaint", "complaint"))
    done = service.act(work, comment_id=comment.id, user=owner, request=ActionRequest(
        "complaint", "complaint", note="Raised in the comments", complaint_category="privacy_breach"))
    assert comment.state == "complaint" and done.complaint_id is not None
