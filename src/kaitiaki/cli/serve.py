"""`kaitiaki serve`: the web interface on the configured (or given) address."""

from __future__ import annotations

import importlib.machinery
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
import uvicorn

from kaitiaki.app import create_app
from kaitiaki.cli.common import connected_engine, load_settings, reported_errors
from kaitiaki.db import make_engine
from kaitiaki.jobs.runner import JobRunner, uses_sqlite

WORKER_HEALTHCHECK_SECONDS = 60
# What each worker imports: the application factory, imported with the garbage collector paused.
WORKER_APP = "kaitiaki.serving:create_app"


@contextmanager
def workers_skip_the_cli() -> Iterator[None]:
    """While uvicorn runs its workers, they import the application factory and not the CLI.

    uvicorn starts each worker with multiprocessing's "spawn": a fresh interpreter that first runs
    the parent's `__main__` module again. Here that is the `kaitiaki` console script, which imports
    the whole command line (Typer, Rich, every command) before the worker imports the
    application. Spawn leaves a `__main__` that is a package's `__main__` module alone, so a
    stand-in named as one takes the script's place for as long as workers may be (re)started."""
    script = sys.modules["__main__"]
    stand_in = types.ModuleType("__main__")
    stand_in.__spec__ = importlib.machinery.ModuleSpec("kaitiaki.cli.__main__", None)
    sys.modules["__main__"] = stand_in
    try:
        yield
    finally:
        sys.modules["__main__"] = script


def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default: KAITIAKI_HOST, 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="Port to listen on (default: KAITIAKI_PORT, 8000)."),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(min=1, max=64, help="Worker processes (each builds its own app from KAITIAKI_* settings)."),
    ] = 1,
) -> None:
    """Serve the web interface. The database must be reachable and migrated (`kaitiaki db upgrade`)."""
    settings = load_settings()
    updates = {key: value for key, value in {"host": host, "port": port}.items() if value is not None}
    settings = settings.model_copy(update=updates)
    # Fail before listening: an unreachable or unmigrated database gives one clear line, not 500s.
    with connected_engine(settings):
        pass
    with reported_errors():
        app = create_app(settings)
    typer.echo(f"Kaitiaki is running at http://{settings.host}:{settings.port}/ (Ctrl+C stops it).")
    # On the embedded default the background jobs run here, so `make run` needs nothing else; on
    # PostgreSQL `kaitiaki worker` runs them.
    jobs_engine = make_engine(settings.database_url)
    jobs = JobRunner(settings, jobs_engine) if settings.jobs_in_process and uses_sqlite(settings) else None
    if jobs is not None:
        jobs.start_in_background()
        typer.echo("Background jobs run in this process (KAITIAKI_JOBS_IN_PROCESS).")
    try:
        if workers == 1:
            uvicorn.run(app, host=settings.host, port=settings.port, log_level="info",
                        access_log=settings.access_log)
            return
        # Several processes cannot share one app object: each worker imports the factory and reads
        # the same KAITIAKI_* environment this process was given. A worker imports the application
        # and loads the policy pack before it answers (seconds on a busy two-core machine);
        # uvicorn's default 5 s before it declares a silent worker dead would kill workers that
        # are starting.
        with workers_skip_the_cli():
            uvicorn.run(WORKER_APP, factory=True, workers=workers, host=settings.host,
                        port=settings.port, log_level="info", access_log=settings.access_log,
                        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS)
    finally:
        if jobs is not None:
            jobs.stop()
        jobs_engine.dispose()
