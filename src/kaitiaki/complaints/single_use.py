"""The public complaint form's single-use token: each rendering of the form carries a new one, and
a complaint sent with a token already used is not recorded again. The person who pressed "Send"
twice, or whose browser resent the form after a dropped connection, is shown the complaint that
was recorded the first time.

Tokens are kept in the idempotency_keys table (scope "form:complaint") in the same transaction
as the complaint, so the token is used exactly when the complaint exists.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kaitiaki.models import IdempotencyKey

SCOPE = "form:complaint"
MAX_TOKEN_LENGTH = 200


def claim(session: Session, token: str) -> str | None:
    """Claim the token for this submission; the reference recorded with it when it was used
    already. A second submission arriving at the same moment waits for the first (unique key)."""
    earlier = _earlier(session, token)
    if earlier is not None:
        return earlier
    try:
        with session.begin_nested():
            session.add(IdempotencyKey(scope=SCOPE, key=token[:MAX_TOKEN_LENGTH],
                                       fingerprint=SCOPE))
    except IntegrityError:
        return _earlier(session, token) or ""
    return None


def remember(session: Session, token: str, reference: str) -> None:
    row = session.scalars(select(IdempotencyKey).where(
        IdempotencyKey.scope == SCOPE, IdempotencyKey.key == token[:MAX_TOKEN_LENGTH])).one()
    row.status_code = 303
    row.response_body = reference
    session.flush()


def _earlier(session: Session, token: str) -> str | None:
    row = session.scalars(select(IdempotencyKey).where(
        IdempotencyKey.scope == SCOPE, IdempotencyKey.key == token[:MAX_TOKEN_LENGTH])).first()
    return None if row is None else (row.response_body or "")


__all__ = ["claim", "remember"]
