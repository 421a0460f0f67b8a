"""Reading comments from files and API bodies: JSON Lines, CSV and ActivityStreams 2.0.

Each record is validated on its own: a malformed line or row becomes a `RecordError` naming its
number (line, row or item), and the rest go on. Nothing here touches the database.
docs/moderation-import.md describes the formats and the CSV column mapping.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from kaitiaki.checker.items import MAX_TEXT_CHARS
from kaitiaki.errors import BadInput, FieldError
from kaitiaki.timeutil import ensure_utc

FORMATS = ("jsonl", "csv", "activitystreams")
MAX_ID_CHARS = 300
MAX_AUTHOR_CHARS = 300
MAX_URL_CHARS = 1000

# Comment fields and the CSV headers recognised for each, first the canonical one. Platforms'
# exports name their columns differently; `--column field=Header` adds to these.
CSV_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "comment_id", "external_id", "message_id"),
    "text": ("text", "message", "comment", "body", "content"),
    "author": ("author", "author_handle", "username", "from", "user"),
    "author_name": ("author_name", "name", "from_name", "display_name"),
    "posted_at": ("posted_at", "created_at", "created_time", "timestamp", "published"),
    "url": ("url", "permalink", "link"),
    "in_reply_to": ("in_reply_to", "parent_id", "reply_to"),
}
AS_COLLECTIONS = {"Collection", "OrderedCollection", "CollectionPage", "OrderedCollectionPage"}


@dataclass(frozen=True)
class CommentIn:
    """One comment as read, before it is checked. `number` is its line, row or item number."""

    number: int
    external_id: str
    text: str
    author_handle: str = ""
    author_name: str = ""
    posted_at: datetime | None = None
    url: str | None = None
    in_reply_to: str | None = None


@dataclass(frozen=True)
class RecordError:
    number: int
    message: str

    def __str__(self) -> str:
        return f"{self.number}: {self.message}"


Parsed = CommentIn | RecordError


def read_import_file(path: Path, *, max_bytes: int) -> str:
    """The file's text, or BadInput saying why it is refused (too big, not UTF-8, missing)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BadInput(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if size > max_bytes:
        raise BadInput(
            f"{path.name} is {size:,} bytes, over the import limit of {max_bytes:,} bytes "
            "(KAITIAKI_IMPORT_MAX_BYTES). Split it into smaller files."
        )
    return decode_upload(path.read_bytes(), path.name)


