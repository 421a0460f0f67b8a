from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, select

from kaitiaki.db import (
    DatabaseUnavailable,
    SchemaOutOfDate,
    check_connection,
    head_revisions,
    current_revisions,
    make_engine,
    migrate,
    require_current_schema,
    session_scope,
)
from kaitiaki.models import OrgUnit, User


def test_migrations_create_the_foundation_tables(engine):
    tables = set(inspect(engine).get_table_names())
    assert {"org_units", "users", "role_assignments", "audit_events", "login_attempts"} <= tables
    assert current_revisions(engine) == head_revisions()
    require_current_schema(engine)


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/nested/dir/k.db")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    assert (tmp_path / "nested" / "dir" / "k.db").exists()
    engine.dispose()


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(Exception):
        with session_scope(engine) as session:
            session.add(OrgUnit(code="X", name="X", kind="business_unit", parent_id=999))


def test_session_scope_commits_on_success_and_rolls_back_on_error(engine):
    with session_scope(engine) as session:
        session.add(OrgUnit(code="KEEP", name="Kept", kind="agency"))
    with pytest.raises(RuntimeError):
        with session_scope(engine) as session:
            session.add(OrgUnit(code="DROP", name="Dropped", kind="agency"))
            session.flush()
            raise RuntimeError("boom")
    with session_scope(engine) as session:
        codes = set(session.scalars(select(OrgUnit.code)))
    assert codes == {"KEEP"}


def test_datetimes_come_back_as_aware_utc(session):
    plus_twelve = timezone(timedelta(hours=12))
    local = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=plus_twelve)
    user = User(email="t@example.govt.nz", name="T", password_hash="x", created_at=local)
    session.add(user)
    session.flush()
    session.expire_all()
    stored = session.scalars(select(User)).one()
    assert stored.created_at.tzinfo is not None
    assert stored.created_at.utcoffset() == timedelta(0)
    assert stored.created_at == datetime(2026, 2, 28, 21, 30, 15, 123456, tzinfo=UTC)


def test_naive_datetimes_are_refused(session):
    session.add(User(email="n@example.govt.nz", name="N", password_hash="x",
                     created_at=datetime(2026, 1, 1)))
    with pytest.raises(Exception, match="naive datetime"):
        session.flush()


def test_unreachable_database_names_the_url_with_the_password_masked():
    engine = make_engine("postgresql+psycopg://kaitiaki:s3cret-pw@127.0.0.1:1/kaitiaki")
    with pytest.raises(DatabaseUnavailable) as caught:
        check_connection(engine)
    message = caught.value.detail
    assert "s3cret-pw" not in message
    assert "postgresql+psycopg://kaitiaki:***@127.0.0.1:1/kaitiaki" in message
    assert "\n" not in message


def test_unmigrated_database_is_reported(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/empty.db")
    with pytest.raises(SchemaOutOfDate, match="kaitiaki db upgrade"):
        require_current_schema(engine)
    migrate(engine)
    require_current_schema(engine)
    engine.dispose()


def test_migrate_accepts_a_url(tmp_path):
    url = f"sqlite:///{tmp_path}/by-url.db"
    migrate(url)
    engine = make_engine(url)
    assert "users" in inspect(engine).get_table_names()
    engine.dispose()


def test_sqlite_file_in_a_folder_that_cannot_be_created_is_reported(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(DatabaseUnavailable, match="Cannot reach the database at sqlite:///"):
        make_engine(f"sqlite:///{blocker}/sub/k.db")
