"""`kaitiaki serve`: the web interface on the configured (or given) address."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
import uvicorn

from kaitiaki.app import create_app, make_ready
from kaitiaki.cli.common import connected_engine, load_settings, reported_errors
from kaitiaki.config import Settings
from kaitiaki.db import make_engine
from kaitiaki.jobs.runner import JobRunner, uses_sqlite

JOBS_STOP_SECONDS = 30


@contextmanager
def jobs_beside(settings: Settings, workers: int) -> Iterator[None]:
    """On the embedded default the background jobs run beside the web server, so `make run` needs
    nothing else; on PostgreSQL `kaitiaki worker` runs them.

    With one worker they run in a thread of this process. With several they run in a
    `kaitiaki worker` process of their own: the workers are forks of this process, and a process
    that forks must not have other threads (one holding a lock at the moment of the fork would leave
    that lock held for ever in the worker)."""
    if not (settings.jobs_in_process and uses_sqlite(settings)):
        yield
        return
    typer.echo("Background jobs run beside the web server (KAITIAKI_JOBS_IN_PROCESS).")
    if workers == 1:
        engine = make_engine(settings.database_url)
        jobs = JobRunner(settings, engine)
        jobs.start_in_background()
        try:
            yield
        finally:
            jobs.stop()
            engine.dispose()
        return
    jobs_process = subprocess.Popen([sys.executable, "-m", "kaitiaki.cli", "worker"])
    try:
        yield
    finally:
        jobs_process.terminate()
        try:
            jobs_process.wait(timeout=JOBS_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            jobs_process.kill()
            jobs_process.wait()


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
        typer.Option(min=1, max=64, help="Worker processes, forked from this one once the application is loaded."),
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
        if workers > 1:
            # Loaded once here, then shared by every worker forked from this process.
            make_ready(app)
    typer.echo(f"Kaitiaki is running at http://{settings.host}:{settings.port}/ (Ctrl+C stops it).")
    with jobs_beside(settings, workers):
        if workers == 1:
            uvicorn.run(app, host=settings.host, port=settings.port, log_level="info",
                        access_log=settings.access_log)
        else:
            # gunicorn is imported only when several workers are asked for.
            from kaitiaki.web.preforked import PreforkedServer

            PreforkedServer(app, settings, workers).run()
