"""Bluesky through the AT Protocol (`atproto` SDK): publish with rich-text facets and images,
find replies, hide a reply with the post's threadgate, delete the agency's own post.

Replies are read from the post's thread (`app.bsky.feed.getPostThread`, served by the Bluesky
AppView behind the account's PDS, as on bsky.social). A PDS with no AppView (the local one the
tests run) answers "No service configured"; then the replies are found by reading the
repositories on that PDS, which is only practical on a small server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from atproto import AtUri, Client, models
from atproto_client.exceptions import AtProtocolError, BadRequestError

from kaitiaki.publishing.connectors import (
    PublicationItem,
    PublishedRef,
    PublishFailed,
    ReplyFound,
)

WEB = "https://bsky.app"
POST = "app.bsky.feed.post"
THREADGATE = "app.bsky.feed.threadgate"
# Facets as the Bluesky app finds them: addresses, #hashtags and @handles.
_URL = re.compile(r"https?://[^\s<>\"]+")
_TAG = re.compile(r"(?:^|(?<=\s))#([^\s#\d][^\s#]*|\d+[^\s#\d][^\s#]*)")
_MENTION = re.compile(r"(?:^|(?<=[\s(]))@([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9-]+)+)")
_TRAILING = ".,;:!?)'\""


def web_address(handle: str, uri: str) -> str:
    """at://did/app.bsky.feed.post/rkey -> https://bsky.app/profile/<handle>/post/<rkey>"""
    return f"{WEB}/profile/{handle}/post/{AtUri.from_str(uri).rkey}"


def _byte_slice(text: str, start: int, end: int) -> models.AppBskyRichtextFacet.ByteSlice:
    return models.AppBskyRichtextFacet.ByteSlice(
        byte_start=len(text[:start].encode("utf-8")), byte_end=len(text[:end].encode("utf-8")))


def facets_of(text: str, resolve_handle) -> list[models.AppBskyRichtextFacet.Main]:  # noqa: ANN001
    """Link, hashtag and mention facets with UTF-8 byte offsets. A handle that does not resolve
    stays plain text, as in the Bluesky app."""
    facets = []
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        facets.append(models.AppBskyRichtextFacet.Main(
            index=_byte_slice(text, match.start(), match.start() + len(url)),
            features=[models.AppBskyRichtextFacet.Link(uri=url)]))
    for match in _TAG.finditer(text):
        tag = match.group(1).rstrip(_TRAILING)
        if tag and len(tag) <= 64:
            facets.append(models.AppBskyRichtextFacet.Main(
                index=_byte_slice(text, match.start(1) - 1, match.start(1) + len(tag)),
                features=[models.AppBskyRichtextFacet.Tag(tag=tag)]))
    for match in _MENTION.finditer(text):
        did = resolve_handle(match.group(1))
        if did:
            facets.append(models.AppBskyRichtextFacet.Main(
                index=_byte_slice(text, match.start(1) - 1, match.end(1)),
                features=[models.AppBskyRichtextFacet.Mention(did=did)]))
    return facets


def _plain(error: AtProtocolError) -> str:
    response = getattr(error, "response", None)
    content = getattr(response, "content", None)
    message = getattr(content, "message", None) or getattr(content, "error", None)
    return f"Bluesky answered: {message}" if message else f"Bluesky could not be reached ({error})."


