"""`kaitiaki audit`: verify the hash chain and read the log."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from sqlalchemy import select

from kaitiaki.audit import queries
from kaitiaki.audit import service as audit_service
from kaitiaki.cli.common import command_session
from kaitiaki.models import AuditEvent

audit_app = typer.Typer(help="The append-only audit log.", no_args_is_help=True)


@audit_app.command("verify")
def verify(
    expect_head: Annotated[
        str | None,
        typer.Option(
            help="A head hash printed by an earlier run; fails if that event is no longer in the "
            "log (detects removal of the most recent events)."
        ),
    ] = None,
) -> None:
    """Check the audit chain. Exit 0 when it holds; 1 naming the first broken event."""
    with command_session(write=False) as session:
        report = audit_service.verify(session)
        earlier_head = (
            session.scalars(select(AuditEvent.id).where(AuditEvent.hash == expect_head)).first()
            if expect_head
            else None
        )
    if report.ok and expect_head and earlier_head is None:
        typer.echo(
            f"Audit chain holds but the earlier head {expect_head} is not in it: the most recent "
            "events were removed or replaced.",
            err=True,
        )
        raise typer.Exit(1)
    if report.ok:
        head = f"; head hash {report.head_hash}" if report.head_hash else ""
        typer.echo(f"Audit chain holds: {report.checked} events checked{head}.")
        return
    typer.echo(
        f"Audit chain broken at event {report.first_broken_id}: {report.reason} "
        f"({report.checked} events before it hold).",
        err=True,
    )
    raise typer.Exit(1)


@audit_app.command("list")
def list_events(
    actor: Annotated[str | None, typer.Option(help="Only events by this actor.")] = None,
    action: Annotated[
        str | None, typer.Option(help="Only actions starting with this, e.g. user.")
    ] = None,
    subject: Annotated[str | None, typer.Option(help="Only this subject, e.g. user:3.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=queries.MAX_PAGE_SIZE)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """Show the most recent audit events, newest first."""
    with command_session(write=False) as session:
        events = queries.list_events(
            session, actor=actor, action_prefix=action, subject=subject, limit=limit
        )
    for event in events:
        if as_json:
            typer.echo(json.dumps({
                "id": event.id, "at": event.at.isoformat(), "actor": event.actor,
                "action": event.action, "subject": event.subject, "details": event.details,
                "prev_hash": event.prev_hash, "hash": event.hash,
            }, ensure_ascii=False))
        else:
            typer.echo(f"{event.id:>6}  {event.at.isoformat(timespec='seconds')}  {event.actor}  "
                       f"{event.action}  {event.subject}  {json.dumps(event.details)}")
