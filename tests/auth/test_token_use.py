"""A personal API token's last use is recorded, and requests sent at once with one token do not
wait for each other to record it."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, text

from kaitiaki.auth.tokens import create_token
from kaitiaki.common.api_tokens import user_for_token
from kaitiaki.db import make_sessionmaker
from kaitiaki.models import ApiToken
from tests.fixtures.people import make_user


def _new_token(engine: Engine) -> tuple[int, str]:
    with make_sessionmaker(engine)() as session, session.begin():
        row, secret = create_token(session, user=make_user(session), name="Scheduler")
        return row.id, secret


def _last_used(engine: Engine, token_id: int):  # noqa: ANN202
    with make_sessionmaker(engine)() as session:
        return session.scalars(select(ApiToken.last_used_at).where(ApiToken.id == token_id)).one()


def test_the_first_use_is_recorded(engine: Engine):
    token_id, secret = _new_token(engine)
    assert _last_used(engine, token_id) is None
    with make_sessionmaker(engine)() as session, session.begin():
        assert user_for_token(session, secret).name
    first = _last_used(engine, token_id)
    assert first is not None
    with make_sessionmaker(engine)() as session, session.begin():
        user_for_token(session, secret)
    assert _last_used(engine, token_id) == first  # within the minute: not written again


def test_a_second_request_with_the_token_does_not_wait_for_the_first(engine: Engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: its write requests queue for the database "
                    "whatever they write, so only PostgreSQL can show this")
    token_id, secret = _new_token(engine)
    first = make_sessionmaker(engine)()
    second = make_sessionmaker(engine)()
    try:
        first.begin()
        user_for_token(first, secret)  # records the use and holds the row until it commits
        second.begin()
        # Waiting for the first request's transaction (a whole draft check, say) would end here in
        # an error rather than in a hang.
        second.execute(text("SET LOCAL lock_timeout = '3s'"))
        assert user_for_token(second, secret).id == user_for_token(first, secret).id
        second.commit()
        first.commit()
    finally:
        first.close()
        second.close()
    assert _last_used(engine, token_id) is not None
