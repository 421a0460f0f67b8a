"""Engine factory, units of work and programmatic migrations.

SQLite is the embedded default (WAL, foreign keys, busy timeout on every connection); PostgreSQL
is used through psycopg 3. A service never commits: whoever owns the unit of work does, through
`session_scope` (CLI commands, jobs) or the web request's session. Engines hide SQL parameters
from error messages: those hold names, email addresses and password and token hashes, and error
messages reach the log.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kaitiaki.errors import AppError

SQLITE_BUSY_TIMEOUT_MS = 5000
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseUnavailable(AppError):
    """The database cannot be reached. Carries the URL with its password masked."""

    status_code = 503
    code = "database_unavailable"

    def __init__(self, masked_url: str, reason: str = ""):
        detail = f"Cannot reach the database at {masked_url}"
        if reason:
            detail += f": {reason}"
        super().__init__(detail)
        self.masked_url = masked_url


class SchemaOutOfDate(AppError):
    status_code = 503
    code = "schema_out_of_date"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(
                    parsed.render_as_string(hide_password=True), exc.strerror or str(exc)
                ) from exc
        engine = create_engine(parsed, hide_parameters=True)
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    return create_engine(parsed, pool_pre_ping=True, hide_parameters=True)


def _set_sqlite_pragmas(dbapi_connection, _connection_record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def check_connection(engine: Engine) -> None:
    """Raise DatabaseUnavailable (one line, password masked) unless a trivial query succeeds."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (OperationalError, DBAPIError) as exc:
        raise DatabaseUnavailable(engine.url.render_as_string(hide_password=True),
                                  _first_line(exc.orig)) from exc


def _first_line(error: BaseException | None) -> str:
    message = str(error or "").strip()
    return message.splitlines()[0] if message else ""


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commits when the block succeeds, rolls back when it raises."""
    session = make_sessionmaker(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # ConfigParser treats % as interpolation; URLs may contain %-escapes.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(engine_or_url: Engine | str, revision: str = "head") -> None:
    """Bring the schema up to `revision` (Alembic upgrade) on the given engine or URL."""
    if isinstance(engine_or_url, str):
        engine = make_engine(engine_or_url)
        try:
            _upgrade(engine, revision)
        finally:
            engine.dispose()
    else:
        _upgrade(engine_or_url, revision)


def _upgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def require_current_schema(engine: Engine) -> None:
    """Raise SchemaOutOfDate when the database has not been migrated to the latest revision."""
    if current_revisions(engine) != head_revisions():
        raise SchemaOutOfDate(
            "The database schema is not up to date; run `kaitiaki db upgrade` first."
        )


__all__ = [
    "DatabaseUnavailable",
    "SchemaOutOfDate",
    "check_connection",
    "current_revisions",
    "head_revisions",
    "make_engine",
    "make_sessionmaker",
    "migrate",
    "require_current_schema",
    "session_scope",
]
