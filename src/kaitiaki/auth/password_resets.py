"""Password reset by a single-use link sent by email (local accounts only).

A request writes a token row (only its SHA-256 is kept) and the email with the link into the
outbox in one transaction; it ends the person's older links. The answer is the same whether or
not the address has an account, so the form tells nobody who has one. A link works once, for
`password_reset_minutes`; setting the new password ends every sign-in session of the person.
Nothing here commits.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from kaitiaki.common import sign_in_sessions
from kaitiaki.config import Settings
from kaitiaki.errors import BadInput
from kaitiaki.models import PasswordResetToken, User
from kaitiaki.notify.email import Email
from kaitiaki.notify.outbox import add_email
from kaitiaki.people import queries
from kaitiaki.people.service import set_password

log = logging.getLogger(__name__)

RESET_PATH = "/login/reset"
# However often the form is sent for one address, it gets at most this many emails an hour.
MAX_LINKS_PER_HOUR = 3
MAX_TOKEN_LENGTH = 100


class ResetLinkUnusable(BadInput):
    code = "reset_link_unusable"

    def __init__(self) -> None:
        super().__init__("This password reset link has expired or has been used already. "
                         "Ask for a new one.")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def request_reset(session: Session, settings: Settings, *, email: str, now: datetime) -> bool:
    """Email a reset link when `email` names an active account; True when one was written to the
    outbox. The caller answers the same either way."""
    user = queries.get_user_by_email(session, email[:254]) if "@" in email else None
    if user is None or not user.is_active or user.left_at is not None:
        return False
    recent = session.scalar(select(func.count(PasswordResetToken.id)).where(
        PasswordResetToken.user_id == user.id,
        PasswordResetToken.created_at > now - timedelta(hours=1)))
    if (recent or 0) >= MAX_LINKS_PER_HOUR:
        log.info("Password reset for user %s not sent: %s links in the last hour", user.id, recent)
        return False
    session.execute(update(PasswordResetToken)
                    .where(PasswordResetToken.user_id == user.id,
                           PasswordResetToken.used_at.is_(None))
                    .values(used_at=now), execution_options={"synchronize_session": False})
    token = secrets.token_urlsafe(32)
    minutes = settings.password_reset_minutes
    session.add(PasswordResetToken(token_hash=_hash(token), user_id=user.id, created_at=now,
                                   expires_at=now + timedelta(minutes=minutes)))
    session.flush()
    link = f"{settings.base_url.rstrip('/')}{RESET_PATH}/{token}"
    body = (
        f"Kia ora {user.name},\n\n"
        "Someone (we hope you) asked to reset your Kaitiaki password. To choose a new one, open "
        f"this link within {minutes} minutes:\n\n{link}\n\n"
        "The link works once. If you did not ask for it, ignore this email: your password stays "
        "as it is.\n"
    )
    written = add_email(session, settings,
                        Email(to=(user.email,), subject="Reset your Kaitiaki password", body=body),
                        now=now)
    if not written:
        log.warning("Password reset for user %s not sent: email is off (KAITIAKI_SMTP_HOST)",
                    user.id)
    return written


def usable_token(session: Session, token: str, *, now: datetime) -> PasswordResetToken:
    """The unused, unexpired token row; ResetLinkUnusable otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise ResetLinkUnusable()
    row = session.scalars(select(PasswordResetToken)
                          .where(PasswordResetToken.token_hash == _hash(token))).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise ResetLinkUnusable()
    return row


def reset_password(session: Session, settings: Settings, *, token: str, password: str,
                   now: datetime) -> User:
    """Set the new password through the link and use the link up; every sign-in session of the
    person ends. BadInput (the form shows it) for a password that is too short."""
    row = usable_token(session, token, now=now)
    user = session.get(User, row.user_id)
    if user is None or not user.is_active or user.left_at is not None:
        raise ResetLinkUnusable()
    set_password(session, email=user.email, password=password, actor=user.email,
                 password_min_length=settings.password_min_length,
                 reason=sign_in_sessions.PASSWORD_RESET)
    # Compare-and-set: of two uses at once, one finds the link still unused.
    used = session.execute(update(PasswordResetToken)
                           .where(PasswordResetToken.id == row.id,
                                  PasswordResetToken.used_at.is_(None))
                           .values(used_at=now), execution_options={"synchronize_session": False})
    if used.rowcount != 1:
        raise ResetLinkUnusable()
    return user


def purge_reset_tokens(session: Session, *, now: datetime) -> int:
    """Delete links that can no longer be used, keeping the last hour's for the per-hour limit."""
    result = session.execute(delete(PasswordResetToken).where(
        or_(PasswordResetToken.used_at.is_not(None), PasswordResetToken.expires_at <= now),
        PasswordResetToken.created_at <= now - timedelta(hours=1),
    ), execution_options={"synchronize_session": False})
    return result.rowcount or 0


__all__ = ["RESET_PATH", "ResetLinkUnusable", "purge_reset_tokens", "request_reset",
           "reset_password", "usable_token"]
