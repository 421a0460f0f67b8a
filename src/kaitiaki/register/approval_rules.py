"""Who must approve a channel request, from the policy pack's `approval_rules`.

Only pack.yaml is read (through the pack's own YAML reader and schema), once per process: the
workflows need the agency's rules, not the checker's compiled lexicons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from kaitiaki.errors import BadInput, FieldError, PackError
from kaitiaki.models import OrgUnit, RoleAssignment, User
from kaitiaki.people import queries as people_queries
from kaitiaki.common.roles import ROLES, format_role_spec
from kaitiaki.policy import resolve_pack_path
from kaitiaki.policy.schema import ApprovalRule, PackMeta
from kaitiaki.policy.yamlfile import read_yaml


@dataclass(frozen=True)
class Requirement:
    """One approval a request needs: a role, and for unit roles the channel's business unit (the
    holder of that role for the unit or for a unit above it qualifies)."""

    role: str
    unit: OrgUnit | None = None

    @property
    def spec(self) -> str:
        return format_role_spec(self.role, self.unit.code if self.unit else None)

    @property
    def label(self) -> str:
        """"Executive Leadership Team member for Government House"."""
        title = ROLES[self.role].title if self.role in ROLES else self.role
        return title if self.unit is None else f"{title} for {self.unit.name}"


def approval_rules(pack_name_or_path: str | Path) -> tuple[ApprovalRule, ...]:
    return _rules_at(resolve_pack_path(pack_name_or_path))


@lru_cache(maxsize=8)
def _rules_at(path: Path) -> tuple[ApprovalRule, ...]:
    yaml_file = read_yaml(path / "pack.yaml")
    if yaml_file.problems or not isinstance(yaml_file.data, dict):
        raise PackError(f"{path / 'pack.yaml'} cannot be read; run `kaitiaki pack lint`.")
    try:
        meta = PackMeta.model_validate(yaml_file.data)
    except ValueError as exc:
        raise PackError(f"{path / 'pack.yaml'} is not valid; run `kaitiaki pack lint`.") from exc
    return tuple(meta.approval_rules)


def agency_of(unit: OrgUnit) -> OrgUnit:
    """The agency a unit belongs to (the unit itself for an agency)."""
    current = unit
    while current.kind != "agency" and current.parent is not None:
        current = current.parent
    return current


def unit_and_ancestors(unit: OrgUnit) -> list[OrgUnit]:
    chain = [unit]
    while chain[-1].parent is not None:
        chain.append(chain[-1].parent)
    return chain


def requirements_for(
    rules: Sequence[ApprovalRule], unit: OrgUnit, kind: str
) -> list[Requirement]:
    """The approvals a request of `kind` for a channel of `unit` needs; BadInput (on the unit
    field) when the pack has no rule for the unit's agency or the unit cannot be approved for."""
    agency = agency_of(unit)
    rule = next((r for r in rules if r.agency == agency.code and kind in r.requests), None)
    if rule is None:
        message = f"The policy pack says nothing about who approves channels of {agency.name}."
        raise BadInput(message, fields=[FieldError(["unit"], message)])
    requirements = []
    for required in rule.required:
        if required.of == "channel_unit":
            if unit.kind == "agency":
                message = (f"Choose the business unit of {agency.name} the channel belongs to: "
                           "its Executive Leadership Team member approves the request.")
                raise BadInput(message, fields=[FieldError(["unit"], message)])
            requirements.append(Requirement(required.role, unit))
        else:
            requirements.append(Requirement(required.role))
    return requirements


def holds(session: Session, user: User, requirement: Requirement) -> bool:
    """Whether `user` (active) holds the role a requirement names."""
    return holds_among(people_queries.role_assignments_of(session, user), user, requirement)


def holds_among(assignments: Sequence[RoleAssignment], user: User, requirement: Requirement) -> bool:
    """`holds`, given the user's role assignments (read once to test many requirements)."""
    if not user.is_active or user.left_at is not None:
        return False
    qualifying_units = (
        {u.id for u in unit_and_ancestors(requirement.unit)} if requirement.unit else None
    )
    for assignment in assignments:
        if assignment.role != requirement.role:
            continue
        if qualifying_units is None or assignment.unit_id in qualifying_units:
            return True
    return False


def holders(session: Session, requirement: Requirement) -> list[User]:
    """Everyone who could give this approval."""
    if requirement.unit is None:
        return people_queries.users_with_role(session, requirement.role)
    found: dict[int, User] = {}
    for unit in unit_and_ancestors(requirement.unit):
        for user in people_queries.users_with_role(session, requirement.role, unit.code):
            found.setdefault(user.id, user)
    return list(found.values())


__all__ = [
    "Requirement",
    "agency_of",
    "approval_rules",
    "holders",
    "holds_among",
    "holds",
    "requirements_for",
    "unit_and_ancestors",
]
