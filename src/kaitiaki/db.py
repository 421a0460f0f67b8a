"""Engine factory, units of work and programmatic migrations.

SQLite is the embedded default (WAL, foreign keys, busy timeout on every connection); PostgreSQL
is used through psycopg 3. A service never commits: whoever owns the unit of work does, through
`session_scope` (CLI commands, jobs) or the web request's session.

Write transactions on SQLite start with BEGIN IMMEDIATE (the SQLAlchemy pysqlite recipe: the
driver's own transaction handling is switched off and the engine's "begin" event emits BEGIN).
A deferred transaction that reads first and writes later cannot wait for the write lock: when
another writer committed in between, SQLite refuses it at once with "database is locked", and
its reads may already be stale. Taking the lock first makes every read in a write transaction
current and lets a second writer wait (busy timeout) instead of failing. Reads stay deferred, so
in WAL mode they never wait for a writer. Engines hide SQL parameters
from error messages: those hold names, email addresses and password and token hashes, and error
messages reach the log.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as SqlAlchemyTimeout
from sqlalchemy.orm import Session, sessionmaker

from kaitiaki.config import Settings
from kaitiaki.errors import AppError

if TYPE_CHECKING:
    from alembic.config import Config

SQLITE_BUSY_TIMEOUT_MS = 5000
# Connection execution option that asks SQLite for BEGIN IMMEDIATE (see write_bind).
BEGIN_MODE_OPTION = "kaitiaki_begin"
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


@dataclass(frozen=True)
class PoolLimits:
    """How many connections one process keeps and how long a request waits for one. Every
    worker process has its own pool: on PostgreSQL workers x (size + overflow) must stay below
    the server's max_connections."""

    size: int = 5
    overflow: int = 10
    timeout_seconds: float = 30.0


def make_engine(url: str, *, pool: PoolLimits | None = None,
                sqlite_busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
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
        in_memory = not database or database == ":memory:" or "mode=memory" in database
        pool = pool or PoolLimits()
        # An in-memory database lives in one connection; a file gets a pool like PostgreSQL's.
        options = {} if in_memory else dict(pool_size=pool.size, max_overflow=pool.overflow,
                                            pool_timeout=pool.timeout_seconds)
        engine = create_engine(parsed, hide_parameters=True, **options)
        event.listen(engine, "connect", partial(_set_sqlite_pragmas,
                                                busy_timeout_ms=sqlite_busy_timeout_ms))
        event.listen(engine, "begin", _begin_sqlite_transaction)
        return engine
    pool = pool or PoolLimits()
    return create_engine(parsed, pool_pre_ping=True, hide_parameters=True, pool_size=pool.size,
                         max_overflow=pool.overflow, pool_timeout=pool.timeout_seconds)


def engine_for(settings: Settings) -> Engine:
    """The engine a server process uses, with the pool limits and busy timeout configured."""
    return make_engine(
        settings.database_url,
        pool=PoolLimits(size=settings.db_pool_size, overflow=settings.db_pool_overflow,
                        timeout_seconds=settings.db_pool_timeout_seconds),
        sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms,
    )


def _set_sqlite_pragmas(dbapi_connection, _connection_record, *, busy_timeout_ms: int) -> None:
    # The driver must not open transactions itself: _begin_sqlite_transaction does.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _begin_sqlite_transaction(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(BEGIN_MODE_OPTION) == "immediate"
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def write_bind(engine: Engine) -> Engine:
    """The engine to bind a unit of work that will write: on SQLite its transactions start with
    BEGIN IMMEDIATE; elsewhere it is the engine itself (row locks do the work there)."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{BEGIN_MODE_OPTION: "immediate"})


def is_busy_error(error: BaseException) -> bool:
    """A database too busy to serve now (SQLite's lock wait ran out, or no pooled connection
    came free in time): the request may be retried shortly, unlike a real failure."""
    if isinstance(error, SqlAlchemyTimeout):
        return True
    if isinstance(error, OperationalError):
        message = str(error.orig or "").lower()
        return "database is locked" in message or "database is busy" in message
    return False


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


def make_sessionmaker(engine: Engine, *, write: bool = False) -> sessionmaker[Session]:
    return sessionmaker(bind=write_bind(engine) if write else engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """One unit of work: commits when the block succeeds, rolls back when it raises.
    `write=False` for a unit of work that only reads (on SQLite it then never waits for writers)."""
    session = make_sessionmaker(engine, write=write)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# Alembic is imported where migrations are run or compared, not with this module: a serving worker
# imports this module but never migrates, and Alembic (with Mako) is a tenth of its start-up.
def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

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
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def head_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def require_current_schema(engine: Engine) -> None:
    """Raise SchemaOutOfDate when the database has not been migrated to the latest revision."""
    if current_revisions(engine) != head_revisions():
        raise SchemaOutOfDate(
            "The database schema is not up to date; run `kaitiaki db upgrade` first."
        )


__all__ = [
    "BEGIN_MODE_OPTION",
    "DatabaseUnavailable",
    "PoolLimits",
    "SchemaOutOfDate",
    "check_connection",
    "current_revisions",
    "engine_for",
    "head_revisions",
    "is_busy_error",
    "make_engine",
    "make_sessionmaker",
    "migrate",
    "require_current_schema",
    "session_scope",
    "write_bind",
]
