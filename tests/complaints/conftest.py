"""Complaints build on the register's cast of people (tests/register/conftest.py) and its
channels, put through the real request and approval workflow."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from kaitiaki.common.work import UnitOfWork
from kaitiaki.complaints.schemas import ComplaintDraft
from kaitiaki.config import Settings
from kaitiaki.models import Channel
from tests.fixtures.register import make_channel
from tests.register.conftest import Cast, cast, cast_settings, db, work  # noqa: F401 (fixtures)


@dataclass
class Channels:
    dpmc: Channel      # DPMC-SCE, under DPMC-SGE: escalates to the SGE ELT member
    house: Channel     # Government House: escalates to its ELT member
    nema: Channel      # NEMA: escalates to the Chief Executive


@pytest.fixture
def mailing_work(db: Session, cast_settings: Settings) -> UnitOfWork:
    """A unit of work with email on: what it queues is in `outbox.queued` (nothing is sent)."""
    return UnitOfWork(db, cast_settings.model_copy(update={"smtp_host": "127.0.0.1"}))


@pytest.fixture
def channels(db: Session, cast: Cast) -> Channels:
    user = lambda name: cast.user(db, name)  # noqa: E731
    return Channels(
        dpmc=make_channel(db, requester=user("comms"), approvers=(user("director"), user("elt_sge")),
                          owner=user("owner"), unit="DPMC-SCE", handle="DPMC_Test"),
        house=make_channel(db, requester=user("comms"), approvers=(user("director"), user("elt_gh")),
                           owner=user("poster"), unit="DPMC-GH", platform="facebook",
                           handle="HouseTest"),
        nema=make_channel(db, requester=user("comms"), approvers=(user("nema_ce"), user("nema_cm")),
                          owner=user("staff"), unit="NEMA", handle="NemaTest"),
    )


def draft(**overrides) -> ComplaintDraft:
    values = {"category": "offensive_content", "description": "The post was rude to a commenter.",
              "url": "https://x.com/DPMC_Test/status/123"}
    values.update(overrides)
    return ComplaintDraft(**values)
