"""How a submitted item reaches its platform. Kaitiaki does not post to the platforms yet: the one
connector, `ManualRecordConnector`, records what the poster reports (they published it by hand and
give its address). A connector that posts through a platform's API implements the same protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from kaitiaki.config import Settings
from kaitiaki.models import Channel
from kaitiaki.errors import AppError, BadInput, FieldError

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


CONNECTORS: dict[str, Connector] = {ManualRecordConnector.name: ManualRecordConnector()}


def connector_for(session: Session, settings: Settings, channel: Channel) -> Connector | None:
    """The connector that publishes on `channel` by itself, or None: nobody connected the channel
    to its platform account, so a person posts by hand and records the address."""
    return None

__all__ = ["CONNECTORS", "PLATFORM_DOMAINS", "Connector", "ManualRecordConnector", "PublicationItem",
           "PublishFailed", "PublishedRef", "connector_for", "on_platform", "reported_ref"]
