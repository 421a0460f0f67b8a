"""Checking a stream of JSON lines: one outcome per input line, in order, and a bad line (not
UTF-8, not JSON, not an object, a bad item) becomes an error naming its line while the run goes on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from kaitiaki.checker.items import MAX_TEXT_CHARS
from kaitiaki.checker.render import ItemError, Outcome
from kaitiaki.check_service.routing import PackSet
from kaitiaki.errors import BadInput

# Room for a text at the limit written entirely in \uXXXX escapes, plus the rest of an item.
MAX_LINE_BYTES = MAX_TEXT_CHARS * 6 + 256 * 1024


def read_lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each non-blank line; None for a line over MAX_LINE_BYTES, which
    is skipped to its end without being held in memory."""
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := stream.readline(1024 * 1024)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        if raw.strip():
            yield number, raw


def check_line(number: int, raw: bytes | None, packs: PackSet) -> Outcome:
    if raw is None:
        return ItemError(f"line {number} is longer than {MAX_LINE_BYTES:,} bytes", line=number)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return ItemError(f"line {number} is not UTF-8 text (bad byte at position {exc.start})", line=number)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return ItemError(f"line {number} is not JSON: {exc.msg} at column {exc.colno}", line=number)
    if not isinstance(data, dict):
        return ItemError(f"line {number} is not a JSON object (an item looks like "
                         '{"kind": "post", "text": "..."})', line=number)
    item_id = data.get("id") if isinstance(data.get("id"), str) else None
    try:
        return packs.check(data)
    except BadInput as exc:
        return ItemError(f"line {number}: {exc.detail}", id=item_id, line=number)


def check_stream(stream: BinaryIO, packs: PackSet) -> Iterator[Outcome]:
    for number, raw in read_lines(stream):
        yield check_line(number, raw, packs)
