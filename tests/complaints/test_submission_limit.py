"""The public form's limit per address: an address that has used its share is turned away before
any work and without waiting for that address's submissions in progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select, text

from kaitiaki.complaints.ratelimit import (SubmissionLimit, TooManySubmissions, check_and_record,
                                           refuse_when_used_up)
from kaitiaki.db import make_sessionmaker
from kaitiaki.models import SubmissionAttempt

LIMIT = SubmissionLimit(form="complaint", max_submissions=2, window=timedelta(hours=1))
SECRET = "limit-test-secret"


def _attempts(engine: Engine) -> int:
    with make_sessionmaker(engine)() as session:
        return session.scalar(select(func.count()).select_from(SubmissionAttempt))


def test_an_address_that_has_used_its_share_is_refused_first_and_others_are_not(engine: Engine):
    for _ in range(2):
        with make_sessionmaker(engine)() as session, session.begin():
            refuse_when_used_up(session, limit=LIMIT, address="203.0.113.5", secret=SECRET)
            check_and_record(session, limit=LIMIT, address="203.0.113.5", secret=SECRET)
    with make_sessionmaker(engine)() as session, session.begin():
        with pytest.raises(TooManySubmissions) as refused:
            refuse_when_used_up(session, limit=LIMIT, address="203.0.113.5", secret=SECRET,
                                contact_email="help@example.govt.nz")
        assert "help@example.govt.nz" in refused.value.detail
        refuse_when_used_up(session, limit=LIMIT, address="198.51.100.7", secret=SECRET)
    assert _attempts(engine) == 2  # a refusal records nothing, so waiting always works


def test_the_first_check_does_not_wait_for_a_submission_in_progress(engine: Engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: a submission in progress holds the whole "
                    "database, so only PostgreSQL can show this")
    in_progress = make_sessionmaker(engine)()
    next_one = make_sessionmaker(engine)()
    try:
        in_progress.begin()
        check_and_record(in_progress, limit=LIMIT, address="203.0.113.5", secret=SECRET)
        next_one.begin()
        next_one.execute(text("SET LOCAL lock_timeout = '3s'"))  # an error instead of a hang
        refuse_when_used_up(next_one, limit=LIMIT, address="203.0.113.5", secret=SECRET)
        next_one.commit()
        in_progress.commit()
    finally:
        in_progress.close()
        next_one.close()
    assert _attempts(engine) == 1
