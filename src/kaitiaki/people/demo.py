"""Demo people: the DPMC and NEMA organisation and one user for every role.

Loading is idempotent: units and users that exist already are left as they are (a user missing a
demo role gets it). The whole demo (people, then each feature's demo data) is loaded by
kaitiaki.demo.load_demo.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from kaitiaki.people import queries, service
from kaitiaki.common.roles import format_role_spec, parse_role_spec

DEMO_PASSWORD = "kaitiaki-demo-2026"
DEMO_ACTOR = "system"


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    kind: str
    parent: str | None = None


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    roles: tuple[str, ...]


# The DPMC pack's `units:` list (pack.yaml); read from the pack once the loader supplies it.
DEMO_UNITS: tuple[DemoUnit, ...] = (
    DemoUnit("DPMC", "Department of the Prime Minister and Cabinet", "agency"),
    DemoUnit("DPMC-SGE", "Strategy, Governance and Engagement", "business_unit", "DPMC"),
    DemoUnit("DPMC-SCE", "Strategic Communications and Engagement", "business_unit", "DPMC-SGE"),
    DemoUnit("DPMC-PAG", "Policy Advisory Group", "business_unit", "DPMC"),
    DemoUnit("DPMC-CO", "Cabinet Office", "business_unit", "DPMC"),
    DemoUnit("DPMC-GH", "Government House", "business_unit", "DPMC"),
    DemoUnit("DPMC-NSG", "National Security Group", "business_unit", "DPMC"),
    DemoUnit("DPMC-CWPR", "Child Wellbeing and Poverty Reduction Group", "business_unit", "DPMC"),
    DemoUnit("DPMC-GCG", "Greater Christchurch Group", "business_unit", "DPMC"),
    DemoUnit("DPMC-CORP", "Corporate", "business_unit", "DPMC"),
    DemoUnit("NEMA", "National Emergency Management Agency", "agency"),
)

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin@dpmc.example.govt.nz", "Aroha Administrator", ("admin",)),
    DemoUser("comms@dpmc.example.govt.nz", "Hemi Communications", ("comms_staff",)),
    DemoUser("director.comms@dpmc.example.govt.nz", "Mere Director",
             ("director_strategic_comms",)),
    DemoUser("elt.sge@dpmc.example.govt.nz", "Tama ELT Strategy", ("elt_member@DPMC-SGE",)),
    DemoUser("elt.gh@dpmc.example.govt.nz", "Kiri ELT Government House", ("elt_member@DPMC-GH",)),
    DemoUser("nema.ce@nema.example.govt.nz", "Rangi Chief Executive", ("nema_chief_executive",)),
    DemoUser("nema.comms@nema.example.govt.nz", "Ana NEMA Communications",
             ("nema_comms_manager", "comms_staff")),
    # An authorised poster is a staff member whom a channel's business owner authorises on the
    # channel; the authorisation itself belongs to the channel register.
    DemoUser("poster@dpmc.example.govt.nz", "Wiremu Poster", ("staff",)),
    DemoUser("staff@dpmc.example.govt.nz", "Sam Staff", ("staff",)),
    DemoUser("records@dpmc.example.govt.nz", "Nikau Records", ("records_officer",)),
)


def load_demo_people(session: Session) -> list[tuple[str, str]]:
    """Create the demo organisation and users; return the (email, roles) sign-ins."""
    _load_units(session)
    _load_users(session)
    return [(user.email, ", ".join(user.roles)) for user in DEMO_USERS]


def _load_units(session: Session) -> None:
    for unit in DEMO_UNITS:
        if queries.get_unit_by_code(session, unit.code) is None:
            service.add_unit(
                session, code=unit.code, name=unit.name, kind=unit.kind,
                parent_code=unit.parent, actor=DEMO_ACTOR,
            )


def _load_users(session: Session) -> None:
    for demo_user in DEMO_USERS:
        user = queries.get_user_by_email(session, demo_user.email)
        if user is None:
            service.add_user(
                session, email=demo_user.email, name=demo_user.name, password=DEMO_PASSWORD,
                roles=list(demo_user.roles), actor=DEMO_ACTOR,
            )
            continue
        held = set(service.roles_of(session, user))
        wanted = {parse_role_spec(spec) for spec in demo_user.roles}
        if not wanted <= held:
            combined = sorted(held | wanted, key=lambda pair: (pair[0], pair[1] or ""))
            service.set_roles(
                session, email=user.email, actor=DEMO_ACTOR,
                roles=[format_role_spec(role, unit) for role, unit in combined],
            )


__all__ = ["DEMO_PASSWORD", "DEMO_UNITS", "DEMO_USERS", "load_demo_people"]
