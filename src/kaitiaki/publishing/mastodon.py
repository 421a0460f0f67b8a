"""Mastodon through Mastodon.py: publish (with images and alt text), read replies from a post's
context, delete the agency's own post. Mastodon has no way for a post's author to hide someone
else's reply, so `hide_reply` is absent and the moderation page says so.

Tested against recorded responses in Mastodon's documented shapes (no Mastodon server runs in the
test suite): tests/publishing/test_contract_connectors.py."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime

import requests
from mastodon import Mastodon, MastodonError

from kaitiaki.publishing.connectors import PublicationItem, PublishedRef, PublishFailed, ReplyFound


MINIMUM_VERSION = "4.0.0"


def plain_text(content: str) -> str:
    """A status's HTML as text: paragraphs and line breaks kept, tags dropped, entities decoded."""
    text = re.sub(r"<br\s*/?>", "\n", content)
    text = re.sub(r"</p>\s*<p>", "\n\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _plain(error: MastodonError) -> str:
    return f"Mastodon answered: {' '.join(str(part) for part in error.args[1:] if part) or error}"


class MastodonConnector:
    name = "mastodon"

    def __init__(self, instance_url: str, access_token: str,
                 session: requests.Session | None = None) -> None:
        self.api = Mastodon(access_token=access_token, api_base_url=instance_url,
                            request_timeout=30, session=session,
                            # Every call used here exists since 4.0: given the version, Mastodon.py
                            # picks the current endpoints without asking the instance first.
                            version_check_mode="created", mastodon_version=MINIMUM_VERSION,
                            ratelimit_method="throw")

    def verify(self) -> None:
        """Ask the instance whose token this is: PublishFailed when it refuses it."""
        try:
            self.api.account_verify_credentials()
        except MastodonError as error:
            raise PublishFailed(f"The access token did not work: {_plain(error)}") from error

    def publish(self, item: PublicationItem) -> PublishedRef:
        try:
            media = [self.api.media_post(io.BytesIO(image.data), mime_type=image.media_type,
                                         description=image.alt,
                                         file_name=f"image{number}.{image.media_type.split('/')[1]}")
                     for number, image in enumerate(item.images, start=1)]
            status = self.api.status_post(item.text, in_reply_to_id=item.reply_to_platform_id,
                                          media_ids=[m["id"] for m in media] or None,
                                          idempotency_key=f"kaitiaki-draft-{item.draft_id}")
        except MastodonError as error:
            raise PublishFailed(_plain(error)) from error
        return PublishedRef(platform_id=str(status["id"]), url=status["url"])

    def replies(self, post_ids: Sequence[str]) -> list[ReplyFound]:
        found = []
        try:
            me = str(self.api.me()["id"])
            for post_id in post_ids:
                for status in self.api.status_context(post_id)["descendants"]:
                    if str(status["account"]["id"]) == me:
                        continue
                    created = status["created_at"]
                    found.append(ReplyFound(
                        external_id=str(status["id"]), text=plain_text(status["content"]),
                        author_handle="@" + status["account"]["acct"],
                        author_name=status["account"].get("display_name") or "",
                        posted_at=created if isinstance(created, datetime) else _parse(created),
                        url=status.get("url"), parent_id=str(status["in_reply_to_id"]),
                        root_id=str(post_id)))
        except MastodonError as error:
            raise PublishFailed(_plain(error)) from error
        return found

    def delete_post(self, post_id: str) -> None:
        try:
            self.api.status_delete(post_id)
        except MastodonError as error:
            raise PublishFailed(_plain(error)) from error


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


__all__ = ["MastodonConnector", "plain_text"]