class BlueskyConnector:
    name = "bluesky"

    def __init__(self, service_url: str, handle: str, app_password: str) -> None:
        self.service_url = service_url
        self.handle = handle
        self._password = app_password
        self._client: Client | None = None
        self._did: str | None = None

    @property
    def client(self) -> Client:
        if self._client is None:
            client = Client(base_url=self.service_url)
            try:
                # The profile lookup after login is an AppView call: not needed to post.
                session = client.login(self.handle, self._password, fetch_bsky_profile=False)
            except AtProtocolError as error:
                raise PublishFailed(f"Signing in to Bluesky as {self.handle} failed: "
                                    f"{_plain(error)} Check the handle and app password.") from error
            self._did = getattr(session, "did", None) or client._session.did  # noqa: SLF001
            self._client = client
        return self._client

    @property
    def did(self) -> str:
        self.client  # noqa: B018 - signs in
        assert self._did is not None
        return self._did

    def verify(self) -> None:
        """Sign in with the credentials (a session with the PDS): PublishFailed when they fail."""
        self.client  # noqa: B018 - signs in

    def _resolve(self, handle: str) -> str | None:
        try:
            return self.client.com.atproto.identity.resolve_handle({"handle": handle}).did
        except AtProtocolError:
            return None

    def publish(self, item: PublicationItem) -> PublishedRef:
        try:
            facets = facets_of(item.text, self._resolve) or None
            reply_to = self._reply_ref(item.reply_to_platform_id) if item.reply_to_platform_id else None
            if item.images:
                made = self.client.send_images(
                    item.text, images=[image.data for image in item.images],
                    image_alts=[image.alt for image in item.images], profile_identify=self.did,
                    reply_to=reply_to, facets=facets)
            else:
                made = self.client.send_post(item.text, profile_identify=self.did,
                                             reply_to=reply_to, facets=facets)
        except AtProtocolError as error:
            raise PublishFailed(_plain(error)) from error
        return PublishedRef(platform_id=made.uri, url=web_address(self.handle, made.uri))

    def _reply_ref(self, parent_uri: str) -> models.AppBskyFeedPost.ReplyRef:
        parent = self._get_post(parent_uri)
        parent_ref = models.ComAtprotoRepoStrongRef.Main(uri=parent.uri, cid=parent.cid)
        root = parent.value.reply.root if parent.value.reply else parent_ref
        return models.AppBskyFeedPost.ReplyRef(parent=parent_ref, root=root)

    def _get_post(self, uri: str):  # noqa: ANN202 - the SDK's GetRecord response
        at = AtUri.from_str(uri)
        return self.client.com.atproto.repo.get_record(
            {"repo": at.host, "collection": at.collection, "rkey": at.rkey})

    def read_post(self, uri: str) -> str:
        """The text of a post as the platform holds it (for checking that it went out)."""
        try:
            return self._get_post(uri).value.text
        except AtProtocolError as error:
            raise PublishFailed(_plain(error)) from error

    # --- replies ------------------------------------------------------------------------------

    def replies(self, post_ids: Sequence[str]) -> list[ReplyFound]:
        """Every reply in the threads of these posts (the agency's own replies left out)."""
        ours = set(post_ids)
        if not ours:
            return []
        try:
            found = list(self._thread_replies(ours))
        except BadRequestError as error:
            if "No service configured" not in _plain(error):
                raise PublishFailed(_plain(error)) from error
            found = list(self._repository_replies(ours))
        except AtProtocolError as error:
            raise PublishFailed(_plain(error)) from error
        return [reply for reply in found if not reply.external_id.startswith(f"at://{self.did}/")]

    def _thread_replies(self, ours: set[str]) -> Iterator[ReplyFound]:
        for uri in sorted(ours):
            thread = self.client.get_post_thread(uri, depth=10).thread
            stack = list(getattr(thread, "replies", None) or [])
            while stack:
                node = stack.pop()
                post = getattr(node, "post", None)
                if post is None:
                    continue
                record = post.record
                yield ReplyFound(
                    external_id=post.uri, text=record.text, author_handle=post.author.handle,
                    author_name=post.author.display_name or "",
                    posted_at=_parse_time(record.created_at),
                    url=web_address(post.author.handle, post.uri),
                    parent_id=record.reply.parent.uri, root_id=record.reply.root.uri)
                stack.extend(getattr(node, "replies", None) or [])

    def _repository_replies(self, ours: set[str]) -> Iterator[ReplyFound]:
        sync = self.client.com.atproto.sync
        repo = self.client.com.atproto.repo
        cursor = None
        while True:
            page = sync.list_repos({"limit": 500, "cursor": cursor})
            for listed in page.repos:
                if listed.did == self.did:
                    continue
                handle = repo.describe_repo({"repo": listed.did}).handle
                for record in self._posts_of(listed.did):
                    reply = record.value.reply
                    if reply is None or reply.root.uri not in ours:
                        continue
                    yield ReplyFound(
                        external_id=record.uri, text=record.value.text, author_handle=handle,
                        author_name="", posted_at=_parse_time(record.value.created_at),
                        url=web_address(handle, record.uri), parent_id=reply.parent.uri,
                        root_id=reply.root.uri)
            cursor = page.cursor
            if not cursor:
                return

    def _posts_of(self, did: str) -> Iterator:
        cursor = None
        while True:
            page = self.client.com.atproto.repo.list_records(
                {"repo": did, "collection": POST, "limit": 100, "cursor": cursor})
            yield from page.records
            cursor = page.cursor
            if not cursor or not page.records:
                return

    # --- moderation on the platform -----------------------------------------------------------

    def hide_reply(self, reply_id: str) -> None:
        """Add the reply to the hidden replies of its thread's gate (Bluesky shows it behind a
        "hidden by the author" fold). Only the author of the thread's first post can."""
        try:
            reply = self._get_post(reply_id).value.reply
        except AtProtocolError as error:
            raise PublishFailed(_plain(error)) from error
        if reply is None:
            raise PublishFailed("That post is not a reply, so there is no thread to hide it in.")
        root_id = reply.root.uri
        root = AtUri.from_str(root_id)
        if root.host != self.did:
            raise PublishFailed("Bluesky lets the agency hide replies only in threads that start "
                                "with its own post; report this reply to Bluesky instead.")
        repo = self.client.com.atproto.repo
        try:
            try:
                gate = repo.get_record({"repo": self.did, "collection": THREADGATE,
                                        "rkey": root.rkey}).value
                hidden = list(gate.hidden_replies or [])
                allow = gate.allow
            except BadRequestError:  # no gate yet
                hidden, allow = [], None
            if reply_id not in hidden:
                hidden.append(reply_id)
            record = {"$type": THREADGATE, "post": root_id, "hiddenReplies": hidden,
                      "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z")}
            if allow is not None:
                record["allow"] = [rule.model_dump(by_alias=True, exclude_none=True)
                                   for rule in allow]
            repo.put_record({"repo": self.did, "collection": THREADGATE, "rkey": root.rkey,
                             "record": record})
        except AtProtocolError as error:
            raise PublishFailed(_plain(error)) from error

    def hidden_replies(self, root_id: str) -> list[str]:
        root = AtUri.from_str(root_id)
        try:
            gate = self.client.com.atproto.repo.get_record(
                {"repo": self.did, "collection": THREADGATE, "rkey": root.rkey}).value
        except BadRequestError:
            return []
        return list(gate.hidden_replies or [])

    def delete_post(self, post_id: str) -> None:
        at = AtUri.from_str(post_id)
        if at.host != self.did:
            raise PublishFailed("Bluesky lets the agency delete only its own posts; hide a "
                                "reply instead.")
        try:
            self.client.delete_post(post_id)
        except AtProtocolError as error:
            raise PublishFailed(_plain(error)) from error


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


__all__ = ["BlueskyConnector", "facets_of", "web_address"]
