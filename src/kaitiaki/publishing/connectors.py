"""How a submitted item reaches its platform. Kaitiaki does not post to the platforms yet: the one
connector, `ManualRecordConnector`, records what the poster reports (they published it by hand and
give its address). A connector that posts through a platform's API implements the same protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

from kaitiaki.errors import BadInput, FieldError

MAX_PLATFORM_ID_LENGTH = 300


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


@dataclass(frozen=True)
class PublishedRef:
    platform_id: str
    url: str


class Connector(Protocol):
    name: str

    def publish(self, item: PublicationItem) -> PublishedRef:
        """Publish the item (or record that it was published); its platform id and address."""
        ...


class ManualRecordConnector:
    """The poster published the item themselves and tells Kaitiaki where it is."""

    name = "manual"

    def publish(self, item: PublicationItem) -> PublishedRef:
        url = item.reported_url.strip()
        parts = urlsplit(url) if len(url) <= 1000 else None
        if parts is None or parts.scheme not in ("https", "http") or not parts.hostname \
                or any(ch.isspace() for ch in url):
            message = "Enter the full web address of the published post, starting with https://."
            raise BadInput(message, fields=[FieldError(["url"], message)])
        platform_id = item.reported_platform_id.strip() or _last_segment(parts.path) or url
        if len(platform_id) > MAX_PLATFORM_ID_LENGTH:
            message = f"The platform's id for the post must be at most {MAX_PLATFORM_ID_LENGTH} characters."
            raise BadInput(message, fields=[FieldError(["platform_id"], message)])
        return PublishedRef(platform_id=platform_id[:MAX_PLATFORM_ID_LENGTH], url=url)


def _last_segment(path: str) -> str:
    """https://x.com/NZCivilDefence/status/1790 -> "1790": most platforms end a post's address
    with its id."""
    segments = [segment for segment in path.split("/") if segment]
    return segments[-1] if segments else ""


CONNECTORS: dict[str, Connector] = {ManualRecordConnector.name: ManualRecordConnector()}

__all__ = ["CONNECTORS", "Connector", "ManualRecordConnector", "PublicationItem", "PublishedRef"]
