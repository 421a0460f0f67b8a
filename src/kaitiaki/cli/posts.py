"""`kaitiaki posts`: draft, check, submit, schedule and list posts from scripts, through the same
services as the web pages. Each change names the person with `--as EMAIL`, who must be authorised
on the channel as on the web. Times are New Zealand times (the configured zone).

Exit codes: 0 done; 1 the check found a block (draft, check); 2 refused or a usage error, with
the reason on stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kaitiaki.checker import load_pack
from kaitiaki.cli.channels import AsOption, JsonOption, PlatformOption, _channel, _person
from kaitiaki.cli.common import command_session, fail, load_settings, reported_errors
from kaitiaki.models import Draft, DraftVersion
from kaitiaki.publishing import queries, scheduling, service
from kaitiaki.publishing.images import MAX_IMAGE_BYTES, ImageIn
from kaitiaki.publishing.schemas import DraftInput
from kaitiaki.publishing.transitions import DRAFT_WORKFLOW
from kaitiaki.timeutil import to_local

posts_app = typer.Typer(help="Draft, check, submit, schedule and list posts on the channels you "
                             "are authorised on.", no_args_is_help=True)

IdArgument = Annotated[int, typer.Argument(help="The draft's number.", show_default=False)]


def _words(text: str | None, file: Path | None) -> str:
    if text is not None and file is not None:
        fail("Give the words with --text or --file, not both.")
    if file is None:
        if text is None:
            fail("Give the words with --text, or --file (- reads standard input).")
        return text
    if str(file) == "-":
        return sys.stdin.read()
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"Cannot read {file}: {exc}")


def _images(paths: list[Path], alts: list[str]) -> list[ImageIn]:
    if len(paths) != len(alts):
        fail(f"Give one --alt for each --image ({len(paths)} images, {len(alts)} alt texts): "
             "people who use a screen reader hear the alt text instead of seeing the image.")
    images = []
    for path, alt_text in zip(paths, alts, strict=True):
        try:
            with path.open("rb") as opened:
                images.append(ImageIn(data=opened.read(MAX_IMAGE_BYTES + 1), alt=alt_text))
        except OSError as exc:
            fail(f"Cannot read {path}: {exc}")
    return images


def _draft_out(draft: Draft, version: DraftVersion, zone: Any) -> dict[str, Any]:
    return {
        "id": draft.id, "channel": f"@{draft.channel.handle}", "platform": draft.channel.platform,
        "kind": draft.kind, "state": draft.state, "author": draft.author.email,
        "version": version.number, "decision": version.decision, "pack": version.pack_id,
        "findings": [{"severity": f["severity"], "rule": f["rule"], "message": f["message"]}
                     for f in version.findings or []],
        "scheduled_for": (to_local(draft.scheduled_for, zone).isoformat()
                          if draft.scheduled_for else None),
        "published_url": draft.published_url,
        "images": [{"alt": i.alt_text, "media_type": i.media_type, "bytes": i.byte_size}
                   for i in version.images],
    }


def _report(row: dict[str, Any], as_json: bool, said: str) -> None:
    if as_json:
        typer.echo(json.dumps(row, indent=2))
    else:
        typer.echo(said)
        for number, finding in enumerate(row["findings"], start=1):
            typer.echo(f"  {number}. {finding['severity']}: {finding['message']} "
                       f"({finding['rule']})")
    if row["decision"] == "block":
        raise typer.Exit(1)


@posts_app.command("draft")
def new_draft(
    channel: Annotated[str, typer.Option("--channel", help="Handle (or number) of the channel.")],
    actor: AsOption,
    text: Annotated[str | None, typer.Option("--text", help="The words of the post.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the words from a file (- for standard input).")] = None,
    kind: Annotated[str, typer.Option("--kind", help="post or reply.")] = "post",
    platform: PlatformOption = None,
    image: Annotated[list[Path] | None, typer.Option(
        "--image", help="An image file (PNG, JPEG, GIF or WebP, at most 1,000,000 bytes); repeat "
                        "for up to 4, each with its --alt.")] = None,
    alt: Annotated[list[str] | None, typer.Option(
        "--alt", help="The alt text of each --image, in the same order (required).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Save a new draft and check it; exit 1 when the check blocks it."""
    words = _words(text, file)
    images = _images(image or [], alt or [])
    settings = load_settings()
    pack = load_pack(settings.policy_pack)
    with command_session(settings) as session, reported_errors():
        person = _person(session, actor)
        target = _channel(session, channel, platform)
        draft = service.create_draft(session, user=person, pack=pack, channel_id=target.id,
                                     data=DraftInput(kind=kind, text=words, images=images))
        version = service.check_draft(session, user=person, draft=draft, pack=pack)
        row = _draft_out(draft, version, settings.zone)
    _report(row, as_json, f"Draft {row['id']} on {row['channel']} saved and checked: "
                          f"{row['decision']}.")


