"""`kaitiaki worker` (the background jobs), `kaitiaki outbox` (messages waiting or given up) and
`kaitiaki retention` (dispose of comments past their retention, or report what would go)."""

from __future__ import annotations

import json
import logging
from typing import Annotated

import typer

from kaitiaki.cli.common import cli_actor, command_session, connected_engine, load_settings, reported_errors
from kaitiaki.jobs.periodic import run_all_once
from kaitiaki.jobs.runner import JobRunner
from kaitiaki.moderation.retention import dispose
from kaitiaki.notify import outbox
from kaitiaki.timeutil import utcnow

outbox_app = typer.Typer(help="Messages in the outbox: list those waiting or dead, retry one.",
                         no_args_is_help=True)
retention_app = typer.Typer(help="Dispose of records past their retention.", no_args_is_help=True)


def worker(
    threads: Annotated[int, typer.Option(min=1, max=32, help="Jobs run at once in this process.")] = 1,
    no_periodic: Annotated[bool, typer.Option(
        "--no-periodic", help="Take queued jobs only; another worker schedules the periodic ones.")] = False,
    once: Annotated[bool, typer.Option(
        "--once", help="Run every periodic job once now and exit (for cron or a check).")] = False,
) -> None:
    """Run the background jobs: deliver the outbox, send reminders, apply retention. Run one or
    more on PostgreSQL; on SQLite `kaitiaki serve` runs them unless KAITIAKI_JOBS_IN_PROCESS=false."""
    settings = load_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    with connected_engine(settings) as engine, reported_errors():
        if once:
            for name, outcome in run_all_once(engine, settings).items():
                typer.echo(f"{name}: {outcome}")
            return
        typer.echo("Kaitiaki worker running (Ctrl+C stops it).")
        JobRunner(settings, engine).run_forever(threads=threads, periodic=not no_periodic)


@outbox_app.command("list")
def list_outbox(
    state: Annotated[list[str] | None, typer.Option(
        "--state", help="pending, dead or sent; repeat for several (default: dead and pending).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """List messages that wait for delivery or were given up, with the last reason."""
    states = tuple(state or ("dead", "pending"))
    with command_session() as session:
        rows = [{"id": m.id, "state": m.state, "kind": m.kind, "to": m.recipients,
                 "subject": m.subject, "attempts": m.attempts,
                 "next_attempt_at": m.next_attempt_at.isoformat(), "last_error": m.last_error}
                for m in outbox.list_messages(session, states)]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
    elif not rows:
        typer.echo(f"No {' or '.join(states)} messages.")
    else:
        for r in rows:
            typer.echo(f"{r['id']:>6}  {r['state']:<8} {r['attempts']:>2} tries  {r['to']}  "
                       f"{r['subject']}" + (f"\n        last error: {r['last_error']}" if r["last_error"] else ""))


@outbox_app.command("retry")
def retry_outbox(message_id: Annotated[int, typer.Argument(help="The message's number.")]) -> None:
    """Send a dead or waiting email again now (a worker or the web server delivers it)."""
    with command_session() as session, reported_errors():
        message = outbox.retry(session, message_id)
        typer.echo(f"Message {message.id} to {message.recipients} will be sent again.")


@retention_app.command("run")
def run_retention(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would be disposed of; change nothing.")] = False,
) -> None:
    """Dispose of the words and authors of comments past their retain-until date (an audit event
    lists them); with --dry-run, list them only."""
    with command_session() as session, reported_errors():
        report = dispose(session, now=utcnow(), dry_run=dry_run, actor=cli_actor())
    verb = "would be disposed of" if dry_run else "disposed of"
    typer.echo(f"{report.count} comment{'s' if report.count != 1 else ''} {verb}"
               + (f": {', '.join(f'#{i}' for i in report.comment_ids)}" if report.comment_ids else "."))


__all__ = ["outbox_app", "retention_app", "worker"]
