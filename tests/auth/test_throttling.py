"""Throttling rules, with the clock given explicitly."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kaitiaki.auth.throttling import ThrottlePolicy, TooManyAttempts, check_allowed, record_attempt
from kaitiaki.db import session_scope
from kaitiaki.models import LoginAttempt

POLICY = ThrottlePolicy(max_failures=5, window=timedelta(minutes=5))
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EMAIL = "person@dpmc.example.govt.nz"


def fail_times(session: Session, count: int, *, email: str = EMAIL, address: str = "10.0.0.1",
               step: timedelta = timedelta(seconds=10)) -> datetime:
    at = START
    for number in range(count):
        at = START + step * number
        record_attempt(session, email=email, address=address, succeeded=False, now=at)
    return at


def test_four_failures_still_allowed(session: Session):
    last = fail_times(session, 4)
    check_allowed(session, email=EMAIL, address="10.0.0.1", policy=POLICY, now=last + timedelta(seconds=1))


def test_fifth_failure_locks_until_the_oldest_leaves_the_window(session: Session):
    last = fail_times(session, 5)  # 09:00:00 .. 09:00:40
    with pytest.raises(TooManyAttempts) as refused:
        check_allowed(session, email=EMAIL, address="10.9.9.9", policy=POLICY, now=last)
    assert refused.value.wait_seconds == 260  # the 09:00:00 failure expires at 09:05:00
    assert refused.value.detail == "Too many failed sign-in attempts. Wait 5 minutes and try again."
    check_allowed(session, email=EMAIL, address="10.9.9.9", policy=POLICY, now=START + POLICY.window)


def test_email_case_and_spaces_do_not_dodge_the_count(session: Session):
    fail_times(session, 5, email=" Person@DPMC.example.govt.nz")
    with pytest.raises(TooManyAttempts):
        check_allowed(session, email=EMAIL, address="10.9.9.9", policy=POLICY, now=START + timedelta(minutes=1))


def test_success_clears_the_account_count_but_not_the_address_count(session: Session):
    fail_times(session, 4)
    record_attempt(session, email=EMAIL, address="10.0.0.1", succeeded=True, now=START + timedelta(seconds=45))
    record_attempt(session, email=EMAIL, address="10.0.0.2", succeeded=False, now=START + timedelta(seconds=50))
    # The account has one failure since its success: allowed from a fresh address.
    check_allowed(session, email=EMAIL, address="10.0.0.3", policy=POLICY, now=START + timedelta(minutes=1))
    # The address that failed four times, plus one more for another account, is locked.
    record_attempt(session, email="other@dpmc.example.govt.nz", address="10.0.0.1", succeeded=False,
                   now=START + timedelta(seconds=55))
    with pytest.raises(TooManyAttempts):
        check_allowed(session, email="third@dpmc.example.govt.nz", address="10.0.0.1", policy=POLICY,
                      now=START + timedelta(minutes=1))


def test_guesses_sent_at_once_are_counted_one_after_the_other(engine):
    """Twenty wrong passwords at the same moment: exactly the allowed five are tried and
    recorded, the rest refused, however the requests interleave."""
    def guess(number: int) -> str:
        try:
            with session_scope(engine) as session:
                check_allowed(session, email=EMAIL, address=f"10.1.0.{number}", policy=POLICY)
                record_attempt(session, email=EMAIL, address=f"10.1.0.{number}", succeeded=False)
        except TooManyAttempts:
            return "refused"
        return "tried"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(guess, range(20)))
    assert outcomes.count("tried") == POLICY.max_failures
    with session_scope(engine, write=False) as session:
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == POLICY.max_failures


def test_an_office_behind_one_address_is_not_locked_out_by_one_persons_typos(session: Session):
    """Five failures for one account lock that account, not the office address they came from."""
    office = ThrottlePolicy(max_failures=5, window=timedelta(minutes=5), max_address_failures=50)
    last = fail_times(session, 5, address="203.0.113.7")
    with pytest.raises(TooManyAttempts):
        check_allowed(session, email=EMAIL, address="203.0.113.7", policy=office, now=last)
    check_allowed(session, email="colleague@dpmc.example.govt.nz", address="203.0.113.7", policy=office,
                  now=last)
    for number in range(45):  # many people's typos from the one address: 50 in all
        record_attempt(session, email=f"p{number}@dpmc.example.govt.nz", address="203.0.113.7",
                       succeeded=False, now=last)
    with pytest.raises(TooManyAttempts):
        check_allowed(session, email="colleague@dpmc.example.govt.nz", address="203.0.113.7",
                      policy=office, now=last)
