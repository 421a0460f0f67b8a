"""The check every action starts with: the person is signed in with an active account."""

from __future__ import annotations

from kaitiaki.errors import NotPermitted
from kaitiaki.models import User


def require_active(user: User | None) -> User:
    if user is None or not user.is_active or user.left_at is not None:
        raise NotPermitted("Sign in with an active account to do this.")
    return user


__all__ = ["require_active"]
