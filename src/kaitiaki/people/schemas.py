"""Shapes of people data as the CLI and the JSON API show them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from kaitiaki.models import User
from kaitiaki.common.roles import format_role_spec


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    is_active: bool
    roles: list[str]  # role specs, e.g. "elt_member@DPMC-SGE"
    created_at: datetime
    left_at: datetime | None

    @classmethod
    def from_user(cls, user: User, roles: list[tuple[str, str | None]]) -> UserOut:
        return cls(
            id=user.id,
            email=user.email,
            name=user.name,
            is_active=user.is_active,
            roles=[format_role_spec(role, unit) for role, unit in roles],
            created_at=user.created_at,
            left_at=user.left_at,
        )


__all__ = ["UserOut"]
