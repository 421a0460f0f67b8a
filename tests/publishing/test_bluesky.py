"""Bluesky end to end against a real local PDS (tools/bluesky-pds, started once per session):
connect a channel with an app password (a wrong one is refused before it is saved), publish a
checked and authorised post with link, hashtag and mention facets, and one with an image and its
alt text, read them back as another account, pull that account's reply into the
moderation queue, hide the reply on the platform, delete the agency's own post."""

from __future__ import annotations

import base64

import pytest
from atproto import AtUri, Client, models
from atproto_client.exceptions import BadRequestError
from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.audit import queries as audit_queries
from kaitiaki.models import Comment
from kaitiaki.errors import BadInput
from kaitiaki.publishing import calendar, connections, platform_replies, sending, service
from kaitiaki.publishing.bluesky import facets_of
from kaitiaki.publishing.connectors import ImageIn, connector_for
from kaitiaki.timeutil import to_local, utcnow
from tests.fixtures.bluesky import LocalPds, local_pds  # noqa: F401 (a fixture)
from tests.publishing.conftest import authorised_channel
from tests.publishing.test_sending import submitted
from tests.publishing.test_service import new_draft

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def signed_in(pds: LocalPds, account) -> Client:
    client = Client(base_url=pds.url)
    client.login(account.handle, account.password, fetch_bsky_profile=False)
    return client


def get_record(client: Client, uri: str):
    at = AtUri.from_str(uri)
    return client.com.atproto.repo.get_record({"repo": at.host, "collection": at.collection,
                                               "rkey": at.rkey})


def connected(db: Session, cast, settings, pds: LocalPds):
    agency = pds.create_account("agency")
    posting = authorised_channel(db, cast, platform="bluesky", handle=agency.handle)
    connections.connect(db, settings, user=posting.owner, channel=posting.channel,
                        account=agency.handle, secret=pds.app_password(agency),
                        service_url=pds.url)
    return agency, posting


def test_facets_count_utf8_bytes_as_bluesky_does():
    text = "Kia ora, Ōtautahi: https://civildefence.govt.nz/sirens. #Tūmatakuru @nobody.test"
    facets = facets_of(text, lambda handle: "did:plc:abc" if handle == "nobody.test" else None)
    data = text.encode("utf-8")
    found = {type(f.features[0]).__name__: data[f.index.byte_start:f.index.byte_end].decode()
             for f in facets}
    assert found == {"Link": "https://civildefence.govt.nz/sirens", "Tag": "#Tūmatakuru",
                     "Mention": "@nobody.test"}


def test_publish_read_back_pull_a_reply_and_hide_it(db: Session, cast, pack, cast_settings,
                                                    local_pds: LocalPds):  # noqa: F811
    agency, posting = connected(db, cast, cast_settings, local_pds)
    citizen = local_pds.create_account("citizen")
    text = (f"Civil Defence sirens are tested at 9am on Sunday: https://civildefence.govt.nz/sirens "
            f"#SirenTest, thanks @{citizen.handle}")
    draft = submitted(db, posting, pack, text)

    outcome = sending.send_draft(db, cast_settings, draft.id, actor_id=posting.poster.id,
                                 now=utcnow(), pack=pack)
    assert outcome.result == sending.PUBLISHED, outcome.reason
    rkey = AtUri.from_str(outcome.platform_id).rkey
    assert outcome.url == f"https://bsky.app/profile/{agency.handle}/post/{rkey}"
    assert (draft.state, draft.connector, draft.published_url) == ("published", "bluesky", outcome.url)
    assert connections.active_connection(db, posting.channel).last_error is None
    zone = cast_settings.zone
    month = calendar.build(db, channels=[posting.channel], view="month",
                           anchor=to_local(draft.published_at, zone).date(), zone=zone)
    assert [(e.draft.id, e.status) for day in month.days for e in day.entries] == \
        [(draft.id, "published")]

    reader = signed_in(local_pds, citizen)
    post = get_record(reader, outcome.platform_id)
    assert post.value.text == text
    features = {type(f.features[0]).__name__: f.features[0] for f in post.value.facets}
    assert features["Link"].uri == "https://civildefence.govt.nz/sirens"
    assert features["Tag"].tag == "SirenTest"
    assert features["Mention"].did == citizen.did

    ref = models.ComAtprotoRepoStrongRef.Main(uri=post.uri, cid=post.cid)
    reply = reader.send_post("You lot never warn us in time, useless idiots.",
                             profile_identify=citizen.did,
                             reply_to=models.AppBskyFeedPost.ReplyRef(parent=ref, root=ref))
    report = platform_replies.pull_replies(db, cast_settings, posting.channel, pack=pack,
                                           actor="system", now=utcnow())
    assert report.stored == 1
    comment = db.scalars(select(Comment).where(Comment.external_id == reply.uri)).one()
    assert comment.in_reply_to == outcome.platform_id  # the parent post, linked
    assert comment.author_handle == citizen.handle and comment.state in ("held", "review")
    again = platform_replies.pull_replies(db, cast_settings, posting.channel, pack=pack,
                                          actor="system", now=utcnow())
    assert again.stored == 0

    assert platform_replies.moderate_on_platform(db, cast_settings, comment, "hide",
                                                 utcnow()) == "Hidden on Bluesky too."
    gate = reader.com.atproto.repo.get_record({"repo": agency.did, "rkey": rkey,
                                               "collection": "app.bsky.feed.threadgate"})
    assert gate.value.hidden_replies == [reply.uri]
    assert "does not let the agency delete other people's replies" in \
        platform_replies.moderate_on_platform(db, cast_settings, comment, "delete", utcnow())

    connector = connector_for(db, cast_settings, posting.channel)
    connector.delete_post(outcome.platform_id)
    with pytest.raises(BadRequestError):
        get_record(reader, outcome.platform_id)


