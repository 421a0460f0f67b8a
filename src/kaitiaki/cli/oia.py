"""`kaitiaki oia`: Official Information Act requests: due dates, logging, extensions, closing and
the redacted export of records.

Changes name the person making them with `--as EMAIL` (a records officer) and run with that
person's permissions, as on the web. The requester's details are never printed in lists.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from sqlalchemy.orm import Session

from kaitiaki.checker import load_pack
from kaitiaki.cli.common import command_session, load_settings, reported_errors
from kaitiaki.complaints.queries import local_today
from kaitiaki.errors import NotFound
from kaitiaki.models import User
from kaitiaki.oia import queries, service
from kaitiaki.oia.due import DECISION_WORKING_DAYS, due_date, parse_received, why_not_working
from kaitiaki.oia.export import build_export
from kaitiaki.oia.scope import RECORD_KINDS, parse_scope
from kaitiaki.oia.transitions import STATE_LABELS
from kaitiaki.people import queries as people_queries
from kaitiaki.register import queries as register_queries

oia_app = typer.Typer(help="Official Information Act requests: due dates, requests and "
                           "redacted exports.", no_args_is_help=True)

AsOption = Annotated[str, typer.Option("--as", help="Email address of the records officer acting.")]


def _person(session: Session, email: str) -> User:
    person = people_queries.get_user_by_email(session, email)
    if person is None:
        raise NotFound(f"Nobody with the email address {email.strip().lower()} has an account.")
    return person


@oia_app.command("due")
def due(
    received: Annotated[str, typer.Argument(help="The day the request was received, YYYY-MM-DD.")],
    days: Annotated[int, typer.Option("--days", help="Working days after the day received.")]
    = DECISION_WORKING_DAYS,
) -> None:
    """Print the due date: the N-th working day after the day received (20 by default)."""
    settings = load_settings()
    with reported_errors():
        today = local_today(settings.zone)
        day = parse_received(received, today, field="received", allow_future=True)
        result = due_date(day, days)
    typer.echo(result.isoformat())
    if day > today:
        typer.echo(f"({day.isoformat()} is still to come: this is the due date for a request "
                   "received that day.)", err=True)
    reason = why_not_working(day)
    if reason:
        typer.echo(f"({day.isoformat()} is not a working day: {reason}; counting starts after it.)",
                   err=True)


@oia_app.command("add")
def add(
    received: Annotated[str, typer.Option("--received", help="Day received, YYYY-MM-DD.")],
    summary: Annotated[str, typer.Option("--summary", help="What was requested.")],
    acting: AsOption,
    name: Annotated[str, typer.Option("--requester-name", help="The requester's name.")] = "",
    email: Annotated[str, typer.Option("--requester-email", help="Where the reply goes.")] = "",
    address: Annotated[str, typer.Option("--requester-address", help="Postal address.")] = "",
) -> None:
    """Log a request; prints its reference and due date."""
    settings = load_settings()
    with command_session(settings) as session:
        request = service.log_request(
            session, user=_person(session, acting), today=local_today(settings.zone),
            draft=service.RequestDraft(received_on=received, summary=summary, requester_name=name,
                                       requester_email=email, requester_address=address))
        typer.echo(f"{request.reference} received {request.received_on.isoformat()}, "
                   f"due {request.due_on.isoformat()}")


@oia_app.command("list")
def list_requests(
    acting: AsOption,
    state: Annotated[str, typer.Option("--state", help="A state, or 'open'.")] = "",
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue requests.")] = False,
) -> None:
    """List requests, newest first, with their due dates and overdue flags."""
    settings = load_settings()
    with command_session(settings) as session:
        from_user = _person(session, acting)
        service.permissions.require_records_officer(session, from_user)
        today = local_today(settings.zone)
        rows = queries.list_requests(session, state=state, overdue_only=overdue, today=today)
        lines = [f"{r.reference:<18} {STATE_LABELS[r.state]:<16} received {r.received_on.isoformat()} "
                 f"due {r.due_on.isoformat()}" + ("  [OVERDUE]" if queries.is_overdue(r, today) else "")
                 for r in rows]
    typer.echo("\n".join(lines) if lines else "No requests match.")


@oia_app.command("extend")
def extend(
    reference: str,
    reason: Annotated[str, typer.Option("--reason", help="large_quantity or consultation.")],
    note: Annotated[str, typer.Option("--note", help="How long is needed and why.")],
    acting: AsOption,
    new_due: Annotated[str, typer.Option("--to", help="The new due date, YYYY-MM-DD.")] = "",
    days: Annotated[int | None, typer.Option("--days", help="Or: extra working days.")] = None,
) -> None:
    """Extend a request's time limit (s15A), once, within the original limit."""
    settings = load_settings()
    with command_session(settings) as session:
        request = service.extend(session, user=_person(session, acting), reference=reference,
                                 reason=reason, note=note, new_due_on=new_due, extra_days=days,
                                 today=local_today(settings.zone))
        typer.echo(f"{request.reference} now due {request.due_on.isoformat()}")


@oia_app.command("close")
def close(
    reference: str,
    action: Annotated[str, typer.Option("--action", help="respond, transfer or withdraw.")],
    acting: AsOption,
    note: Annotated[str, typer.Option("--note", help="A note for the record.")] = "",
) -> None:
    """Record the response sent, a transfer or a withdrawal."""
    settings = load_settings()
    with command_session(settings) as session:
        request = service.close(session, user=_person(session, acting), reference=reference,
                                action=action, note=note, today=local_today(settings.zone))
        typer.echo(f"{request.reference} is {STATE_LABELS[request.state].lower()}")


@oia_app.command("export")
def export(
    reference: str,
    first: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    last: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD (included).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The ZIP file to write.")],
    acting: AsOption,
    kinds: Annotated[list[str] | None, typer.Option(
        "--kind", help=f"Repeat for each: {', '.join(RECORD_KINDS)} (default: all).")] = None,
    handles: Annotated[list[str] | None, typer.Option(
        "--channel", help="A channel's handle; repeat for more (default: every channel).")] = None,
) -> None:
    """Build the redacted export (ZIP of CSV files, HTML summary, schedule of withholdings)."""
    settings = load_settings()
    with command_session(settings) as session:
        channel_ids: list[int] = []
        for handle in handles or []:
            found = register_queries.channels_with_handle(session, handle)
            if not found:
                raise NotFound(f"No channel with the handle {handle}.")
            channel_ids.extend(channel.id for channel in found)
        scope = parse_scope(first, last, channel_ids, kinds or list(RECORD_KINDS))
        request = service.require_request(session, reference)
        with Progress(transient=True, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task("Collecting records", total=len(scope.kinds))
            result = build_export(
                session, user=_person(session, acting), request=request, scope=scope,
                meta=load_pack(settings.policy_pack).meta, zone=settings.zone,
                progress=lambda label, done, _total: bar.update(task, completed=done,
                                                                description=label))
        output.write_bytes(result.content)
    rows = sum(result.counts.values())
    what = "nothing in scope: the export says so" if result.empty else f"{rows} records"
    typer.echo(f"Wrote {output}: {what}; {result.withheld} items withheld under s9(2)(a).")


__all__ = ["oia_app"]
