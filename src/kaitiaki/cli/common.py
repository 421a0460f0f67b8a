"""What every command shares: settings, a unit of work on the configured database, and turning
errors into one clear line on stderr with exit code 2."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kaitiaki.common.work import UnitOfWork
from kaitiaki.config import Settings, mask_url
from kaitiaki.db import check_connection, make_engine, require_current_schema, session_scope
from kaitiaki.errors import AppError
from kaitiaki.notify.delivery import deliver_due
from kaitiaki.people.passwords import configure_hashing

EXIT_BAD_INPUT = 2


def fail(message: str) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def load_settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"KAITIAKI_{str(error['loc'][0]).upper()}: {error['msg']}" for error in exc.errors()
        )
        fail(f"Invalid setting: {problems}")
    configure_hashing(settings)
    return settings


def cli_actor() -> str:
    """Audit actor for changes made from the command line: the operating-system account."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@contextmanager
def reported_errors() -> Iterator[None]:
    """Show AppError and database failures as one line on stderr and exit with code 2."""
    try:
        yield
    except AppError as exc:
        fail(exc.detail)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        fail(f"Database error: {reason[0] if reason else type(exc).__name__}")


@contextmanager
def connected_engine(settings: Settings, *, require_schema: bool = True) -> Iterator[Engine]:
    with reported_errors():
        engine = make_engine(settings.database_url)
        try:
            check_connection(engine)
            if require_schema:
                require_current_schema(engine)
            yield engine
        finally:
            engine.dispose()


@contextmanager
def command_session(settings: Settings | None = None, *, write: bool = True) -> Iterator[Session]:
    """A committed-on-success unit of work on the configured, migrated database. `write=False`
    for a command that only reads: on SQLite it then never holds up the web server's writers."""
    settings = settings or load_settings()
    with connected_engine(settings) as engine, session_scope(engine, write=write) as session:
        yield session


@contextmanager
def command_work(settings: Settings | None = None, *, write: bool = True) -> Iterator[UnitOfWork]:
    """A command's unit of work (kaitiaki.common.work): committed on success, and the emails it
    queued tried at once after the commit (a worker delivers whatever this does not)."""
    settings = settings or load_settings()
    with command_session(settings, write=write) as session:
        work = UnitOfWork(session, settings)
        yield work
    if work.outbox.written:
        deliver_outbox(settings)


def deliver_outbox(settings: Settings) -> None:
    """After a command's commit, try to deliver the emails it wrote to the outbox at once; a
    worker delivers whatever this does not (a mail server that is down, say)."""
    with connected_engine(settings) as engine:
        deliver_due(engine, settings)


def read_password_line() -> str:
    """One line from stdin, without its line ending (the rest of the line is the password)."""
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        fail("No password on stdin: pipe one line holding the password.")
    return password


__all__ = [
    "EXIT_BAD_INPUT",
    "cli_actor",
    "command_session",
    "command_work",
    "connected_engine",
    "deliver_outbox",
    "fail",
    "load_settings",
    "mask_url",
    "read_password_line",
    "reported_errors",
]
