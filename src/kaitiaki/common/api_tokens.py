"""Which person a personal API token (`Authorization: Bearer <token>`) stands for.

Only the SHA-256 of a token is stored. The web layer's request dependencies resolve tokens here;
creating, listing and revoking them is kaitiaki.auth.tokens.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.errors import AppError
from kaitiaki.models import ApiToken, User
from kaitiaki.timeutil import utcnow

TOKEN_PREFIX = "kt_"
# Writing the last-use time on every request would make each API call a write; once a minute
# tells the person what they need to know.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class InvalidToken(AppError):
    status_code = 401
    code = "invalid_token"

    def __init__(self) -> None:
        super().__init__("The API token is not valid: it is unknown, revoked or expired, or its "
                         "account is no longer active. Create a new one on your page.")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None for any other header."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def user_for_token(session: Session, secret: str) -> User:
    """The active person a token acts for; InvalidToken otherwise."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise InvalidToken()
    token = session.scalars(select(ApiToken).where(ApiToken.token_hash == hash_token(secret))).first()
    now = utcnow()
    if token is None or not token.usable(now):
        raise InvalidToken()
    user = token.user
    if not user.is_active or user.left_at is not None:
        raise InvalidToken()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.flush()
    return user


__all__ = ["InvalidToken", "LAST_USED_RESOLUTION", "TOKEN_PREFIX", "bearer_token", "hash_token",
           "user_for_token"]
