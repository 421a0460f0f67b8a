"""Contract tests: the Mastodon and Graph API (Facebook, Instagram) connectors against recorded
responses in the platforms' documented shapes (tests/publishing/recorded/README.md). No Mastodon
or Graph API server can run here, so these check what the connectors send and how they read the
answers, not that the live services still answer this way. Bluesky runs against a real local
PDS instead (test_bluesky.py)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import requests
from requests.adapters import BaseAdapter
from sqlalchemy.orm import Session

from kaitiaki.models import Comment
from kaitiaki.publishing import connections, platform_replies
from kaitiaki.publishing.connectors import ImageIn, PublicationItem, PublishFailed
from kaitiaki.publishing.graph import GraphConnector
from kaitiaki.publishing.mastodon import MastodonConnector
from kaitiaki.timeutil import utcnow
from tests.publishing.conftest import authorised_channel

RECORDED = Path(__file__).parent / "recorded"
INSTANCE = "https://mastodon.nz"
GRAPH = "https://graph.facebook.com/v21.0"
PAGE = "100000000000001"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)


def recorded(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


class RecordedMastodon(BaseAdapter):
    """Answers Mastodon.py's requests with the recorded response for (method, path)."""

    def __init__(self, answers: dict[tuple[str, str], tuple[int, str]]) -> None:
        super().__init__()
        self.answers = answers
        self.sent: list[requests.PreparedRequest] = []

    def send(self, request, **kwargs):  # noqa: ANN001, ANN201 - requests' adapter interface
        self.sent.append(request)
        status, name = self.answers[(request.method, urlsplit(request.url).path)]
        response = requests.Response()
        response.status_code, response._content = status, recorded(name)  # noqa: SLF001
        response.headers["Content-Type"] = "application/json"
        response.url, response.request = request.url, request
        return response

    def close(self) -> None:
        pass


def mastodon(answers) -> tuple[MastodonConnector, RecordedMastodon]:
    adapter = RecordedMastodon(answers)
    session = requests.Session()
    session.mount("https://", adapter)
    return MastodonConnector(INSTANCE, "token-123", session=session), adapter


def test_mastodon_publishes_with_the_image_alt_text_and_records_the_address():
    connector, adapter = mastodon({("POST", "/api/v2/media"): (200, "mastodon_media.json"),
                                   ("POST", "/api/v1/statuses"): (200, "mastodon_status.json")})
    ref = connector.publish(PublicationItem(
        draft_id=7, platform="mastodon", channel_handle="civildefence", kind="post",
        text="Sirens are tested at 9am on Sunday.", images=(ImageIn(PNG, "A grey siren on a pole"),)))
    assert ref.platform_id == "113570000000000001"
    assert ref.url == "https://mastodon.nz/@civildefence/113570000000000001"
    media, status = adapter.sent
    assert b"A grey siren on a pole" in media.body and b"Content-Type: image/png" in media.body
    assert status.headers["Authorization"] == "Bearer token-123"
    assert status.headers["Idempotency-Key"] == "kaitiaki-draft-7"  # a retry never posts twice
    sent = parse_qs(status.body) if isinstance(status.body, str) else json.loads(status.body)
    assert "22348641" in str(sent.get("media_ids") or sent.get("media_ids[]"))


def test_mastodon_replies_come_as_text_without_the_agencys_own():
    connector, _ = mastodon({
        ("GET", "/api/v1/accounts/verify_credentials"): (200, "mastodon_account.json"),
        ("GET", "/api/v1/statuses/113570000000000001/context"): (200, "mastodon_context.json")})
    [reply] = connector.replies(["113570000000000001"])
    assert reply.external_id == "113570000000000002" and reply.author_handle == "@aroha@mastodon.social"
    assert reply.text == "@civildefence Will the Lyttelton siren be tested too?\nThanks & ka pai"
    assert reply.parent_id == reply.root_id == "113570000000000001"
    assert reply.posted_at.isoformat().startswith("2026-12-07T01:05:00")


def test_mastodon_refusal_is_told_plainly():
    connector, _ = mastodon({("POST", "/api/v1/statuses"): (401, "mastodon_unauthorized.json")})
    with pytest.raises(PublishFailed, match="Mastodon answered: .*access token is invalid"):
        connector.publish(PublicationItem(draft_id=1, platform="mastodon", channel_handle="c",
                                          kind="post", text="Kia ora"))


def graph(platform: str, answers: dict[tuple[str, str], tuple[int, str]]):
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        status, name = answers[(request.method, request.url.path.removeprefix("/v21.0"))]
        return httpx.Response(status, content=recorded(name),
                              headers={"Content-Type": "application/json"})

    return GraphConnector(platform, GRAPH, PAGE, "page-token",
                          transport=httpx.MockTransport(answer)), sent


