"""Server-side sign-in sessions: the browser's cookie holds a random secret, the `sessions` table
its SHA-256 and everything else (who, since when, last seen, until when, ended why).

A session is refused at once when it has been ended (sign-out, a password change, deactivation,
an administrator's "sign out everywhere"), when it has been idle longer than the idle timeout or
when its absolute expiry has passed. The web layer's request dependencies look sessions up here
(the web layer sits beneath kaitiaki.auth, like the API-token lookup); starting one from a sign-in
and the pages that list and end them are in kaitiaki.auth.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from kaitiaki.config import Settings
from kaitiaki.db import session_scope
from kaitiaki.models import User, UserSession

log = logging.getLogger(__name__)

# Writing the last-seen time on every request would make every page a write; once a minute keeps
# the idle timeout accurate to a minute.
TOUCH_RESOLUTION = timedelta(minutes=1)
MAX_SECRET_LENGTH = 100

# Why a session ended, as stored in end_reason.
SIGNED_OUT = "signed_out"
PASSWORD_CHANGED = "password_changed"
PASSWORD_RESET = "password_reset"
DEACTIVATED = "deactivated"
SIGNED_OUT_EVERYWHERE = "signed_out_everywhere"
ENDED_BY_OWNER = "ended_by_owner"


@dataclass(frozen=True)
class SessionTimeouts:
    idle: timedelta
    absolute: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionTimeouts:
        return cls(idle=timedelta(seconds=settings.session_idle_timeout_seconds),
                   absolute=timedelta(seconds=settings.session_max_age_seconds))


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def start(session: Session, user: User, *, timeouts: SessionTimeouts, now: datetime,
          user_agent: str = "", address: str = "") -> tuple[str, UserSession]:
    """A new session for `user`: the secret for the cookie (shown nowhere else) and its row."""
    secret = secrets.token_urlsafe(32)
    row = UserSession(secret_hash=hash_secret(secret), user_id=user.id, created_at=now,
                      last_seen_at=now, expires_at=now + timeouts.absolute,
                      device=device_summary(user_agent), address=address[:64])
    session.add(row)
    session.flush()
    return secret, row


def is_active(row: UserSession, *, timeouts: SessionTimeouts, now: datetime) -> bool:
    return (row.ended_at is None and now < row.expires_at
            and now - row.last_seen_at < timeouts.idle)


def find_active(session: Session, secret: object, *, timeouts: SessionTimeouts,
                now: datetime) -> UserSession | None:
    """The session this cookie secret opens, or None when it is unknown, ended or timed out."""
    if not isinstance(secret, str) or not secret or len(secret) > MAX_SECRET_LENGTH:
        return None
    row = session.scalars(
        select(UserSession).where(UserSession.secret_hash == hash_secret(secret))).first()
    if row is None or not is_active(row, timeouts=timeouts, now=now):
        return None
    return row


def current_session_id(request: Any) -> int | None:
    """The id of the session row this request was signed in by (set by the web layer's user
    dependency), so that a password change can keep the session it was made from."""
    value = getattr(request.state, "session_id", None)
    return value if isinstance(value, int) else None


def touch(session: Session, row: UserSession, *, now: datetime, engine: Engine | None) -> None:
    """Record that the session was used, at most once a minute. `engine`: write in a short unit
    of work of its own (the request's own only reads, and must not take SQLite's write lock);
    None: write in `session`, which the caller commits. A failed touch costs at most a minute of
    idle time, so it is logged, never raised."""
    if now - row.last_seen_at < TOUCH_RESOLUTION:
        return
    if engine is None:
        row.last_seen_at = now
        session.flush()
        return
    try:
        with session_scope(engine) as own:
            own.execute(update(UserSession).where(UserSession.id == row.id)
                        .values(last_seen_at=now))
    except OperationalError as exc:  # a busy database: try again at the next request
        log.info("Session %s not touched: %s", row.id, exc.__class__.__name__)


def end(session: Session, row: UserSession, *, reason: str, now: datetime) -> None:
    if row.ended_at is None:
        row.ended_at = now
        row.end_reason = reason
        session.flush()


def end_all_for_user(session: Session, user_id: int, *, reason: str, now: datetime,
                     keep: int | None = None) -> int:
    """End every open session of the person (but `keep`, the session id that asked for it);
    how many were ended."""
    query = update(UserSession).where(UserSession.user_id == user_id,
                                      UserSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep)
    result = session.execute(query.values(ended_at=now, end_reason=reason),
                             execution_options={"synchronize_session": False})
    return result.rowcount or 0


def active_for_user(session: Session, user_id: int, *, timeouts: SessionTimeouts,
                    now: datetime) -> list[UserSession]:
    """The person's sessions that still work, the most recently used first."""
    rows = session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None),
               UserSession.expires_at > now, UserSession.last_seen_at > now - timeouts.idle)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ).all()
    return list(rows)


def purge(session: Session, *, timeouts: SessionTimeouts, now: datetime) -> int:
    """Delete the rows of sessions that can no longer be used; how many."""
    result = session.execute(delete(UserSession).where(or_(
        UserSession.ended_at.is_not(None),
        UserSession.expires_at <= now,
        UserSession.last_seen_at <= now - timeouts.idle,
    )), execution_options={"synchronize_session": False})
    return result.rowcount or 0


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
            ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
            ("Linux", "Linux"))
_PRINTABLE = re.compile(r"[^\x20-\x7e]")


def device_summary(user_agent: str) -> str:
    """A short name a person recognises ("Firefox on Windows"), or the start of the header."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return _PRINTABLE.sub("", browser or system or user_agent)[:100] or "Unknown browser"


__all__ = [
    "DEACTIVATED", "ENDED_BY_OWNER", "PASSWORD_CHANGED", "PASSWORD_RESET", "SIGNED_OUT",
    "SIGNED_OUT_EVERYWHERE", "SessionTimeouts", "active_for_user", "current_session_id", "device_summary", "end",
    "end_all_for_user", "find_active", "hash_secret", "is_active", "purge", "start", "touch",
]
