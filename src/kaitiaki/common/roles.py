"""The roles a user can hold.

Four roles are fixed by Kaitiaki itself. The approver roles come from the policy pack (its
`roles:` list, with the same ids and scopes); until the pack loader supplies them they are the
constant below, matching the DPMC pack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kaitiaki.errors import BadInput

Scope = Literal["agency", "unit"]


@dataclass(frozen=True)
class RoleDefinition:
    id: str
    title: str
    scope: Scope  # "unit": the assignment names a business unit (e.g. elt_member@DPMC-SGE)


ADMIN = "admin"
COMMS_STAFF = "comms_staff"
STAFF = "staff"
RECORDS_OFFICER = "records_officer"

FIXED_ROLES: tuple[RoleDefinition, ...] = (
    RoleDefinition(ADMIN, "Administrator", "agency"),
    RoleDefinition(COMMS_STAFF, "Communications staff", "agency"),
    RoleDefinition(STAFF, "Staff member", "agency"),
    # Logs Official Information Act requests and exports records for them (kaitiaki.oia).
    RoleDefinition(RECORDS_OFFICER, "Records / OIA officer", "agency"),
)

# Supplied by the policy pack's `roles:` list once the pack loader exists (same ids and scopes).
PACK_APPROVER_ROLES: tuple[RoleDefinition, ...] = (
    RoleDefinition(
        "director_strategic_comms", "Director Strategic Communications and Engagement", "agency"
    ),
    RoleDefinition("elt_member", "Executive Leadership Team member", "unit"),
    RoleDefinition("nema_chief_executive", "NEMA Chief Executive", "agency"),
    RoleDefinition("nema_comms_manager", "NEMA Communications Manager", "agency"),
)

ROLES: dict[str, RoleDefinition] = {role.id: role for role in FIXED_ROLES + PACK_APPROVER_ROLES}


def role_ids() -> list[str]:
    return list(ROLES)


def parse_role_spec(spec: str) -> tuple[str, str | None]:
    """"elt_member@DPMC-SGE" -> ("elt_member", "DPMC-SGE"); "admin" -> ("admin", None).

    Checks that the role exists and that a unit is given exactly when the role is unit-scoped.
    Whether the unit exists is the service's check (it needs the database).
    """
    role, separator, unit_code = spec.strip().partition("@")
    role = role.strip()
    unit_code = unit_code.strip()
    if role not in ROLES:
        raise BadInput(f"Unknown role {role!r}; known roles: {', '.join(ROLES)}.")
    definition = ROLES[role]
    if definition.scope == "unit" and not unit_code:
        raise BadInput(f"Role {role} needs a business unit, for example {role}@DPMC-SGE.")
    if definition.scope == "agency" and separator:
        raise BadInput(f"Role {role} applies to the whole agency and takes no unit.")
    return role, (unit_code.upper() or None)


def format_role_spec(role: str, unit_code: str | None) -> str:
    return f"{role}@{unit_code}" if unit_code else role


__all__ = [
    "ADMIN",
    "COMMS_STAFF",
    "FIXED_ROLES",
    "PACK_APPROVER_ROLES",
    "RECORDS_OFFICER",
    "ROLES",
    "RoleDefinition",
    "STAFF",
    "format_role_spec",
    "parse_role_spec",
    "role_ids",
]
