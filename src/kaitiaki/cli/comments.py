"""`kaitiaki comments`: import comments, read a channel's queue, act on comments, figures.

Imports are checked and stored in batches of 1,000, each committed on its own, so a refused
line costs only itself and an interrupted import can be run again (what is stored is skipped).
Actions name the moderator with `--as EMAIL` and go through the same service as the web.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from kaitiaki.checker import load_pack
from kaitiaki.cli.channels import AsOption, JsonOption, PlatformOption, _channel, _person
from kaitiaki.cli.common import (cli_actor, command_session, command_work, fail, load_settings,
                                 reported_errors)
from kaitiaki.moderation import formats, queries, service
from kaitiaki.moderation.checking import CheckBatch, checker_pool
from kaitiaki.moderation.ingest import Progress as ProgressCallback
from kaitiaki.moderation.ingest import import_comments
from kaitiaki.moderation.transitions import ACTION_LABELS, STATE_LABELS
from kaitiaki.timeutil import to_local

comments_app = typer.Typer(help="Import comments, work through a channel's moderation queue, act on "
                                "comments and count what was done.", no_args_is_help=True)


def _columns(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        field_name, sep, header = pair.partition("=")
        if not sep or not field_name.strip() or not header.strip():
            fail(f"--column takes FIELD=HEADER (for example text=Message), not {pair!r}.")
        mapping[field_name.strip()] = header.strip()
    return mapping


@contextmanager
def _progress_bar(total: int | None) -> Iterator[ProgressCallback | None]:
    if not sys.stderr.isatty():
        yield None
        return
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(file=sys.stderr), transient=True) as progress:
        task = progress.add_task("import", total=total)
        yield lambda done: progress.advance(task, done)


@contextmanager
def _checker(pack_name: str, workers: int) -> Iterator[CheckBatch | None]:
    if workers == 1:
        yield None  # inline, in this process
        return
    with checker_pool(pack_name, workers) as check:
        yield check


@comments_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="The file of comments.", show_default=False)],
    channel: Annotated[str, typer.Option("--channel", help="Handle (or number) of the channel the comments are on.")],
    fmt: Annotated[str, typer.Option("--format", help=f"File format: {', '.join(formats.FORMATS)}.")] = "jsonl",
    platform: PlatformOption = None,
    column: Annotated[list[str], typer.Option("--column", help="CSV only: FIELD=HEADER, e.g. text=Message (repeatable).")] = [],  # noqa: B006
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Processes checking comments; more than 1 uses more cores for a large file.")] = 1,
    as_json: JsonOption = False,
) -> None:
    """Check and store comments from a file; lines already stored are skipped."""
    if fmt not in formats.FORMATS:
        fail(f"Unknown format {fmt!r}; use one of {', '.join(formats.FORMATS)}.")
    settings = load_settings()
    columns = _columns(column)
    with command_session(settings) as session, reported_errors():
        target = _channel(session, channel, platform)  # an unknown channel stops us before reading
        text = formats.read_import_file(file, max_bytes=settings.import_max_bytes)
        pack = load_pack(settings.policy_pack)
        records = formats.parse(text, fmt, columns=columns)
        with _progress_bar(formats.count_records(text, fmt)) as progress, _checker(settings.policy_pack, workers) as check:
            report = import_comments(
                session, channel=target, pack=pack, records=records, actor=cli_actor(),
                source=f"file:{file.name}", commit_each_batch=session.commit, progress=progress,
                check_batch=check, in_flight=2 * workers if check else 1,
            )
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        decisions = report.by_decision
        typer.echo(f"{report.stored} comments stored on {report.channel} ({decisions['block']} held, "
                   f"{decisions['warn']} for review, {decisions['pass']} passed); "
                   f"{report.already_stored} already stored; {len(report.errors)} refused.")
        for error in report.errors:
            typer.echo(f"  {'line' if fmt != 'activitystreams' else 'item'} {error}", err=True)
    if report.errors:
        raise typer.Exit(1)


@comments_app.command("queue")
def show_queue(
    channel: Annotated[str, typer.Option("--channel", help="Handle (or number) of the channel.")],
    platform: PlatformOption = None,
    state: Annotated[str, typer.Option("--state", help=f"waiting (default), all, or one of {', '.join(STATE_LABELS)}.")] = "waiting",
    decision: Annotated[str, typer.Option("--decision", help="block, warn or pass.")] = "",
    category: Annotated[str, typer.Option("--category", help="Only comments with this finding category.")] = "",
    search: Annotated[str, typer.Option("--search", "-q", help="Words in the comment or its author.")] = "",
    page: Annotated[int, typer.Option("--page", min=1)] = 1,
    as_json: JsonOption = False,
) -> None:
    """A channel's queue: most severe first, then the longest waiting."""
    settings = load_settings()
    with command_session(settings) as session, reported_errors():
        target = _channel(session, channel, platform)
        result = queries.queue(session, target, queries.QueueFilter(
            state=state, decision=decision, category=category, q=search, page=page))
        rows = [_comment_dict(c, settings.zone) for c in result.comments]
    if as_json:
        typer.echo(json.dumps({"channel": target.label, "total": result.total, "capped": result.capped,
                               "page": result.filters.page,
                               "pages": result.pages, "comments": rows}, indent=2, ensure_ascii=False))
        return
    if not rows:
        typer.echo(f"No comments on {target.label} match ({result.filters.state}).")
        return
    counted = f"more than {result.total:,}" if result.capped else f"{result.total}"
    typer.echo(f"{counted} comments on {target.label}; page {result.filters.page}"
               + ("" if result.capped else f" of {result.pages}"))
    for row in rows:
        categories = ", ".join(row["categories"]) or "no findings"
        typer.echo(f"#{row['id']}  {row['decision']:5}  {row['state']:9}  {row['received_at']}  "
                   f"{row['author']}  [{categories}]")
        typer.echo(f"    {row['text'][:160]!r}")


