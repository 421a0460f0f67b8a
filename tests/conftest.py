"""Shared fixtures: every database test runs on SQLite and, when KAITIAKI_TEST_DATABASE_URL is set
(CI sets it), again on PostgreSQL. The schema is built by running the Alembic migrations.

For PostgreSQL the fixture creates a uniquely named database from the given URL and drops it at the
end, so parallel runs (pytest-xdist workers, several checkouts) never collide.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, Table, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from kaitiaki.config import Settings
from kaitiaki.db import make_engine, make_sessionmaker, migrate
from kaitiaki.models import Base
from kaitiaki.people.passwords import configure_hashing

TEST_DATABASE_URL_VARIABLE = "KAITIAKI_TEST_DATABASE_URL"
TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"
REPO_ROOT = Path(__file__).resolve().parents[1]

# Set before any Settings is built, so every app, command and subprocess of the tests sees them:
# a near-minimal Argon2id cost (the production default is tested once, in tests/people), and one
# pack cache for every run and worker (it is keyed by file contents, so sharing it is safe).
TEST_ENVIRONMENT = {
    "KAITIAKI_PASSWORD_HASH_TIME_COST": "2",
    "KAITIAKI_PASSWORD_HASH_MEMORY_KIB": "8",
    "KAITIAKI_PASSWORD_HASH_PARALLELISM": "1",
    "KAITIAKI_CACHE_DIR": str(REPO_ROOT / ".pytest_cache" / "kaitiaki"),
}
for _name, _value in TEST_ENVIRONMENT.items():
    os.environ.setdefault(_name, _value)
configure_hashing(Settings())


def _database_params() -> list:
    params: list = [pytest.param("sqlite", id="sqlite")]
    # In CI the PostgreSQL run must happen: include the param so that a missing URL fails loudly.
    if os.environ.get(TEST_DATABASE_URL_VARIABLE) or os.environ.get("CI"):
        params.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres))
    return params


@dataclass
class TestDatabase:
    url: str
    engine: Engine
    tables: list[Table] = field(default_factory=list)

    def delete_all_rows(self) -> None:
        """Empty every table (children first) so the next test starts from a migrated, empty DB."""
        with self.engine.begin() as connection:
            for table in reversed(self.tables):
                connection.execute(table.delete())

    def copy_rows(self) -> dict[str, list[dict]]:
        """Every row of every table, read through the models' column types, for `insert_rows`."""
        with self.engine.connect() as connection:
            return {table.name: [dict(row._mapping) for row in connection.execute(table.select())]
                    for table in self._model_tables()}

    def insert_rows(self, rows: dict[str, list[dict]]) -> None:
        """Put rows from `copy_rows` back (parents first) into the emptied tables. Ids are kept:
        sequences and SQLite's row ids have moved past them, so new rows never collide."""
        with self.engine.begin() as connection:
            for table in self._model_tables():
                if rows.get(table.name):
                    connection.execute(table.insert(), rows[table.name])

    def _model_tables(self) -> list[Table]:
        return [Base.metadata.tables[table.name] for table in self.tables]


def _reflect_tables(engine: Engine) -> list[Table]:
    metadata = MetaData()
    metadata.reflect(bind=engine)
    return [table for table in metadata.sorted_tables if table.name != "alembic_version"]


class WorkerDatabases:
    """The migrated test databases of one worker, one per backend, built on first use and kept
    until the end of the run.

    `_test_database` is parametrized per backend, and pytest tears a parametrized session fixture
    down each time the next test wants the other parameter: with tests ordered file by file
    (`--dist loadfile`) that happened for nearly every file, and each time a database was created
    and migrated again. Holding the databases here makes that teardown free.
    """

    def __init__(self, tmp_path_factory: pytest.TempPathFactory):
        self._tmp_path_factory = tmp_path_factory
        self._databases: dict[str, TestDatabase] = {}
        self._owned = ExitStack()

    def get(self, backend: str) -> TestDatabase:
        if backend not in self._databases:
            self._databases[backend] = self._owned.enter_context(self._build(backend))
        return self._databases[backend]

    def _build(self, backend: str) -> AbstractContextManager[TestDatabase]:
        if backend == "sqlite":
            path = self._tmp_path_factory.mktemp("db") / "kaitiaki-test.db"
            return _migrated(f"sqlite:///{path}")
        base_url = os.environ.get(TEST_DATABASE_URL_VARIABLE)
        if not base_url:
            pytest.fail(
                f"CI is set but {TEST_DATABASE_URL_VARIABLE} is not: the PostgreSQL run must happen"
            )
        return _fresh_postgres_database(base_url)

    def close(self) -> None:
        self._owned.close()


@pytest.fixture(scope="session")
def _worker_databases(tmp_path_factory) -> Iterator[WorkerDatabases]:
    databases = WorkerDatabases(tmp_path_factory)
    yield databases
    databases.close()


@pytest.fixture(scope="session", params=_database_params())
def _test_database(request, _worker_databases: WorkerDatabases) -> TestDatabase:
    return _worker_databases.get(request.param)


@contextmanager
def _migrated(url: str) -> Iterator[TestDatabase]:
    engine = make_engine(url)
    try:
        migrate(engine)
        yield TestDatabase(url=url, engine=engine, tables=_reflect_tables(engine))
    finally:
        engine.dispose()


@contextmanager
def _fresh_postgres_database(base_url: str) -> Iterator[TestDatabase]:
    name = f"kaitiaki_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
        with _migrated(url) as database:
            yield database
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db_url(_test_database: TestDatabase) -> Iterator[str]:
    """URL of a migrated, empty test database; emptied again after the test."""
    yield _test_database.url
    _test_database.delete_all_rows()


@pytest.fixture
def engine(db_url: str, _test_database: TestDatabase) -> Engine:
    return _test_database.engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A Session on the test database; whatever the test left uncommitted is rolled back."""
    session = make_sessionmaker(engine)()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        env="test",
        database_url=db_url,
        var_dir=tmp_path / "var",
        secret_key=TEST_SECRET_KEY,
    )
