"""Background jobs: outbox delivery, reminders and retention, on a schedule.

Kaitiaki's own code knows only `kaitiaki.jobs.periodic` (what runs and how often) and
`kaitiaki.jobs.runner` (running them); the queue library, huey, stays behind the runner. On the
embedded SQLite default its queue is a SQLite file beside the database and `kaitiaki serve` runs
the jobs in its own process; on PostgreSQL the queue is a few `huey_*` tables in the same database
and `kaitiaki worker` runs them, on as many machines as wanted (docs/operations.md).
"""