def decode_upload(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BadInput(
            f"{name} is not UTF-8 text (byte {exc.start + 1}, line {line}). Save it as UTF-8 "
            "and import it again."
        ) from exc


def record_from_mapping(raw: Any, number: int) -> Parsed:
    """Validate one comment given as a mapping (a JSON line, an API item, a mapped CSV row)."""
    if not isinstance(raw, Mapping):
        return RecordError(number, "expected a JSON object with at least id and text")
    problems: list[str] = []
    external_id = _text_field(raw, "id", MAX_ID_CHARS, problems, required=True)
    text = raw.get("text")
    if text is None:
        problems.append("text is missing")
    elif not isinstance(text, str):
        problems.append("text must be a string")
    elif len(text) > MAX_TEXT_CHARS:
        problems.append(f"text is {len(text):,} characters, over the limit of {MAX_TEXT_CHARS:,}")
    author = raw.get("author", "")
    if isinstance(author, Mapping):  # {"handle": ..., "name": ...}
        author_name_default = author.get("name", "")
        author = author.get("handle", "")
    else:
        author_name_default = ""
    author_handle = _bounded(author, "author", MAX_AUTHOR_CHARS, problems)
    author_name = _bounded(raw.get("author_name", author_name_default), "author_name",
                           MAX_AUTHOR_CHARS, problems)
    url = _text_field(raw, "url", MAX_URL_CHARS, problems) or None
    in_reply_to = _text_field(raw, "in_reply_to", MAX_URL_CHARS, problems) or None
    posted_at = _timestamp(raw.get("posted_at"), problems)
    for name, value in (("id", external_id), ("text", text), ("author", author_handle)):
        if isinstance(value, str) and "\x00" in value:
            problems.append(f"{name} contains a NUL character")
    if problems:
        return RecordError(number, "; ".join(problems))
    return CommentIn(
        number=number, external_id=external_id, text=text, author_handle=author_handle,
        author_name=author_name, posted_at=posted_at, url=url, in_reply_to=in_reply_to,
    )


def _bounded(value: Any, name: str, limit: int, problems: list[str]) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        problems.append(f"{name} must be a string")
        return ""
    value = value.strip()
    if len(value) > limit:
        problems.append(f"{name} is longer than {limit} characters")
    return value


def _text_field(raw: Mapping[str, Any], name: str, limit: int, problems: list[str], *,
                required: bool = False) -> str:
    value = _bounded(raw.get(name), name, limit, problems)
    if required and not value:
        problems.append(f"{name} is missing")
    return value


def _timestamp(value: Any, problems: list[str]) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        problems.append("posted_at must be an ISO 8601 date and time")
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        problems.append(f"posted_at {value[:40]!r} is not an ISO 8601 date and time")
        return None
    if parsed.tzinfo is None:
        problems.append("posted_at needs a time zone (for example Z or +13:00)")
        return None
    return ensure_utc(parsed)


def parse(text: str, fmt: str, *, columns: Mapping[str, str] | None = None) -> Iterator[Parsed]:
    if fmt == "jsonl":
        return parse_jsonl(text)
    if fmt == "csv":
        return parse_csv(text, columns or {})
    if fmt == "activitystreams":
        return parse_activitystreams(text)
    raise BadInput(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.",
                   fields=[FieldError(["format"], f"use one of {', '.join(FORMATS)}")])


def count_records(text: str, fmt: str) -> int | None:
    """How many records the progress bar should expect (lines or rows; None when unknown)."""
    if fmt in ("jsonl", "csv"):
        lines = sum(1 for line in text.splitlines() if line.strip())
        return max(lines - (1 if fmt == "csv" else 0), 0)
    return None


def parse_jsonl(text: str) -> Iterator[Parsed]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RecordError(number, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        yield record_from_mapping(raw, number)


def csv_mapping(headers: list[str], columns: Mapping[str, str]) -> dict[str, str]:
    """field -> header actually present. Raises BadInput when id or text has no column."""
    unknown = sorted(set(columns) - set(CSV_HEADERS))
    if unknown:
        raise BadInput(f"Unknown comment field in the column mapping: {', '.join(unknown)}; the "
                       f"fields are {', '.join(CSV_HEADERS)}.")
    folded = {header.strip().lower(): header for header in headers}
    mapping: dict[str, str] = {}
    for field_name, aliases in CSV_HEADERS.items():
        if field_name in columns:
            wanted = columns[field_name].strip().lower()
            if wanted not in folded:
                raise BadInput(f"The column {columns[field_name]!r} given for {field_name} is not "
                               f"in the file's header row ({', '.join(headers)}).")
            mapping[field_name] = folded[wanted]
            continue
        for alias in aliases:
            if alias in folded:
                mapping[field_name] = folded[alias]
                break
    missing = [name for name in ("id", "text") if name not in mapping]
    if missing:
        raise BadInput(
            f"The CSV header row has no column for {' or '.join(missing)}. Name the columns "
            f"(e.g. id,text,author,posted_at) or map them with --column {missing[0]}=YourHeader."
        )
    return mapping


def parse_csv(text: str, columns: Mapping[str, str]) -> Iterator[Parsed]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        headers = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise BadInput(f"The CSV header row cannot be read: {exc}.") from exc
    mapping = csv_mapping(headers, columns)
    index = {field_name: headers.index(header) for field_name, header in mapping.items()}
    while True:
        row_number = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RecordError(row_number, f"not a valid CSV row ({exc})")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(headers):
            yield RecordError(row_number, f"has {len(row)} columns; the header row has {len(headers)}")
            continue
        yield record_from_mapping({name: row[i] for name, i in index.items()}, row_number)


def parse_activitystreams(text: str) -> Iterator[Parsed]:
    """Notes as ActivityPub servers (e.g. Mastodon) produce them: one Note, a Create activity, or
    a (Ordered)Collection of either. Items are numbered from 1 in document order."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"Not an ActivityStreams JSON document: {exc.msg} at line {exc.lineno}, "
                       f"column {exc.colno}.") from exc
    if isinstance(document, Mapping) and document.get("type") in AS_COLLECTIONS:
        items = document.get("orderedItems", document.get("items", []))
        if not isinstance(items, list):
            raise BadInput("The collection's orderedItems (or items) must be a list.")
    else:
        items = [document]
    for number, item in enumerate(items, start=1):
        yield note_record(item, number)


def note_record(item: Any, number: int) -> Parsed:
    if isinstance(item, Mapping) and item.get("type") == "Create":
        item = item.get("object")
    if not isinstance(item, Mapping) or item.get("type") != "Note":
        kind = item.get("type") if isinstance(item, Mapping) else type(item).__name__
        return RecordError(number, f"expected a Note (or a Create of a Note), found {kind!r}")
    content = item.get("content")
    if content is None and isinstance(item.get("contentMap"), Mapping):
        content = next(iter(item["contentMap"].values()), None)
    author = item.get("attributedTo")
    return record_from_mapping({
        "id": item.get("id"),
        "text": html_to_text(content) if isinstance(content, str) else content,
        "author": actor_handle(author),
        "author_name": author.get("name", "") if isinstance(author, Mapping) else "",
        "posted_at": item.get("published"),
        "url": item.get("url") if isinstance(item.get("url"), str) else item.get("id"),
        "in_reply_to": _reference(item.get("inReplyTo")),
    }, number)


def _reference(value: Any) -> Any:
    return value.get("id") if isinstance(value, Mapping) else value


def actor_handle(actor: Any) -> str:
    """https://mastodon.social/users/jo (or an actor object) -> "@jo@mastodon.social"."""
    if isinstance(actor, Mapping):
        username = actor.get("preferredUsername")
        host = urlparse(str(actor.get("id", ""))).hostname
        if isinstance(username, str) and host:
            return f"@{username}@{host}"
        actor = actor.get("id", "")
    if not isinstance(actor, str) or not actor:
        return ""
    parsed = urlparse(actor)
    if not parsed.hostname:
        return actor
    last = parsed.path.rstrip("/").rsplit("/", 1)[-1].lstrip("@")
    return f"@{last}@{parsed.hostname}" if last else actor


class _TextExtractor(HTMLParser):
    BREAKS = {"br", "p", "div", "li"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BREAKS - {"br"}:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The words of an HTML fragment (ActivityStreams `content`); tags are dropped, never run."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return "".join(extractor.parts).strip()


__all__ = [
    "CSV_HEADERS", "FORMATS", "CommentIn", "Parsed", "RecordError", "actor_handle", "count_records",
    "csv_mapping", "decode_upload", "html_to_text", "note_record", "parse", "parse_activitystreams",
    "parse_csv", "parse_jsonl", "read_import_file", "record_from_mapping",
]
