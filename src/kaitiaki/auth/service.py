"""Sign-in: throttle, authenticate, record the attempt. The caller owns (and commits) the session."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from kaitiaki.auth.throttling import ThrottlePolicy, check_allowed, normalise_email, record_attempt
from kaitiaki.config import Settings
from kaitiaki.models import User
from kaitiaki.people.service import authenticate

# Argon2 cost grows with input; nobody's real password is longer than this.
MAX_PASSWORD_LENGTH = 1024
GENERIC_FAILURE = "The email address or password is not correct."


def throttle_policy(settings: Settings) -> ThrottlePolicy:
    return ThrottlePolicy(
        max_failures=settings.login_max_failures,
        window=timedelta(seconds=settings.login_window_seconds),
        max_address_failures=settings.login_max_failures_per_address,
    )


def sign_in(
    session: Session, *, email: str, password: str, address: str, policy: ThrottlePolicy
) -> User | None:
    """The user when the email and password match an active account, else None.

    Raises TooManyAttempts (and records nothing) while the account or address is throttled. Every
    other attempt is recorded, so the caller must commit even when this returns None.
    """
    email = normalise_email(email)
    check_allowed(session, email=email, address=address, policy=policy)
    user = None
    if email and password and len(password) <= MAX_PASSWORD_LENGTH:
        user = authenticate(session, email, password)
    record_attempt(session, email=email, address=address, succeeded=user is not None)
    return user


__all__ = ["GENERIC_FAILURE", "MAX_PASSWORD_LENGTH", "sign_in", "throttle_policy"]