@posts_app.command("check")
def check_again(draft_id: IdArgument, actor: AsOption, as_json: JsonOption = False) -> None:
    """Check the draft's newest version again with the policy pack in force now."""
    settings = load_settings()
    pack = load_pack(settings.policy_pack)
    with command_session(settings) as session, reported_errors():
        draft = service.require_draft(session, draft_id)
        version = service.check_draft(session, user=_person(session, actor), draft=draft, pack=pack)
        row = _draft_out(draft, version, settings.zone)
    _report(row, as_json, f"Draft {row['id']}, version {row['version']}: {row['decision']}.")


@posts_app.command("submit")
def submit(
    draft_id: IdArgument,
    actor: AsOption,
    acknowledge: Annotated[bool, typer.Option("--acknowledge", help="Acknowledge every warning of the check (you have read them).")] = False,
) -> None:
    """Submit a checked draft: ready to schedule, or waiting for review on a channel that asks
    for one."""
    with command_session() as session, reported_errors():
        person = _person(session, actor)
        draft = service.require_draft(session, draft_id)
        if acknowledge:
            service.acknowledge(session, user=person, draft=draft)
        draft = service.submit(session, user=person, draft=draft)
        said = (f"Draft {draft.id} sent for review on @{draft.channel.handle}."
                if draft.state == "in_review" else
                f"Draft {draft.id} submitted; schedule it with `kaitiaki posts schedule`.")
    typer.echo(said)


@posts_app.command("schedule")
def schedule(
    draft_id: IdArgument,
    actor: AsOption,
    at: Annotated[str, typer.Option("--at", help="New Zealand date and time, e.g. 2026-12-08T09:30.")] = "",
    cancel: Annotated[bool, typer.Option("--cancel", help="Take the time away instead.")] = False,
) -> None:
    """Set or change when a submitted post goes out, or cancel it with --cancel."""
    if cancel == bool(at):
        fail("Give either --at TIME or --cancel.")
    settings = load_settings()
    with command_session(settings) as session, reported_errors():
        person = _person(session, actor)
        draft = service.require_draft(session, draft_id)
        if cancel:
            scheduling.unschedule(session, user=person, draft=draft)
            said = f"Draft {draft.id} is no longer scheduled; it stays submitted."
        else:
            when = scheduling.local_time(at, settings.zone)
            scheduling.schedule(session, user=person, draft=draft, at=when, zone=settings.zone)
            said = (f"Draft {draft.id} goes out at "
                    f"{scheduling.spoken_time(when, settings.zone)} (New Zealand time).")
    typer.echo(said)


@posts_app.command("list")
def list_posts(
    actor: Annotated[str, typer.Option("--as", help="Only this person's posts (email address).")] = "",
    channel: Annotated[str, typer.Option("--channel", help="Only this channel (handle or number).")] = "",
    state: Annotated[str, typer.Option("--state", help=f"Only this state: {', '.join(DRAFT_WORKFLOW.states)}.")] = "",
    scheduled: Annotated[bool, typer.Option("--scheduled", help="Only scheduled posts, in the order they go out.")] = False,
    platform: PlatformOption = None,
    as_json: JsonOption = False,
) -> None:
    """List posts, most recently changed first."""
    if state and state not in DRAFT_WORKFLOW.states:
        fail(f"Unknown state {state!r}; use one of {', '.join(DRAFT_WORKFLOW.states)}.")
    settings = load_settings()
    with command_session(settings, write=False) as session, reported_errors():
        drafts = queries.drafts_listed(
            session, author=_person(session, actor) if actor else None,
            channel=_channel(session, channel, platform) if channel else None,
            state=state or None, scheduled_only=scheduled)
        rows = [_draft_out(d, service.current_version(session, d), settings.zone) for d in drafts]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo("No posts match.")
        return
    for row in rows:
        when = f", goes out {row['scheduled_for']}" if row["scheduled_for"] else ""
        typer.echo(f"{row['id']}\t{row['channel']} ({row['platform']})\t{row['state']}\t"
                   f"{row['decision'] or 'not checked'}{when}\t{row['author']}")


__all__ = ["posts_app"]