def test_facebook_publishes_to_the_page_feed_and_records_the_permalink():
    connector, sent = graph("facebook", {
        ("POST", f"/{PAGE}/feed"): (200, "graph_feed_post.json"),
        ("GET", "/100000000000001_200000000000002"): (200, "graph_permalink.json")})
    ref = connector.publish(PublicationItem(draft_id=1, platform="facebook", channel_handle="c",
                                            kind="post", text="Sirens at 9am Sunday."))
    assert ref == type(ref)(platform_id="100000000000001_200000000000002",
                            url="https://www.facebook.com/100000000000001/posts/200000000000002")
    assert parse_qs(sent[0].content.decode())["message"] == ["Sirens at 9am Sunday."]
    assert sent[0].url.params["access_token"] == "page-token"


def test_facebook_attaches_each_image_with_its_alt_text():
    connector, sent = graph("facebook", {
        ("POST", f"/{PAGE}/photos"): (200, "graph_photo.json"),
        ("POST", f"/{PAGE}/feed"): (200, "graph_feed_post.json"),
        ("GET", "/100000000000001_200000000000002"): (200, "graph_permalink.json")})
    connector.publish(PublicationItem(
        draft_id=1, platform="facebook", channel_handle="c", kind="post", text="The new siren.",
        images=(ImageIn(PNG, "A grey siren on a pole"),)))
    photo, feed, _ = sent
    assert b'name="alt_text_custom"\r\n\r\nA grey siren on a pole' in photo.content
    assert b'name="published"\r\n\r\nfalse' in photo.content and PNG in photo.content
    assert parse_qs(feed.content.decode())["attached_media[0]"] == ['{"media_fbid": "400000000000004"}']


def test_credentials_are_tried_before_they_are_saved():
    refused, _ = mastodon({("GET", "/api/v1/accounts/verify_credentials"):
                           (401, "mastodon_unauthorized.json")})
    with pytest.raises(PublishFailed, match="The access token did not work: .*access token is invalid"):
        refused.verify()
    accepted, _ = mastodon({("GET", "/api/v1/accounts/verify_credentials"):
                            (200, "mastodon_account.json")})
    accepted.verify()
    page, sent = graph("facebook", {("GET", f"/{PAGE}"): (400, "graph_expired_token.json")})
    with pytest.raises(PublishFailed, match="Facebook answered: Error validating access token"):
        page.verify()
    assert sent[0].url.params["fields"] == "id,name"


def test_facebook_comments_hide_and_expired_token():
    connector, sent = graph("facebook", {
        ("GET", "/100000000000001_200000000000002/comments"): (200, "graph_comments.json"),
        ("POST", "/200000000000002_300000000000003"): (200, "graph_success.json"),
        ("DELETE", "/100000000000001_200000000000002"): (400, "graph_expired_token.json")})
    [reply] = connector.replies(["100000000000001_200000000000002"])  # the page's own left out
    assert (reply.author_name, reply.text) == ("Aroha Smith", "Is the Lyttelton siren included?")
    connector.hide_reply(reply.external_id)
    assert parse_qs(sent[-1].content.decode()) == {"is_hidden": ["true"]}
    with pytest.raises(PublishFailed, match="Facebook answered: Error validating access token"):
        connector.delete_post("100000000000001_200000000000002")


def test_instagram_says_plainly_what_its_api_does_not_do():
    connector, _ = graph("instagram", {
        ("GET", "/17900000000000001/comments"): (200, "instagram_comments.json")})
    with pytest.raises(PublishFailed, match="only from a public web address"):
        connector.publish(PublicationItem(draft_id=1, platform="instagram", channel_handle="c",
                                          kind="post", text="Kia ora"))
    with pytest.raises(PublishFailed, match="does not delete posts"):
        connector.delete_post("17900000000000001")
    [reply] = connector.replies(["17900000000000001"])
    assert reply.author_handle == "aroha.smith"


def test_a_mastodon_channel_is_told_hiding_is_not_possible_there(db: Session, cast, cast_settings,
                                                                credentials_accepted):
    posting = authorised_channel(db, cast, platform="mastodon", handle="civildefence")
    connections.connect(db, cast_settings, user=posting.owner, channel=posting.channel,
                        account="@civildefence@mastodon.nz", secret="token-123",
                        service_url=INSTANCE)
    comment = Comment(channel_id=posting.channel.id, platform="mastodon", external_id="1",
                      text="hi", decision="pass", severity_rank=0, findings=[], pack_id="dpmc",
                      state="hidden")
    db.add(comment)
    db.flush()
    assert platform_replies.moderate_on_platform(db, cast_settings, comment, "hide", utcnow()) == (
        "Mastodon does not let the agency hide other people's replies: report it to Mastodon.")
