"""`kaitiaki channels`: the register, channel requests and posting authorisations.

Changes name the person making them with `--as EMAIL`: approvals and authorisations are personal
under the policy, so the command acts as that person, with their permissions, and the audit log
records them exactly as the web does. Email goes out after the change is committed.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from kaitiaki.cli.common import command_session, command_work, fail, load_settings
from kaitiaki.errors import NotFound
from kaitiaki.models import PLATFORMS, Channel, User
from kaitiaki.people import queries as people_queries
from kaitiaki.register import export, notices, queries, service
from kaitiaki.register.approval_rules import approval_rules
from kaitiaki.register.queries import RegisterFilter
from kaitiaki.register.schemas import AuthorisationOut, ChannelDraft
from kaitiaki.timeutil import last_covered_day, to_local, utcnow

channels_app = typer.Typer(help="The register of channels, channel requests and posting authorisations.",
                           no_args_is_help=True)

AsOption = Annotated[str, typer.Option("--as", help="Email address of the person making the change.")]
PlatformOption = Annotated[
    str | None, typer.Option("--platform", help=f"Platform, when the handle is on several: {', '.join(PLATFORMS)}.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _person(session: Session, email: str) -> User:
    person = people_queries.get_user_by_email(session, email)
    if person is None:
        raise NotFound(f"Nobody with the email address {email.strip().lower()} has an account.")
    return person


def _channel(session: Session, handle: str, platform: str | None) -> Channel:
    """A channel named by its number, or by its handle (with --platform when ambiguous)."""
    if handle.isdigit():
        return service.require_channel(session, int(handle))
    if platform:
        channel = queries.get_channel_by_handle(session, platform, handle)
        if channel is None:
            raise NotFound(f"@{handle.lstrip('@')} on {platform} is not in the register.")
        return channel
    found = queries.channels_with_handle(session, handle)
    if not found:
        raise NotFound(f"@{handle.lstrip('@')} is not in the register.")
    if len(found) > 1:
        platforms = " and ".join(c.platform for c in found)
        fail(f"@{found[0].handle} is on {platforms}; add --platform.")
    return found[0]


def _today() -> date:
    return to_local(utcnow(), load_settings().zone).date()


@channels_app.command("list")
def list_channels(
    as_json: JsonOption = False,
    flagged: Annotated[bool, typer.Option("--flagged", help="Only channels that need attention.")] = False,
    platform: Annotated[str, typer.Option("--platform", help="Only this platform.")] = "",
    unit: Annotated[str, typer.Option("--unit", help="Only this organisation unit (code).")] = "",
    status: Annotated[str, typer.Option("--status", help="Only this status.")] = "",
    search: Annotated[str, typer.Option("--search", "-q", help="Words in the handle, name or purposes.")] = "",
) -> None:
    """List the register, with what needs attention."""
    filters = RegisterFilter(q=search, platform=platform, unit=unit, status=status, flagged=flagged)
    with command_session() as session:
        rows = queries.list_channels(session, filters, today=_today())
        text = export.to_json(rows) if as_json else None
        lines = [
            f"{c.id:>4}  {c.platform:<9} @{c.handle:<22} {c.status:<9} {c.unit.code:<10} "
            f"{c.business_owner.email}{'  [' + ', '.join(f) + ']' if f else ''}"
            for c, f in rows
        ]
    if text is not None:
        typer.echo(text)
    elif not lines:
        typer.echo("No channels match.")
    else:
        typer.echo("\n".join(lines))


@channels_app.command("export")
def export_register(
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
) -> None:
    """Print the whole register as CSV or JSON."""
    if fmt not in {"csv", "json"}:
        fail("--format must be csv or json.")
    with command_session() as session:
        rows = queries.list_channels(session, today=_today())
        text = export.to_csv(rows) if fmt == "csv" else export.to_json(rows)
    typer.echo(text, nl=False)


@channels_app.command("request")
def request_channel(
    platform: Annotated[str, typer.Option("--platform", help=f"One of: {', '.join(PLATFORMS)}.")],
    handle: Annotated[str, typer.Option("--handle", help="The account's handle, e.g. @NZCivilDefence.")],
    unit: Annotated[str, typer.Option("--unit", help="Organisation unit code, e.g. DPMC-GH or NEMA.")],
    url: Annotated[str, typer.Option("--url", help="The channel's web address.")],
    name: Annotated[str, typer.Option("--name", help="Display name.")],
    purposes: Annotated[str, typer.Option("--purposes", help="What the channel is for.")],
    owner: Annotated[str, typer.Option("--owner", help="Business owner's email address.")],
    actor: AsOption,
    monitoring_hours: Annotated[str, typer.Option("--monitoring-hours")] = "",
    cadence_days: Annotated[int | None, typer.Option("--cadence-days", help="At least one post every N days.")] = None,
    details: Annotated[str, typer.Option("--details", help="Why the channel is needed.")] = "",
) -> None:
    """Request a new channel; it waits for the approvals the policy pack requires."""
    settings = load_settings()
    rules = approval_rules(settings.policy_pack)
    draft = ChannelDraft(platform=platform, handle=handle, url=url, display_name=name,
                         unit_code=unit, purposes=purposes, business_owner_email=owner,
                         monitoring_hours=monitoring_hours, cadence_days=cadence_days)
    with command_work(settings) as work:
        session = work.session
        created = service.request_channel(session, requester=_person(session, actor), rules=rules,
                                          draft=draft, details=details)
        work.outbox.extend(notices.request_notices(session, rules, created, settings.base_url))
        missing = ", ".join(r.label for r in queries.missing_requirements(session, rules, created))
        message = f"Request {created.id} for @{created.channel.handle} on {created.channel.platform} " \
                  f"is waiting for: {missing}."
    typer.echo(message)


@channels_app.command("extend")
def request_extended_use(
    handle: Annotated[str, typer.Argument(help="The channel's handle or number.")],
    details: Annotated[str, typer.Option("--details", help="The new purpose or platform feature.")],
    actor: AsOption,
    platform: PlatformOption = None,
) -> None:
    """Request extended use of a channel (a new purpose or platform feature)."""
    settings = load_settings()
    rules = approval_rules(settings.policy_pack)
    with command_work(settings) as work:
        session = work.session
        channel = _channel(session, handle, platform)
        created = service.request_extended_use(session, requester=_person(session, actor),
                                               rules=rules, channel=channel, details=details)
        work.outbox.extend(notices.request_notices(session, rules, created, settings.base_url))
        message = f"Request {created.id} for extended use of @{channel.handle} is waiting for approval."
    typer.echo(message)


@channels_app.command("requests")
def list_requests(as_json: JsonOption = False) -> None:
    """List the open channel requests."""
    with command_session() as session:
        rows = [export.request_out(session, r) for r in queries.open_requests(session)]
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
    elif not rows:
        typer.echo("No open channel requests.")
    else:
        for r in rows:
            typer.echo(f"{r.id:>4}  {r.kind:<12} {r.channel:<32} {r.state:<16} by {r.requested_by}")


def _decided(created_state: str, request_id: int, channel: Channel) -> str:
    if created_state == "approved":
        return f"Request {request_id} is approved; @{channel.handle} is {channel.status}."
    if created_state == "declined":
        return f"Request {request_id} is declined."
    if created_state == "withdrawn":
        return f"Request {request_id} is withdrawn."
    return f"Approval recorded; request {request_id} waits for its remaining approval."


@channels_app.command("approve")
def approve(
    request_id: Annotated[int, typer.Argument(help="The request's number.")], actor: AsOption,
) -> None:
    """Approve a channel request as one of the approvers the pack names."""
    settings = load_settings()
    rules = approval_rules(settings.policy_pack)
    with command_work(settings) as work:
        session = work.session
        decided = service.approve(session, request_id=request_id, approver=_person(session, actor),
                                  rules=rules)
        work.outbox.extend(notices.request_notices(session, rules, decided, settings.base_url))
        message = _decided(decided.state, decided.id, decided.channel)
    typer.echo(message)


@channels_app.command("decline")
def decline(
    request_id: Annotated[int, typer.Argument(help="The request's number.")],
    reason: Annotated[str, typer.Option("--reason", help="Why; the requester sees it.")],
    actor: AsOption,
) -> None:
    """Decline a channel request, with the reason."""
    settings = load_settings()
    rules = approval_rules(settings.policy_pack)
    with command_work(settings) as work:
        session = work.session
        decided = service.decline(session, request_id=request_id, approver=_person(session, actor),
                                  rules=rules, reason=reason)
        work.outbox.extend(notices.request_notices(session, rules, decided, settings.base_url))
        message = _decided(decided.state, decided.id, decided.channel)
    typer.echo(message)


@channels_app.command("withdraw")
def withdraw(
    request_id: Annotated[int, typer.Argument(help="The request's number.")], actor: AsOption,
) -> None:
    """Withdraw a channel request (the requester or communications staff)."""
    with command_session() as session:
        done = service.withdraw(session, request_id=request_id, user=_person(session, actor))
        message = _decided(done.state, done.id, done.channel)
    typer.echo(message)


@channels_app.command("authorise")
def authorise(
    handle: Annotated[str, typer.Argument(help="The channel's handle or number.")],
    email: Annotated[str, typer.Argument(help="Email address of the person to authorise.")],
    actor: AsOption,
    until: Annotated[datetime | None, typer.Option("--until", formats=["%Y-%m-%d"],
                                                   help="Last day covered (NZ time), YYYY-MM-DD.")] = None,
    reason: Annotated[str, typer.Option("--reason")] = "",
    platform: PlatformOption = None,
) -> None:
    """Authorise a person to post on a channel (the channel's business owner only)."""
    settings = load_settings()
    with command_session(settings) as session:
        channel = _channel(session, handle, platform)
        grant = service.authorise(session, user=_person(session, actor), channel=channel,
                                  person_email=email, until=until.date() if until else None,
                                  reason=reason, zone=settings.zone)
        ends = f" until the end of {until.date().isoformat()}" if until else ""
        message = f"{grant.user.email} can now post on @{channel.handle} ({channel.platform}){ends}."
    typer.echo(message)


@channels_app.command("revoke")
def revoke(
    handle: Annotated[str, typer.Argument(help="The channel's handle or number.")],
    email: Annotated[str, typer.Argument(help="Email address of the person.")],
    actor: AsOption,
    reason: Annotated[str, typer.Option("--reason")] = "",
    platform: PlatformOption = None,
) -> None:
    """Revoke a person's authorisation to post, at once (the channel's business owner only)."""
    with command_session() as session:
        channel = _channel(session, handle, platform)
        grant = service.revoke(session, user=_person(session, actor), channel=channel,
                               person_email=email, reason=reason)
        message = f"{grant.user.email} can no longer post on @{channel.handle} ({channel.platform})."
    typer.echo(message)


@channels_app.command("set-owner")
def set_owner(
    handle: Annotated[str, typer.Argument(help="The channel's handle or number.")],
    email: Annotated[str, typer.Argument(help="The new business owner's email address.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the owner changes.")],
    actor: AsOption,
    platform: PlatformOption = None,
) -> None:
    """Change a channel's business owner (communications staff)."""
    with command_session() as session:
        channel = _channel(session, handle, platform)
        service.change_business_owner(session, user=_person(session, actor), channel=channel,
                                      new_owner_email=email, reason=reason)
        message = f"{channel.business_owner.email} is now the business owner of @{channel.handle}."
    typer.echo(message)


@channels_app.command("posters")
def posters(as_json: JsonOption = False) -> None:
    """Who can post where, now."""
    settings = load_settings()
    with command_session(settings) as session:
        now = utcnow()
        rows = [AuthorisationOut.of(g, g.channel, now) for g in queries.authorisations_in_force(session, now)]
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
    elif not rows:
        typer.echo("Nobody is authorised to post on any channel.")
    else:
        for r in rows:
            ends = (last_covered_day(r.expires_at, settings.timezone).isoformat() if r.expires_at
                    else "no end date")
            typer.echo(f"{r.channel:<34} {r.email:<36} until {ends}")


__all__ = ["channels_app"]
