"""Moderation tests share the register's cast of people and build channels through the real
request and approval workflow."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy.orm import Session

from kaitiaki.checker import CompiledPack, load_pack
from kaitiaki.models import Channel
from kaitiaki.moderation import formats
from kaitiaki.moderation.ingest import ImportReport, import_comments
from tests.fixtures.register import make_channel
from tests.register.conftest import Cast, cast, cast_settings, db, signed_in, work  # noqa: F401 (fixtures)

_handles = itertools.count(1)

# Comments written for these tests (not taken from any data set).
THREAT = "I know where your office is and I will burn it down with you inside."
SPAM = "Earn $5000 a week from home!!! Click bit.ly/fr33-cash now, limited offer"
CRITICISM = "The government's response to the flooding was slow and badly organised."
QUESTION = "Is the Napier evacuation centre still open tonight?"
INSULT = "You lot are useless idiots, the whole pack of you."


@pytest.fixture(scope="session")
def pack() -> CompiledPack:
    return load_pack("dpmc")


def new_channel(session: Session, cast: Cast, *, platform: str = "x", handle: str | None = None) -> Channel:  # noqa: F811
    return make_channel(
        session, requester=cast.user(session, "comms"),
        approvers=(cast.user(session, "nema_ce"), cast.user(session, "nema_cm")),
        owner=cast.user(session, "owner"), unit="NEMA", platform=platform,
        handle=handle or f"ModChannel{next(_handles)}",
    )


@pytest.fixture
def channel(db: Session, cast: Cast) -> Channel:  # noqa: F811
    return new_channel(db, cast)


def jsonl_line(external_id: str, text: str, author: str = "@someone", **extra: str) -> dict:
    return {"id": external_id, "text": text, "author": author, **extra}


def import_records(session: Session, channel: Channel, pack: CompiledPack, rows: list[dict]) -> ImportReport:
    records = [formats.record_from_mapping(row, n) for n, row in enumerate(rows, start=1)]
    return import_comments(session, channel=channel, pack=pack, records=records, actor="test",
                           source="test")
