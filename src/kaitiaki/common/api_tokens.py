"""Which person a personal API token (`Authorization: Bearer <token>`) stands for.

Only the SHA-256 of a token is stored. The web layer's request dependencies resolve tokens here;
creating, listing and revoking them is kaitiaki.auth.tokens.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
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
        _record_use(session, token.id, now)
    return user


def _record_use(session: Session, token_id: int, now: datetime) -> None:
    """Write the token's last-use time, unless another request is writing it at this moment.

    A tool sends many requests with one token. Each that saw the time as stale would update the
    token's row and, on PostgreSQL, wait for the one before it to commit: the requests then ran one
    after the other, each holding its place and its connection through a whole draft check or
    import. SKIP LOCKED lets the first record the use while the others go on (SQLite has one writer
    at a time anyway and ignores the clause)."""
    stale = or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - LAST_USED_RESOLUTION)
    claimed = (select(ApiToken.id).where(ApiToken.id == token_id, stale)
               .with_for_update(skip_locked=True).scalar_subquery())
    session.execute(update(ApiToken).where(ApiToken.id == claimed).values(last_used_at=now)
                    .execution_options(synchronize_session=False))


__all__ = ["InvalidToken", "LAST_USED_RESOLUTION", "TOKEN_PREFIX", "bearer_token", "hash_token",
           "user_for_token"]
