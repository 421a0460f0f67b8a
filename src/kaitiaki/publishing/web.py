"""What the publishing pages and API share: the application's pack for official items (the same
PackSet the checker's API uses) and the connector that records publication."""

from __future__ import annotations

from fastapi import Request

from kaitiaki.checker import CompiledPack
from kaitiaki.check_service.api import pack_set
from kaitiaki.publishing.connectors import CONNECTORS, Connector, ManualRecordConnector


def gate_pack(request: Request) -> CompiledPack:
    """The pack that checks posts on this application's channels."""
    packs = pack_set(request)
    return packs.pack_for("post") or packs.primary


def connector() -> Connector:
    # One connector for now: the poster records what they published by hand.
    return CONNECTORS[ManualRecordConnector.name]


__all__ = ["connector", "gate_pack"]
