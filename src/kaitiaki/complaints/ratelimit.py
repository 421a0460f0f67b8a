"""A limit on public-form submissions per client address, kept in the SubmissionAttempt table.

Like sign-in throttling (kaitiaki.auth.throttling) the count is of recorded rows in a sliding
window; unlike it, every submission counts (there is no failure to tell apart) and the address
is stored only as a keyed hash, since the public form must not collect people's addresses.
Rows older than the window are removed as new ones arrive. The count and the new row are one
step per address (kaitiaki.common.rows.serialise_on): submissions sent at once are counted one
after the other. That step is the submission's last, so that submissions from one address (an
office behind one address, a burst) wait for each other only for a commit, not for each other's
whole submission; an address that has used its share is refused first, without the lock.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kaitiaki.common.rows import serialise_on
from kaitiaki.errors import AppError
from kaitiaki.models import SubmissionAttempt
from kaitiaki.timeutil import ensure_utc, utcnow


class TooManySubmissions(AppError):
    status_code = 429
    code = "too_many_submissions"

    def __init__(self, wait_seconds: int, contact_email: str | None = None) -> None:
        minutes = max(1, math.ceil(wait_seconds / 60))
        unit = "minute" if minutes == 1 else "minutes"
        detail = (f"Thank you for your patience: we have received several submissions from your "
                  f"connection in a short time. Please wait {minutes} {unit} and try again.")
        if contact_email:
            detail += f" If it cannot wait, email {contact_email}."
        super().__init__(detail)
        self.wait_seconds = wait_seconds


@dataclass(frozen=True)
class SubmissionLimit:
    form: str
    max_submissions: int
    window: timedelta


def address_key(address: str, secret: str) -> str:
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()


def refuse_when_used_up(
    session: Session, *, limit: SubmissionLimit, address: str, secret: str,
    contact_email: str | None = None, now: datetime | None = None,
) -> None:
    """Raise TooManySubmissions when the address has used its share of the window already,
    without the address's lock: a flood is turned away before any work is done for it.
    `check_and_record` still decides exactly when the submission is recorded."""
    now = now or utcnow()
    _refuse_when_full(_recent(session, limit, address_key(address, secret), now - limit.window),
                      limit, now, contact_email)


def check_and_record(
    session: Session, *, limit: SubmissionLimit, address: str, secret: str,
    contact_email: str | None = None, now: datetime | None = None,
) -> None:
    """Record this submission, or raise TooManySubmissions when the address has used its share
    of the window (the refused attempt is not recorded, so waiting always works). The address's
    lock is held until the transaction ends, so call this as the transaction's last step."""
    now = now or utcnow()
    since = now - limit.window
    key = address_key(address, secret)
    serialise_on(session, f"submissions:{limit.form}:{key}")
    session.execute(delete(SubmissionAttempt).where(SubmissionAttempt.form == limit.form,
                                                    SubmissionAttempt.at <= since))
    _refuse_when_full(_recent(session, limit, key, since), limit, now, contact_email)
    session.add(SubmissionAttempt(form=limit.form, address_key=key, at=now))
    session.flush()


def _recent(session: Session, limit: SubmissionLimit, key: str, since: datetime) -> list[datetime]:
    return list(session.scalars(
        select(SubmissionAttempt.at)
        .where(SubmissionAttempt.form == limit.form, SubmissionAttempt.address_key == key,
               SubmissionAttempt.at > since)
        .order_by(SubmissionAttempt.at.desc())
        .limit(limit.max_submissions)
    ))


def _refuse_when_full(recent: list[datetime], limit: SubmissionLimit, now: datetime,
                      contact_email: str | None) -> None:
    if len(recent) >= limit.max_submissions:
        oldest = ensure_utc(recent[-1])
        raise TooManySubmissions(max(1, math.ceil((oldest + limit.window - now).total_seconds())),
                                 contact_email)


__all__ = ["SubmissionLimit", "TooManySubmissions", "address_key", "check_and_record",
           "refuse_when_used_up"]
