"""Connecting a channel and using the connection through the web pages, against the real local
Bluesky PDS: the owner connects (the app password never shown again), the poster presses
"Publish now", a moderator fetches replies and hides one, which hides it on Bluesky too."""

from __future__ import annotations

import html
import re

from atproto import AtUri, Client, models
from sqlalchemy import select

from kaitiaki.db import session_scope
from kaitiaki.models import ChannelConnection, Comment, Draft
from kaitiaki.publishing import service
from kaitiaki.publishing.schemas import DraftInput
from tests.fixtures.bluesky import LocalPds, local_pds  # noqa: F401 (a fixture)
from tests.publishing.conftest import authorised_channel, pack  # noqa: F401 (a fixture)
from tests.register.conftest import signed_in  # noqa: F401 (a fixture)
from tests.web.helpers import post_form

NEUTRAL = "Civil Defence sirens are tested at 9am on Sunday. No action is needed. #SirenTest"


def test_connect_publish_fetch_and_hide_through_the_pages(cast, signed_in, cast_settings, pack,  # noqa: F811
                                                          local_pds: LocalPds):  # noqa: F811
    agency = local_pds.create_account("agency")
    with session_scope(cast.engine) as session:
        posting = authorised_channel(session, cast, platform="bluesky", handle=agency.handle)
        channel_id, channel_path = posting.channel.id, f"/register/channels/{posting.channel.id}"
    owner, staff = signed_in("owner"), signed_in("staff")

    page = owner.get(channel_path).text
    assert "Platform connection" in page and "Not connected" in page and "App password" in page
    assert "Only the business owner" in staff.get(channel_path).text

    refused = post_form(owner, f"{channel_path}/connection", token_from=channel_path,
                        data={"account": agency.handle, "secret": "", "service_url": local_pds.url})
    assert refused.status_code == 422 and "Enter app password." in refused.text
    assert agency.handle in refused.text  # what was typed stays

    app_password = local_pds.app_password(agency)
    done = post_form(owner, f"{channel_path}/connection", token_from=channel_path,
                     data={"account": agency.handle, "secret": app_password,
                           "service_url": local_pds.url})
    assert done.status_code == 303
    page = owner.get(channel_path).text
    assert f"Connected to bluesky as {agency.handle}" in page and app_password not in page
    with session_scope(cast.engine) as session:
        stored = session.scalars(select(ChannelConnection)
                                 .where(ChannelConnection.channel_id == channel_id)).one()
        assert app_password not in stored.secret  # encrypted at rest
        draft = service.create_draft(session, user=posting.poster, pack=pack, channel_id=channel_id,
                                     data=DraftInput(kind="post", text=NEUTRAL))
        service.check_draft(session, user=posting.poster, draft=draft, pack=pack)
        service.submit(session, user=posting.poster, draft=draft)
        draft_id = draft.id

    poster = signed_in("poster")
    assert "Publish now" in poster.get(f"/drafts/{draft_id}").text
    sent = post_form(poster, f"/drafts/{draft_id}/send", data={}, token_from=f"/drafts/{draft_id}")
    assert sent.status_code == 303
    shown = html.unescape(poster.get(f"/drafts/{draft_id}").text)
    assert f"Published on bluesky: https://bsky.app/profile/{agency.handle}/post/" in shown
    with session_scope(cast.engine) as session:
        post_uri = session.get(Draft, draft_id).platform_post_id

    citizen = local_pds.create_account("citizen")
    reader = Client(base_url=local_pds.url)
    reader.login(citizen.handle, citizen.password, fetch_bsky_profile=False)
    at = AtUri.from_str(post_uri)
    post = reader.com.atproto.repo.get_record({"repo": at.host, "collection": at.collection,
                                               "rkey": at.rkey})
    ref = models.ComAtprotoRepoStrongRef.Main(uri=post.uri, cid=post.cid)
    reply = reader.send_post("I will kill the next person who tests that siren.",
                             profile_identify=citizen.did,
                             reply_to=models.AppBskyFeedPost.ReplyRef(parent=ref, root=ref))

    fetched = post_form(owner, f"{channel_path}/connection/fetch", data={}, token_from=channel_path)
    assert fetched.status_code == 303
    assert "1 new replies are in the moderation queue" in owner.get(channel_path).text
    with session_scope(cast.engine) as session:
        comment_id = session.scalars(select(Comment.id).where(Comment.external_id == reply.uri)).one()

    hidden = post_form(owner, f"/moderation/comments/{comment_id}/act",
                       token_from=f"/moderation/comments/{comment_id}",
                       data={"action": "hide", "reason": "threat", "note": ""})
    assert hidden.status_code == 303
    assert "Hidden on Bluesky too." in owner.get(hidden.headers["location"]).text
    gate = reader.com.atproto.repo.get_record({"repo": agency.did, "rkey": at.rkey,
                                               "collection": "app.bsky.feed.threadgate"})
    assert gate.value.hidden_replies == [reply.uri]

    revoked = post_form(owner, f"{channel_path}/connection/revoke", data={}, token_from=channel_path)
    assert revoked.status_code == 303
    assert re.search(r"Not connected", owner.get(channel_path).text)
