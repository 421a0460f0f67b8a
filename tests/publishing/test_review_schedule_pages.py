"""The review and the schedule on the draft's page and the review setting on the channel's page,
through the web application (no browser), on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import timedelta

from kaitiaki.db import session_scope
from kaitiaki.publishing import review, service
from kaitiaki.publishing.schemas import DraftInput
from kaitiaki.register import service as register_service
from kaitiaki.timeutil import to_local, utcnow
from tests.fixtures.register import ZONE
from tests.publishing.conftest import authorised_channel
from tests.register.conftest import signed_in  # noqa: F401 (a fixture)
from tests.web.helpers import post_form

_handles = itertools.count(1)
NEUTRAL = "Civil Defence sirens are tested at 9am on Sunday. No action is needed."


def reviewed_draft(cast, pack) -> int:
    """A checked post on a channel that asks for review, where staff may post too."""
    with session_scope(cast.engine) as session:
        posting = authorised_channel(session, cast, handle=f"ReviewPage{next(_handles)}")
        register_service.authorise(session, user=posting.owner, channel=posting.channel,
                                   person_email=posting.staff.email, until=None, reason="",
                                   zone=ZONE)
        review.set_review_required(session, user=posting.owner, channel=posting.channel,
                                   required=True)
        draft = service.create_draft(session, user=posting.poster, pack=pack,
                                     channel_id=posting.channel.id,
                                     data=DraftInput(kind="post", text=NEUTRAL))
        service.check_draft(session, user=posting.poster, draft=draft, pack=pack)
        return draft.id


def state_of(cast, draft_id: int):
    with session_scope(cast.engine) as session:
        draft = service.require_draft(session, draft_id)
        return draft.state, draft.scheduled_for


def test_review_return_resubmit_approve_then_schedule(cast, signed_in, pack):  # noqa: F811
    draft_id = reviewed_draft(cast, pack)
    page = f"/drafts/{draft_id}"
    poster, staff = signed_in("poster"), signed_in("staff")
    assert "asks for a second person's review" in poster.get(page).text
    sent = post_form(poster, f"{page}/submit", {}, token_from=page)
    assert sent.status_code == 303 and state_of(cast, draft_id)[0] == "in_review"
    assert "Record the review" not in poster.get(page).text  # nobody reviews their own post
    reviewing = staff.get(page).text
    assert "Record the review" in reviewing and NEUTRAL[:30] in reviewing
    assert f"/drafts/{draft_id}#review" in staff.get("/").text
    assert f"/drafts/{draft_id}#review" in staff.get("/reviews").text
    assert "No posts are waiting for your review." in poster.get("/reviews").text

    refused = post_form(staff, f"{page}/review", {"decision": "return", "comment": ""},
                        token_from=page)
    assert refused.status_code == 422 and "comment for the author" in refused.text
    returned = post_form(staff, f"{page}/review", {"decision": "return",
                                                   "comment": "Name the Sunday."},
                         token_from=page)
    assert returned.status_code == 303 and state_of(cast, draft_id)[0] == "returned"
    shown = poster.get(page).text
    assert "Name the Sunday." in shown and "returned by its reviewer" in shown

    post_form(poster, f"{page}/revise", {"text": NEUTRAL.replace("Sunday", "Sunday 13 December")},
              token_from=page)
    post_form(poster, f"{page}/submit", {}, token_from=page)
    approved = post_form(staff, f"{page}/review", {"decision": "approve"}, token_from=page)
    assert approved.status_code == 303 and state_of(cast, draft_id)[0] == "submitted"

    too_soon = post_form(poster, f"{page}/schedule", {"scheduled_for": "2020-01-01T09:00"},
                         token_from=page)
    assert too_soon.status_code == 422 and "at least 2 minutes from now" in too_soon.text
    assert 'value="2020-01-01T09:00"' in too_soon.text  # what was typed stays
    wanted = (to_local(utcnow(), ZONE) + timedelta(days=2)).replace(hour=10, minute=15)
    typed = wanted.strftime("%Y-%m-%dT%H:%M")
    scheduled = post_form(poster, f"{page}/schedule", {"scheduled_for": typed}, token_from=page)
    assert scheduled.status_code == 303
    state, at = state_of(cast, draft_id)
    assert state == "submitted" and to_local(at, ZONE).strftime("%Y-%m-%dT%H:%M") == typed
    assert f'value="{typed}"' in poster.get(page).text
    cancelled = post_form(poster, f"{page}/unschedule", {}, token_from=page)
    assert cancelled.status_code == 303 and state_of(cast, draft_id) == ("submitted", None)


def test_the_owner_turns_review_on_from_the_channel_page(cast, signed_in):  # noqa: F811
    with session_scope(cast.engine) as session:
        channel_id = authorised_channel(session, cast, handle=f"ReviewSet{next(_handles)}").channel.id
    page = f"/register/channels/{channel_id}"
    owner = signed_in("owner")
    assert "go out without a second person" in owner.get(page).text
    saved = post_form(owner, f"{page}/review", {"review_required": "on"}, token_from=page)
    assert saved.status_code == 303
    assert "waits until someone else authorised on it" in owner.get(page).text
    poster = signed_in("poster")
    assert "Save the review setting" not in poster.get(page).text
    refused = post_form(poster, f"{page}/review", {}, token_from=page)
    assert refused.status_code == 403
    assert "waits until someone else authorised on it" in owner.get(page).text
