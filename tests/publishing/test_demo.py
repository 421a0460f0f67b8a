"""The demo data shows a draft at each stage: published, waiting for an exception, checked."""

from __future__ import annotations

from sqlalchemy import select

from kaitiaki.models import User
from kaitiaki.demo import load_demo
from kaitiaki.publishing import queries


def test_demo_drafts_show_each_stage_and_load_once(session):
    load_demo(session)
    poster = session.scalars(select(User).where(User.email == "poster@dpmc.example.govt.nz")).one()
    owner = session.scalars(select(User).where(User.email == "nema.comms@nema.example.govt.nz")).one()
    states = sorted(d.state for d in queries.drafts_by(session, poster, open_only=False))
    assert states == ["checked", "exception_requested", "published"]
    assert len(queries.exceptions_waiting_for(session, owner, comms_staff=True)) == 1
    load_demo(session)
    assert len(queries.drafts_by(session, poster, open_only=False)) == 3
