"""Who works on Official Information Act requests: records officers and administrators. They
alone see a requester's details and build exports; nobody else sees the requests at all."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kaitiaki.errors import NotPermitted
from kaitiaki.models import User
from kaitiaki.common.roles import ADMIN, RECORDS_OFFICER
from kaitiaki.people.service import has_role
from kaitiaki.common.access import require_active

OIA_ROLES = frozenset({RECORDS_OFFICER, ADMIN})


def is_records_officer(session: Session, user: User) -> bool:
    if not user.is_active or user.left_at is not None:
        return False
    return any(has_role(session, user, role) for role in OIA_ROLES)


def require_records_officer(session: Session, user: User) -> None:
    require_active(user)
    if not is_records_officer(session, user):
        raise NotPermitted("Only records officers handle Official Information Act requests.")


__all__ = ["OIA_ROLES", "is_records_officer", "require_records_officer"]
