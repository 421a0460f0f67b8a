"""`kaitiaki check`: check a text, or a file of JSON-lines items, against the policy pack.

Exit codes: 0 nothing reached the fail level; 1 something did; 2 a usage error, an unreadable
input or a broken pack.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, BinaryIO, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from kaitiaki.checker.items import Kind, Platform
from kaitiaki.checker.render import (
    FORMATS,
    ItemError,
    Outcome,
    render_json,
    render_jsonl_line,
    render_sarif,
    render_text,
)
from kaitiaki.check_service.batch import check_line, read_lines
from kaitiaki.check_service.routing import PackSet
from kaitiaki.cli.common import fail, load_settings
from kaitiaki.errors import AppError, BadInput

FAIL_LEVELS = {"warn": ("warn", "block"), "block": ("block",)}
PROGRESS_MIN_BYTES = 256 * 1024


def open_packs(pack: str | None) -> PackSet:
    """The chosen pack alone, or the configured pack with the bundled packs behind it."""
    try:
        if pack:
            return PackSet.open(pack, fallbacks=False)
        return PackSet.open(load_settings().policy_pack)
    except AppError as exc:
        fail(exc.detail)


def check(
    text: Annotated[Optional[str], typer.Argument(help="The text to check. Leave out to use --input.")] = None,
    kind: Annotated[str, typer.Option("--kind", "-k", help=f"Item kind: {', '.join(k.value for k in Kind)}.")] = "post",
    platform: Annotated[str, typer.Option("--platform", "-p", help=f"Platform: {', '.join(p.value for p in Platform)}.")] = "other",
    input_path: Annotated[Optional[str], typer.Option("--input", "-i", help="A file of JSON-lines items, or - for stdin.")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help=f"Output format: {', '.join(FORMATS)}.")] = "text",
    pack: Annotated[Optional[str], typer.Option("--pack", help="Pack name or folder (default: the configured pack, with the bundled packs for other kinds).")] = None,
    fail_level: Annotated[str, typer.Option("--fail-level", help="Exit 1 when a result reaches this decision: warn or block.")] = "block",
    employer_listed: Annotated[bool, typer.Option("--employer-listed", help="personal_post: the author's profile names the agency.")] = False,
    target_text: Annotated[Optional[str], typer.Option("--target-text", help="reply: the text replied to; interaction: the content acted on.")] = None,
    target_handle: Annotated[Optional[str], typer.Option("--target-handle", help="reply or interaction: the other account's handle.")] = None,
    target_name: Annotated[Optional[str], typer.Option("--target-name", help="reply or interaction: the other account's name.")] = None,
    target_bio: Annotated[Optional[str], typer.Option("--target-bio", help="interaction: the other account's profile text.")] = None,
    action: Annotated[Optional[str], typer.Option("--action", help="interaction: follow, like, repost, share or link.")] = None,
    business_purpose: Annotated[Optional[str], typer.Option("--business-purpose", help="interaction: why the agency interacts.")] = None,
) -> None:
    """Check a text, or every item of a JSON-lines file, against the policy pack."""
    if output_format not in FORMATS:
        fail(f"unknown format {output_format!r}; formats: {', '.join(FORMATS)}")
    if fail_level not in FAIL_LEVELS:
        fail(f"unknown fail level {fail_level!r}; give warn or block")
    if (text is None) == (input_path is None):
        fail("give either a TEXT to check or --input FILE (or - for stdin), not both and not neither")
    packs = open_packs(pack)
    if text is not None:
        context = {"employer_listed": employer_listed, "action": action, "business_purpose": business_purpose,
                   "target": {"text": target_text, "handle": target_handle, "name": target_name, "bio": target_bio}}
        outcomes: list[Outcome] = [_check_text(packs, text, kind, platform, context)]
        _write(outcomes, output_format, packs, source="text")
    else:
        outcomes = _check_input(packs, input_path or "-", output_format)
    failing = FAIL_LEVELS[fail_level]
    reached = any(not isinstance(o, ItemError) and o.decision in failing for o in outcomes)
    errors = sum(isinstance(o, ItemError) for o in outcomes)
    if errors and input_path is not None:
        typer.echo(f"{errors} of {len(outcomes)} lines could not be checked (see their error results).", err=True)
    raise typer.Exit(1 if reached else 0)


def _check_text(packs: PackSet, text: str, kind: str, platform: str, context: dict) -> Outcome:
    """One item from the command line: the text, and the context the options gave."""
    item: dict = {"kind": kind, "text": text, "platform": platform}
    target = {key: value for key, value in context["target"].items() if value}
    if target:
        item["target"] = target
    if context["employer_listed"]:
        item["author"] = {"employer_listed": True}
    for key in ("action", "business_purpose"):
        if context[key]:
            item[key] = context[key]
    try:
        return packs.check(item)
    except BadInput as exc:
        fail(exc.detail)


def _open_input(input_path: str) -> tuple[BinaryIO, int | None, str]:
    if input_path == "-":
        return sys.stdin.buffer, None, "stdin"
    path = Path(input_path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        fail(f"cannot read {input_path}: {exc.strerror or exc}")
    return handle, os.fstat(handle.fileno()).st_size, path.name


def _check_input(packs: PackSet, input_path: str, output_format: str) -> list[Outcome]:
    stream, size, source = _open_input(input_path)
    outcomes: list[Outcome] = []
    streaming = output_format in ("text", "jsonl")
    try:
        for outcome in _with_progress(stream, size, packs):
            outcomes.append(outcome)
            if streaming:
                _write_one(outcome, output_format)
    except OSError as exc:
        fail(f"cannot read {input_path}: {exc}")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if not streaming:
        _write(outcomes, output_format, packs, source=source)
    return outcomes


def _with_progress(stream: BinaryIO, size: int | None, packs: PackSet) -> Iterator[Outcome]:
    show = size is not None and size >= PROGRESS_MIN_BYTES and sys.stderr.isatty()
    if not show:
        for number, raw in read_lines(stream):
            yield check_line(number, raw, packs)
        return
    console = Console(file=sys.stderr)
    columns = (TextColumn("checking"), BarColumn(), TextColumn("{task.fields[items]} items"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("check", total=size, items=0)
        for count, (number, raw) in enumerate(read_lines(stream), start=1):
            yield check_line(number, raw, packs)
            progress.update(task, completed=_position(stream), items=count)


def _position(stream: BinaryIO) -> int:
    try:
        return stream.tell()
    except (OSError, io.UnsupportedOperation):
        return 0


def _write_one(outcome: Outcome, output_format: str) -> None:
    if output_format == "jsonl":
        sys.stdout.write(render_jsonl_line(outcome) + "\n")
    else:
        sys.stdout.write(render_text(outcome, color=sys.stdout.isatty()))
    sys.stdout.flush()


def _write(outcomes: list[Outcome], output_format: str, packs: PackSet, *, source: str) -> None:
    if output_format == "json":
        sys.stdout.write(render_json(outcomes[0] if source == "text" else outcomes) + "\n")
    elif output_format == "sarif":
        sys.stdout.write(render_sarif(outcomes, packs.packs, source=source) + "\n")
    else:
        for outcome in outcomes:
            _write_one(outcome, output_format)
