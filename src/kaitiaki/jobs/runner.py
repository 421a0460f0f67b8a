"""Running the periodic jobs with huey (MIT; a small, long-kept task queue with periodic tasks,
SQLite and PostgreSQL storage and thread workers; docs/operations.md says why it was chosen).

`JobRunner(settings, engine)` registers every job of kaitiaki.jobs.periodic on a huey instance
whose queue lives where the database does: a SQLite file `<var_dir>/jobs.db` beside the embedded
database, or `huey_*` tables in the PostgreSQL database (several workers share them, each task is
taken by one). `run_forever` is `kaitiaki worker`; `start_in_background` is `kaitiaki serve` on
SQLite, with threads and no signal handlers of its own (the web server keeps those).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from huey import Huey, PostgresHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from kaitiaki.config import Settings
from kaitiaki.jobs.periodic import PERIODIC_JOBS, Clock, PeriodicJob
from kaitiaki.timeutil import utcnow

log = logging.getLogger(__name__)

QUEUE_NAME = "kaitiaki"
JOBS_FILE = "jobs.db"


def uses_sqlite(settings: Settings) -> bool:
    return make_url(settings.database_url).get_backend_name() == "sqlite"


def make_huey(settings: Settings) -> Huey:
    if uses_sqlite(settings):
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(QUEUE_NAME, filename=str(settings.var_dir / JOBS_FILE), results=False)
    dsn = make_url(settings.database_url).set(drivername="postgresql")
    return PostgresHuey(QUEUE_NAME, dsn=dsn.render_as_string(hide_password=False), results=False)


class _QuietConsumer(Consumer):
    """A consumer inside another server: that server owns the process's signals."""

    def _set_signal_handlers(self) -> None:
        return None


class JobRunner:
    def __init__(self, settings: Settings, engine: Engine, *, clock: Clock = utcnow) -> None:
        self.huey = make_huey(settings)
        self.tasks = {job.name: self._register(job, engine, settings, clock) for job in PERIODIC_JOBS}
        self._consumer: Consumer | None = None

    def _register(self, job: PeriodicJob, engine: Engine, settings: Settings, clock: Clock) -> Callable:
        def run() -> None:
            log.info("Job %s: %s", job.name, job.run(engine, settings, clock))

        schedule = crontab(minute="*" if job.every_minutes == 1 else f"*/{job.every_minutes}")
        return self.huey.periodic_task(schedule, name=job.name)(run)

    def enqueue(self, name: str) -> None:
        """Queue one run of the named job now (any worker takes it)."""
        self.tasks[name]()

    def run_forever(self, *, threads: int = 1, periodic: bool = True) -> None:
        """`kaitiaki worker`: run queued and scheduled jobs until interrupted (Ctrl+C, SIGTERM)."""
        self.huey.create_consumer(workers=threads, periodic=periodic, worker_type="thread").run()

    def start_in_background(self) -> None:
        self._consumer = _QuietConsumer(self.huey, workers=1, periodic=True, worker_type="thread")
        self._consumer.start()

    def stop(self) -> None:
        if self._consumer is not None:
            self._consumer.stop(graceful=True)
            self._consumer = None


__all__ = ["JOBS_FILE", "JobRunner", "make_huey", "uses_sqlite"]
