from __future__ import annotations

from sqlalchemy import func, select

from kaitiaki.audit.service import verify
from kaitiaki.models import OrgUnit, User
from kaitiaki.people import queries, service
from kaitiaki.demo import load_demo
from kaitiaki.people.demo import DEMO_PASSWORD
from kaitiaki.common.roles import ROLES


def test_demo_has_the_organisation_and_a_user_for_every_role(session):
    sign_ins = load_demo(session)
    units = {unit.code: unit for unit in queries.list_units(session)}
    assert units["DPMC"].kind == "agency" and units["NEMA"].kind == "agency"
    assert units["DPMC-SGE"].parent.code == "DPMC"
    assert units["DPMC-GH"].name == "Government House"
    held_roles = {
        role for user in queries.list_users(session) for role, _ in service.roles_of(session, user)
    }
    assert held_roles == set(ROLES)
    for email, _role in sign_ins:
        assert service.authenticate(session, email, DEMO_PASSWORD) is not None
    elt_gh = queries.get_user_by_email(session, "elt.gh@dpmc.example.govt.nz")
    assert service.has_role(session, elt_gh, "elt_member", "DPMC-GH")
    assert verify(session).ok


def test_demo_is_idempotent_and_restores_a_missing_demo_role(session):
    load_demo(session)
    counts = (
        session.scalar(select(func.count()).select_from(User)),
        session.scalar(select(func.count()).select_from(OrgUnit)),
    )
    service.set_roles(session, email="comms@dpmc.example.govt.nz", roles=["staff"], actor="system")
    load_demo(session)
    assert counts == (
        session.scalar(select(func.count()).select_from(User)),
        session.scalar(select(func.count()).select_from(OrgUnit)),
    )
    comms = queries.get_user_by_email(session, "comms@dpmc.example.govt.nz")
    assert service.roles_of(session, comms) == [("comms_staff", None), ("staff", None)]
