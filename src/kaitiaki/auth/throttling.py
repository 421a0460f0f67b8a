"""Sign-in throttling, recorded in the LoginAttempt table.

After `login_max_failures` failures within `login_window_seconds` for one account (email address),
or `login_max_failures_per_address` from one client address, further attempts are refused until
the oldest of those failures leaves the window. The address's limit is higher: a whole office can
sign in through one address, and one person's typos must not lock out their colleagues. A successful sign-in clears the account's count (only the holder of the password can do
that) but not the address's: an attacker signing in to an account of their own must not reset the
count for the address they are guessing from.

Refused attempts are not recorded, so a locked-out person's retries do not extend the wait.

The count is exact under concurrency: `check_allowed` takes a lock per account and per address
(kaitiaki.common.rows.serialise_on) that the caller's transaction holds until it has recorded the
attempt, so twenty guesses sent at once are counted one after the other, not all against the
same empty count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from kaitiaki.common.rows import serialise_on
from kaitiaki.errors import AppError
from kaitiaki.models import LoginAttempt
from kaitiaki.timeutil import ensure_utc, utcnow

MAX_ADDRESS_LENGTH = 64
MAX_EMAIL_LENGTH = 254


class TooManyAttempts(AppError):
    status_code = 429
    code = "too_many_attempts"

    def __init__(self, wait_seconds: int) -> None:
        minutes = max(1, math.ceil(wait_seconds / 60))
        unit = "minute" if minutes == 1 else "minutes"
        super().__init__(
            f"Too many failed sign-in attempts. Wait {minutes} {unit} and try again."
        )
        self.wait_seconds = wait_seconds


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int  # per account
    window: timedelta
    max_address_failures: int | None = None  # per client address; the account's limit when None

    @property
    def address_limit(self) -> int:
        return self.max_address_failures or self.max_failures


def normalise_email(email: str) -> str:
    return email.strip().lower()[:MAX_EMAIL_LENGTH]


def _oldest_counted_failure(
    session: Session, key: ColumnElement[bool], since: datetime, count_after_success: bool, limit: int,
) -> datetime | None:
    """When the count has reached the limit: the oldest counted failure's time; else None."""
    conditions = [key, LoginAttempt.at > since]
    if count_after_success:
        last_success = select(func.max(LoginAttempt.at)).where(key, LoginAttempt.succeeded.is_(True))
        last = session.scalar(last_success)
        if last is not None and ensure_utc(last) > since:
            conditions.append(LoginAttempt.at > last)
    failures = list(
        session.scalars(
            select(LoginAttempt.at)
            .where(*conditions, LoginAttempt.succeeded.is_(False))
            .order_by(LoginAttempt.at.desc())
            .limit(limit)
        )
    )
    if len(failures) < limit:
        return None
    return ensure_utc(failures[-1])


def check_allowed(
    session: Session, *, email: str, address: str, policy: ThrottlePolicy, now: datetime | None = None
) -> None:
    """Raise TooManyAttempts when this account or this address has used up its failures."""
    now = now or utcnow()
    since = now - policy.window
    email = normalise_email(email)
    # Sorted, so that two transactions wanting the same two locks take them in the same order.
    for key in sorted((f"login-email:{email}", f"login-address:{address[:MAX_ADDRESS_LENGTH]}")):
        serialise_on(session, key)
    blocking = [
        _oldest_counted_failure(session, LoginAttempt.email == email, since, True, policy.max_failures),
        _oldest_counted_failure(
            session, LoginAttempt.address == address[:MAX_ADDRESS_LENGTH], since, False,
            policy.address_limit,
        ),
    ]
    waits = [(oldest + policy.window - now).total_seconds() for oldest in blocking if oldest]
    if waits:
        raise TooManyAttempts(max(1, math.ceil(max(waits))))


def record_attempt(
    session: Session, *, email: str, address: str, succeeded: bool, now: datetime | None = None
) -> LoginAttempt:
    attempt = LoginAttempt(
        at=now or utcnow(),
        email=normalise_email(email),
        address=address[:MAX_ADDRESS_LENGTH],
        succeeded=succeeded,
    )
    session.add(attempt)
    session.flush()
    return attempt


__all__ = ["ThrottlePolicy", "TooManyAttempts", "check_allowed", "normalise_email", "record_attempt"]
