"""The live connector for a channel's platform connection (one class per connectable platform)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kaitiaki.models import ChannelConnection

if TYPE_CHECKING:
    from kaitiaki.publishing.connectors import LiveConnector


def live_connector(connection: ChannelConnection, secret: str) -> LiveConnector | None:
    # The platform SDKs are imported here, when a channel is sent to or tried: importing atproto
    # alone costs a serve worker about 0.6 s of CPU at start.
    from kaitiaki.publishing.bluesky import BlueskyConnector
    from kaitiaki.publishing.graph import GraphConnector
    from kaitiaki.publishing.mastodon import MastodonConnector

    if connection.platform == "bluesky":
        return BlueskyConnector(connection.service_url, connection.account, secret)
    if connection.platform == "mastodon":
        return MastodonConnector(connection.service_url, secret)
    if connection.platform in ("facebook", "instagram"):
        return GraphConnector(connection.platform, connection.service_url, connection.account,
                              secret)
    return None


__all__ = ["live_connector"]