def _comment_dict(comment, zone) -> dict:  # noqa: ANN001 - Comment, ZoneInfo
    return {
        "id": comment.id, "external_id": comment.external_id, "author": comment.author_handle,
        "text": comment.text, "decision": comment.decision, "state": comment.state,
        "categories": comment.category_list, "sensitive": comment.sensitive,
        "received_at": to_local(comment.received_at, zone).isoformat(timespec="minutes"),
        "findings": comment.findings,
    }


@comments_app.command("act")
def act(
    comment_ids: Annotated[list[int], typer.Argument(help="Comment number(s); several for a bulk action.", show_default=False)],
    action: Annotated[str, typer.Option("--action", help=f"One of {', '.join(ACTION_LABELS)}.")],
    reason: Annotated[str, typer.Option("--reason", help="A moderation reason code from the policy pack.")],
    as_email: AsOption,
    note: Annotated[str, typer.Option("--note", help="An optional note kept with the action.")] = "",
    reply: Annotated[str, typer.Option("--reply", help="The reply's text, for --action reply.")] = "",
    category: Annotated[str, typer.Option("--category", help="Complaint category, for --action complaint.")] = "",
) -> None:
    """Keep, reply to, hide, delete, mark as spam, block the author of, or take up as a complaint."""
    request = service.ActionRequest(action=action, reason=reason, note=note, reply=reply,
                                    complaint_category=category)
    with command_work() as work, reported_errors():
        user = _person(work.session, as_email)
        if len(comment_ids) == 1:
            done = [service.act(work, comment_id=comment_ids[0], user=user, request=request)]
        else:
            done = service.act_on_many(work, comment_ids=comment_ids, user=user, request=request)
        lines = [f"Comment #{a.comment_id}: {ACTION_LABELS[a.action].lower()} ({a.reason_code}); "
                 f"now {STATE_LABELS[a.to_state].lower()}."
                 + (f" Complaint #{a.complaint_id} opened." if a.complaint_id else "") for a in done]
    for line in lines:
        typer.echo(line)


@comments_app.command("figures")
def figures(
    since: Annotated[str, typer.Option("--since", help="First day (YYYY-MM-DD, local time).")],
    until: Annotated[str, typer.Option("--until", help="Day after the last (YYYY-MM-DD, local time).")],
    as_json: JsonOption = False,
) -> None:
    """Moderation actions counted by channel, month, action and reason."""
    settings = load_settings()
    start, end = _local_day(since, settings.zone, "--since"), _local_day(until, settings.zone, "--until")
    with command_session(settings) as session, reported_errors():
        rows = [{"channel": r.channel.label, "month": r.month, "action": r.action, "reason": r.reason,
                 "count": r.count}
                for r in queries.moderation_figures(session, since=start, until=end, zone=settings.zone)]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
    elif not rows:
        typer.echo("No moderation actions in that period.")
    for row in [] if as_json else rows:
        typer.echo(f"{row['month']}  {row['channel']}  {row['action']}  {row['reason']}  {row['count']}")


def _local_day(value: str, zone, option: str) -> datetime:  # noqa: ANN001 - ZoneInfo
    try:
        day = date.fromisoformat(value)
    except ValueError:
        fail(f"{option} takes a date as YYYY-MM-DD, not {value!r}.")
    return datetime.combine(day, time.min, tzinfo=zone)
