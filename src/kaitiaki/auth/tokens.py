"""Personal API tokens: how a program (a social media tool, a script) acts as a person on the
JSON API, with `Authorization: Bearer <token>`.

A person creates a token on their page; it is shown once and only its SHA-256 is stored (a token
is 256 random bits, so a fast hash is enough: nothing can be guessed from it). A token works only
on `/api/` paths, only while its owner's account is active, until it expires or is revoked.
Creating and revoking write audit events; the last use is kept on the token.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.common.api_tokens import (
    TOKEN_PREFIX,
    InvalidToken,
    bearer_token,
    hash_token,
    user_for_token,
)
from kaitiaki.errors import BadInput, FieldError, NotFound
from kaitiaki.models import ApiToken, User
from kaitiaki.timeutil import utcnow

SHOWN_PREFIX_LENGTH = 10
MAX_NAME_LENGTH = 100
EXPIRY_CHOICES_DAYS = (30, 90, 365)
DEFAULT_EXPIRY_DAYS = 90
MAX_TOKENS_PER_PERSON = 20


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def create_token(session: Session, *, user: User, name: str,
                 expires_in_days: int = DEFAULT_EXPIRY_DAYS) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token itself (shown once, never stored)."""
    cleaned = (name or "").strip()
    fields = []
    if not cleaned:
        fields.append(FieldError(["name"], "Name the token after the tool that will use it."))
    elif len(cleaned) > MAX_NAME_LENGTH:
        fields.append(FieldError(["name"], f"Keep the name to {MAX_NAME_LENGTH} characters."))
    if expires_in_days not in EXPIRY_CHOICES_DAYS:
        fields.append(FieldError(["expires_in_days"], "Choose how long the token lasts: "
                                 + ", ".join(f"{days} days" for days in EXPIRY_CHOICES_DAYS) + "."))
    if fields:
        raise BadInput(fields[0].msg if len(fields) == 1 else "Some of the details need correcting.",
                       fields=fields)
    now = utcnow()
    in_use = [token for token in tokens_of(session, user) if token.usable(now)]
    if len(in_use) >= MAX_TOKENS_PER_PERSON:
        raise BadInput(f"You have {len(in_use)} tokens in use; revoke one you no longer need first.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=cleaned, token_hash=hash_token(secret),
                     prefix=secret[:SHOWN_PREFIX_LENGTH], created_at=now,
                     expires_at=now + timedelta(days=expires_in_days))
    session.add(token)
    session.flush()
    audit.record(session, actor=user.email, action="api_token.created", subject=f"user:{user.id}",
                 details={"token": token.id, "name": cleaned, "prefix": token.prefix,
                          "expires_at": token.expires_at})
    return token, secret


def revoke_token(session: Session, *, user: User, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("You have no API token with that number.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
        audit.record(session, actor=user.email, action="api_token.revoked",
                     subject=f"user:{user.id}",
                     details={"token": token.id, "name": token.name, "prefix": token.prefix})
    return token


__all__ = [
    "DEFAULT_EXPIRY_DAYS", "EXPIRY_CHOICES_DAYS", "InvalidToken", "TOKEN_PREFIX", "bearer_token",
    "create_token", "hash_token", "revoke_token", "tokens_of", "user_for_token",
]
