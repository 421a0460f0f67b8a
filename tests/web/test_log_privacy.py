"""Database errors reach the log without the SQL parameters: those hold names, email addresses and
password and token hashes."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from kaitiaki.db import make_engine
from kaitiaki.web.deps import DbSession

PERSONAL = "aroha.secret-person@example.govt.nz"

failing = APIRouter()


@failing.get("/api/v1/probe/database-error")
def database_error(session: DbSession) -> None:
    # No such table: the database refuses the statement with the parameter bound to it.
    session.execute(text("INSERT INTO no_such_table (email) VALUES (:email)"), {"email": PERSONAL})


@pytest.fixture
def failing_client(app: FastAPI) -> Iterator[TestClient]:
    app.include_router(failing)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_a_database_error_in_a_request_logs_no_parameter(failing_client: TestClient, caplog):
    with caplog.at_level(logging.DEBUG):
        response = failing_client.get("/api/v1/probe/database-error")
    assert response.status_code == 500
    assert "no_such_table" in caplog.text  # the error itself is logged ...
    assert PERSONAL not in caplog.text     # ... without the data
    assert PERSONAL not in response.text


def test_the_engine_hides_parameters_from_error_messages(db_url: str):
    engine = make_engine(db_url)
    try:
        with pytest.raises(DBAPIError) as raised, engine.connect() as connection:
            connection.execute(text("SELECT * FROM no_such_table WHERE email = :email"),
                               {"email": PERSONAL})
    finally:
        engine.dispose()
    assert PERSONAL not in str(raised.value)
    assert "parameters hidden" in str(raised.value)
