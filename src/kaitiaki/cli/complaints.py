"""`kaitiaki complaints`: list and show complaints, record one received by email or direct
message, and move one through its workflow.

Changes name the person making them with `--as EMAIL` and run with that person's permissions, as
on the web. Contact details are printed only with `--as` naming someone handling the complaint.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from kaitiaki.cli.common import command_session, command_work, load_settings
from kaitiaki.complaints import export, permissions, queries, service
from kaitiaki.complaints.queries import ComplaintFilter, local_today
from kaitiaki.complaints.schemas import ComplaintDraft, ComplaintOut
from kaitiaki.errors import NotFound
from kaitiaki.models import User
from kaitiaki.people import queries as people_queries

complaints_app = typer.Typer(help="Complaints about the agency's social media: list, show, "
                                  "record and handle them.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
AsOption = Annotated[str, typer.Option("--as", help="Email address of the person acting.")]
ViewerOption = Annotated[str, typer.Option(
    "--as", help="Show as this person: contact details appear when they handle the complaint.")]


def _person(session: Session, email: str) -> User:
    person = people_queries.get_user_by_email(session, email)
    if person is None:
        raise NotFound(f"Nobody with the email address {email.strip().lower()} has an account.")
    return person


def _line(out: ComplaintOut) -> str:
    overdue = f"  [overdue: {', '.join(out.overdue)}]" if out.overdue else ""
    channel = out.channel or "to triage"
    serious = " (serious)" if out.serious else ""
    return (f"{out.reference:<20} {out.state:<10} {out.category_label + serious:<40} {channel:<30} "
            f"resolve by {out.resolve_by:%Y-%m-%d}{overdue}")


@complaints_app.command("list")
def list_complaints(
    as_json: JsonOption = False,
    state: Annotated[str, typer.Option("--state", help="A state, or 'open'.")] = "",
    category: Annotated[str, typer.Option("--category", help="A category code from the pack.")] = "",
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue complaints.")] = False,
    viewer: ViewerOption = "",
) -> None:
    """List complaints, newest first (contact details never appear in the list's JSON unless
    --as names someone handling the complaint)."""
    setup = service.ComplaintSetup.from_settings(load_settings())
    with command_session() as session:
        person = _person(session, viewer) if viewer else None
        today = local_today(setup.zone)
        rows = queries.list_complaints(
            session, ComplaintFilter(state=state, category=category, overdue=overdue), today=today)
        check = permissions.HandlerCheck(session, person) if person is not None else None
        outs = [export.complaint_out(session, c, setup.policy, today, person, check=check)
                for c in rows]
    if as_json:
        typer.echo(json.dumps([o.model_dump(mode="json") for o in outs], indent=2, ensure_ascii=False))
    elif not outs:
        typer.echo("No complaints match.")
    else:
        typer.echo("\n".join(_line(o) for o in outs))


@complaints_app.command("show")
def show(reference: str, as_json: JsonOption = False, viewer: ViewerOption = "") -> None:
    """Show one complaint by its reference, e.g. DPMC-SM-2026-0001."""
    setup = service.ComplaintSetup.from_settings(load_settings())
    with command_session() as session:
        person = _person(session, viewer) if viewer else None
        complaint = service.require_complaint(session, reference)
        out = export.complaint_out(session, complaint, setup.policy, local_today(setup.zone), person)
    if as_json:
        typer.echo(out.model_dump_json(indent=2))
        return
    typer.echo(_line(out))
    typer.echo(f"Received {out.received_at:%Y-%m-%d %H:%M} UTC from {out.source}; acknowledge by "
               f"{out.acknowledge_by:%Y-%m-%d}" + (" (done)" if out.acknowledged_at else ""))
    if out.escalated_to:
        typer.echo(f"Escalated to {out.escalated_to}")
    if out.handled_by:
        typer.echo(f"Business owner: {out.handled_by}")
    if out.contact is not None:
        typer.echo(f"Complainant: {out.contact.name} {out.contact.email} {out.contact.phone}".rstrip())
    elif out.anonymous:
        typer.echo("Complainant: anonymous")
    typer.echo(f"\n{out.description}")
    if out.response:
        typer.echo(f"\nResponse: {out.response}")
    if out.resolution:
        typer.echo(f"\nResolution: {out.resolution}")


@complaints_app.command("record")
def record(
    category: Annotated[str, typer.Option("--category", help="A category code from the pack.")],
    description: Annotated[str, typer.Option("--description", help="The complaint.")],
    actor: AsOption,
    source: Annotated[str, typer.Option("--source", help="email or direct_message.")] = "email",
    url: Annotated[str, typer.Option("--url", help="The post's or channel's web address.")] = "",
    channel: Annotated[str, typer.Option("--channel", help="The channel's number in the register.")] = "",
    content: Annotated[str, typer.Option("--content", help="The words complained about.")] = "",
    name: Annotated[str, typer.Option("--name")] = "",
    email: Annotated[str, typer.Option("--email")] = "",
    phone: Annotated[str, typer.Option("--phone")] = "",
) -> None:
    """Record a complaint received by email or direct message; it is routed and, when serious,
    escalated."""
    draft = ComplaintDraft(category=category, description=description, url=url, channel_id=channel,
                           content_text=content, name=name, email=email, phone=phone)
    with command_work() as work:
        complaint = service.submit(work, draft=draft, source=source,
                                   recorded_by=_person(work.session, actor))
        message = f"Complaint {complaint.reference} is {complaint.state}" + (
            f", about {complaint.channel.label}." if complaint.channel else ", for comms staff to triage.")
    typer.echo(message)


@complaints_app.command("act")
def act(
    reference: str,
    action: Annotated[str, typer.Argument(help=f"One of: {', '.join(service.ACTIONS)}.")],
    actor: AsOption,
    note: Annotated[str, typer.Option("--note", help="The response, the resolution, or why it is reopened.")] = "",
) -> None:
    """Acknowledge, triage, escalate, respond to, close or reopen a complaint."""
    with command_work() as work:
        complaint = service.require_complaint(work.session, reference)
        service.act(work, complaint=complaint, user=_person(work.session, actor), action=action,
                    note=note)
        message = f"Complaint {complaint.reference} is {complaint.state}."
    typer.echo(message)


__all__ = ["complaints_app"]
