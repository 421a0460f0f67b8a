"""The register's cast of people, and a channel on which the cast's poster is authorised."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from kaitiaki.checker import CompiledPack, load_pack
from kaitiaki.models import Channel, User
from kaitiaki.publishing import connections
from kaitiaki.register import service as register_service
from tests.fixtures.register import ZONE, make_channel
from tests.register.conftest import Cast, cast, cast_settings, db  # noqa: F401 (fixtures)


@dataclass
class Posting:
    channel: Channel
    poster: User
    owner: User
    staff: User
    comms: User


def authorised_channel(session: Session, cast: Cast, *, platform: str = "x",
                       handle: str | None = None) -> Posting:
    owner, poster = cast.user(session, "owner"), cast.user(session, "poster")
    channel = make_channel(session, requester=cast.user(session, "comms"),
                           approvers=(cast.user(session, "nema_ce"), cast.user(session, "nema_cm")),
                           owner=owner, unit="NEMA", platform=platform, handle=handle)
    register_service.authorise(session, user=owner, channel=channel, person_email=poster.email,
                               until=None, reason="Posts for the channel.", zone=ZONE)
    return Posting(channel=channel, poster=poster, owner=owner, staff=cast.user(session, "staff"),
                   comms=cast.user(session, "comms"))


@pytest.fixture
def posting(db: Session, cast: Cast) -> Posting:  # noqa: F811
    return authorised_channel(db, cast)


@pytest.fixture
def credentials_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connections are saved without asking the platform (none runs for Mastodon or the Graph
    API here; test_bluesky.py tries real credentials against a local PDS)."""
    monkeypatch.setattr(connections, "try_credentials", lambda *_args: None)


@pytest.fixture(scope="session")
def pack() -> CompiledPack:
    return load_pack("dpmc")