def test_a_draft_with_an_image_goes_out_with_its_alt_text(db: Session, cast, pack, cast_settings,
                                                          local_pds: LocalPds):  # noqa: F811
    agency, posting = connected(db, cast, cast_settings, local_pds)
    draft = new_draft(db, posting, pack, "The new siren at the wharf is tested on Sunday.",
                      images=[ImageIn(PNG, "A grey siren on a pole beside the wharf")])
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    service.submit(db, user=posting.poster, draft=draft)

    outcome = sending.send_draft(db, cast_settings, draft.id, actor_id=posting.poster.id,
                                 now=utcnow(), pack=pack)
    assert outcome.result == sending.PUBLISHED, outcome.reason
    record = get_record(signed_in(local_pds, local_pds.create_account("reader")),
                        outcome.platform_id)
    assert record.value.text == "The new siren at the wharf is tested on Sunday."
    assert [image.alt for image in record.value.embed.images] == \
        ["A grey siren on a pole beside the wharf"]
    blob = record.value.embed.images[0].image
    assert (blob.mime_type, blob.size) == ("image/png", len(PNG))
    assert draft.send_started_at is None


def test_wrong_credentials_are_refused_when_saved(db: Session, cast, cast_settings,
                                                  local_pds: LocalPds):  # noqa: F811
    agency = local_pds.create_account("agency")
    posting = authorised_channel(db, cast, platform="bluesky", handle=agency.handle)
    with pytest.raises(BadInput) as refused:
        connections.connect(db, cast_settings, user=posting.owner, channel=posting.channel,
                            account=agency.handle, secret="wrong-wrong-wrong-wrong",
                            service_url=local_pds.url)
    assert "these credentials did not work, so nothing was saved" in str(refused.value)
    assert "Check the handle and app password" in str(refused.value)
    assert [f.loc[-1] for f in refused.value.fields] == ["secret"]
    assert connections.active_connection(db, posting.channel) is None


def test_an_app_password_revoked_after_connecting_fails_plainly_and_shows_on_the_connection(
        db: Session, cast, pack, cast_settings, local_pds: LocalPds):  # noqa: F811
    agency, posting = connected(db, cast, cast_settings, local_pds)
    connection = connections.active_connection(db, posting.channel)
    revoke_app_passwords(local_pds, agency)  # in the Bluesky app's settings, say
    draft = submitted(db, posting, pack)
    outcome = sending.send_draft(db, cast_settings, draft.id, actor_id=None, now=utcnow(), pack=pack)
    assert outcome.result == sending.FAILED
    assert "Check the handle and app password" in outcome.reason
    assert draft.state == "submitted" and draft.send_started_at is None  # it may be tried again
    assert connection.last_error == outcome.reason
    events = audit_queries.list_events(db, subject=f"draft:{draft.id}", limit=2)
    assert [event.action for event in events] == ["draft.send_failed", "draft.send_started"]


def revoke_app_passwords(pds: LocalPds, account) -> None:
    client = signed_in(pds, account)
    for password in client.com.atproto.server.list_app_passwords().passwords:
        client.com.atproto.server.revoke_app_password({"name": password.name})
