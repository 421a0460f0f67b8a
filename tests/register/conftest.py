"""A cast of people holding every role, committed once per module and database so that web, API and
CLI tests see them too. It is made through the services once per worker and database; later
modules put the same rows back.

`db` is a Session inside a transaction that is rolled back after each test, so service tests can
change anything without affecting the next test. Tests that go through the web, the API or the CLI
commit for real; they use their own channels (unique handles) and leave the cast as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kaitiaki.app import create_app
from kaitiaki.common.work import UnitOfWork
from kaitiaki.config import Settings
from kaitiaki.db import session_scope
from kaitiaki.models import User
from kaitiaki.people import queries as people_queries
from tests.conftest import TEST_SECRET_KEY
from tests.fixtures.mail import mail_sink  # noqa: F401 (a fixture)
from tests.fixtures.people import DEFAULT_PASSWORD, make_units, make_user
from tests.web.helpers import sign_in

CAST_ROLES: dict[str, list[str]] = {
    "admin": ["admin"],
    "comms": ["comms_staff"],
    "director": ["director_strategic_comms"],
    "elt_sge": ["elt_member@DPMC-SGE"],
    "elt_gh": ["elt_member@DPMC-GH"],
    "nema_ce": ["nema_chief_executive"],
    "nema_cm": ["nema_comms_manager"],
    "owner": ["staff"],
    "poster": ["staff"],
    "staff": ["staff"],
}
CAST_NAMES: dict[str, str] = {
    "admin": "Aroha Admin", "comms": "Hemi Comms", "director": "Mere Director",
    "elt_sge": "Tama Strategy", "elt_gh": "Kiri House", "nema_ce": "Rangi Chief",
    "nema_cm": "Ana Manager", "owner": "Olivia Owner", "poster": "Paora Poster",
    "staff": "Sam Staff",
}


def cast_email(name: str) -> str:
    return f"{name.replace('_', '.')}@cast.example.govt.nz"


@dataclass
class Cast:
    engine: Engine
    url: str
    emails: dict[str, str] = field(default_factory=dict)

    def user(self, session: Session, name: str) -> User:
        user = people_queries.get_user_by_email(session, self.emails[name])
        assert user is not None
        return user


# Per database URL: the rows the cast's creation left, so that later modules put them back
# instead of going through the services (and the audit log) again.
_cast_rows: dict[str, dict[str, list[dict]]] = {}


@pytest.fixture(scope="module")
def cast(_test_database) -> Iterator[Cast]:
    _test_database.delete_all_rows()
    engine = _test_database.engine
    if _test_database.url in _cast_rows:
        _test_database.insert_rows(_cast_rows[_test_database.url])
    else:
        with session_scope(engine) as session:
            make_units(session)
            for name, roles in CAST_ROLES.items():
                make_user(session, email=cast_email(name), name=CAST_NAMES[name], roles=roles)
        _cast_rows[_test_database.url] = _test_database.copy_rows()
    yield Cast(engine=engine, url=_test_database.url,
               emails={name: cast_email(name) for name in CAST_ROLES})
    _test_database.delete_all_rows()


@pytest.fixture
def db(cast: Cast) -> Iterator[Session]:
    """A session whose every change is rolled back after the test (services never commit)."""
    connection = cast.engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint",
                      expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def cast_settings(cast: Cast, tmp_path) -> Settings:
    return Settings(env="test", database_url=cast.url, var_dir=tmp_path / "var",
                    secret_key=TEST_SECRET_KEY)


@pytest.fixture
def work(db: Session, cast_settings: Settings) -> UnitOfWork:
    """The unit of work services take, on the test's rolled-back session."""
    return UnitOfWork(db, cast_settings)


@pytest.fixture
def signed_in(cast: Cast, cast_settings: Settings) -> Iterator:
    """`signed_in("comms")`: a client signed in as that member of the cast."""
    app = create_app(cast_settings)
    clients: list[TestClient] = []

    def client_for(name: str) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        client.__enter__()
        clients.append(client)
        assert sign_in(client, cast.emails[name], DEFAULT_PASSWORD).status_code == 303
        return client

    yield client_for
    for client in clients:
        client.__exit__(None, None, None)


__all__ = ["CAST_NAMES", "CAST_ROLES", "Cast", "cast_email", "mail_sink"]
