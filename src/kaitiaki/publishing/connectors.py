"""How a submitted item reaches its platform. `ManualRecordConnector` records what the poster
reports (they published it by hand and give its address); a channel connected to its platform
account (kaitiaki.publishing.connections) gets a live connector (`connector_for`) that publishes
through the platform's API, finds replies and moderates where the platform allows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from kaitiaki.config import Settings
from kaitiaki.models import Channel
from kaitiaki.errors import AppError, BadInput, FieldError
from kaitiaki.publishing.images import ImageIn

T = TypeVar("T")
MAX_PLATFORM_ID_LENGTH = 300
MAX_URL_LENGTH = 1000
# Where each platform serves its posts; subdomains (www., m.) count. Mastodon and "other" have
# no fixed domain: every instance or site has its own.
PLATFORM_DOMAINS: dict[str, tuple[str, ...]] = {
    "x": ("x.com", "twitter.com"),
    "facebook": ("facebook.com", "fb.com", "fb.watch"),
    "instagram": ("instagram.com",),
    "linkedin": ("linkedin.com",),
    "youtube": ("youtube.com", "youtu.be"),
    "bluesky": ("bsky.app",),
    "threads": ("threads.net", "threads.com"),
    "tiktok": ("tiktok.com",),
}
PLATFORM_EXAMPLES = {
    "x": "https://x.com/NZCivilDefence/status/1790000000000000000",
    "facebook": "https://www.facebook.com/NZCivilDefence/posts/123456789",
    "instagram": "https://www.instagram.com/p/C1a2B3c4D5e/",
    "linkedin": "https://www.linkedin.com/feed/update/urn:li:activity:7100000000000000000/",
    "youtube": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "bluesky": "https://bsky.app/profile/civildefence.govt.nz/post/3kabc123xyz",
    "threads": "https://www.threads.net/@nzcivildefence/post/C1a2B3c4D5e",
    "tiktok": "https://www.tiktok.com/@nzcivildefence/video/7300000000000000000",
}


@dataclass(frozen=True)
class ReplyFound:
    """A reply found on the platform. `parent_id` is the post it answers, `root_id` the thread's
    first post (the agency's)."""

    external_id: str
    text: str
    author_handle: str
    author_name: str
    posted_at: datetime | None
    url: str | None
    parent_id: str
    root_id: str


@dataclass(frozen=True)
class PublicationItem:
    """What a connector publishes: the draft's checked words and, for the manual connector, what
    the poster reports about the post they made."""

    draft_id: int
    platform: str
    channel_handle: str
    kind: str
    text: str
    reported_url: str = ""
    reported_platform_id: str = ""
    published_at: datetime | None = None
    # The platform's id of the comment this replies to (a reply from the moderation queue).
    reply_to_platform_id: str | None = None
    images: tuple[ImageIn, ...] = ()


@dataclass(frozen=True)
class PublishedRef:
    platform_id: str
    url: str


class PublishFailed(AppError):
    """The platform refused or could not be reached; the message says why, for the poster."""

    status_code = 502
    code = "publish_failed"


class Connector(Protocol):
    name: str

    def publish(self, item: PublicationItem) -> PublishedRef:
        """Publish the item (or record that it was published); its platform id and address."""
        ...


class LiveConnector(Connector, Protocol):
    def verify(self) -> None:
        """Try the credentials with the platform; PublishFailed, in words, when they fail."""
        ...


class ManualRecordConnector:
    """The poster published the item themselves and tells Kaitiaki where it is."""

    name = "manual"

    def publish(self, item: PublicationItem) -> PublishedRef:
        return reported_ref(item.platform, item.reported_url, item.reported_platform_id)


def reported_ref(platform: str, reported_url: str, reported_platform_id: str = "") -> PublishedRef:
    """A post's address as a person reports it, checked: a web address on the channel's platform,
    and the platform's id for the post (by default the address's last part)."""
    url = reported_url.strip()
    parts = urlsplit(url) if len(url) <= MAX_URL_LENGTH else None
    if parts is None or parts.scheme not in ("https", "http") or not parts.hostname \
            or any(ch.isspace() for ch in url):
        message = "Enter the full web address of the published post, starting with https://."
        raise BadInput(message, fields=[FieldError(["url"], message)])
    if not on_platform(parts.hostname, platform):
        message = (f"That address is not on {platform}: a post there has an address like "
                   f"{PLATFORM_EXAMPLES[platform]}.")
        raise BadInput(message, fields=[FieldError(["url"], message)])
    platform_id = reported_platform_id.strip() or _last_segment(parts.path) or url
    if len(platform_id) > MAX_PLATFORM_ID_LENGTH:
        message = f"The platform's id for the post must be at most {MAX_PLATFORM_ID_LENGTH} characters."
        raise BadInput(message, fields=[FieldError(["platform_id"], message)])
    return PublishedRef(platform_id=platform_id, url=url)


def on_platform(host: str, platform: str) -> bool:
    domains = PLATFORM_DOMAINS.get(platform)
    if domains is None:
        return True
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def _last_segment(path: str) -> str:
    """https://x.com/NZCivilDefence/status/1790 -> "1790": most platforms end a post's address
    with its id."""
    segments = [segment for segment in path.split("/") if segment]
    return segments[-1] if segments else ""


def outside_transaction(session: Session, call: Callable[[], T]) -> T:
    """Call the platform with no database transaction open. What the session did so far (the
    step before the call: a send's claim, say) is committed first, so neither SQLite's write lock
    nor PostgreSQL's row locks are held while the platform answers; the session's next use opens
    a new transaction for the answer. The session must not be used during `call`."""
    session.commit()
    return call()


CONNECTORS: dict[str, Connector] = {ManualRecordConnector.name: ManualRecordConnector()}


def connector_for(session: Session, settings: Settings, channel: Channel) -> Connector | None:
    """The connector that publishes on `channel` by itself, or None: nobody connected the channel
    to its platform account, so a person posts by hand and records the address."""
    # Imported here: the platform clients import this module's types.
    from kaitiaki.publishing.connections import active_connection
    from kaitiaki.publishing.credentials import decrypt
    from kaitiaki.publishing.live import live_connector

    connection = active_connection(session, channel)
    if connection is None:
        return None
    return live_connector(connection, decrypt(settings, connection.secret))

__all__ = ["CONNECTORS", "PLATFORM_DOMAINS", "Connector", "ImageIn", "LiveConnector",
           "ManualRecordConnector",
           "PublicationItem", "ReplyFound",
           "PublishFailed", "PublishedRef", "connector_for", "on_platform", "outside_transaction",
           "reported_ref"]
