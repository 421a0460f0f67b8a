"""The live connector for a channel's platform connection (one class per connectable platform)."""

from __future__ import annotations

from kaitiaki.models import ChannelConnection
from kaitiaki.publishing.bluesky import BlueskyConnector
from kaitiaki.publishing.connectors import LiveConnector
from kaitiaki.publishing.graph import GraphConnector
from kaitiaki.publishing.mastodon import MastodonConnector


def live_connector(connection: ChannelConnection, secret: str) -> LiveConnector | None:
    if connection.platform == "bluesky":
        return BlueskyConnector(connection.service_url, connection.account, secret)
    if connection.platform == "mastodon":
        return MastodonConnector(connection.service_url, secret)
    if connection.platform in ("facebook", "instagram"):
        return GraphConnector(connection.platform, connection.service_url, connection.account,
                              secret)
    return None


__all__ = ["live_connector"]
