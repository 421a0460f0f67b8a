"""Input that no route can store or look up, stopped at the edge in one place.

- Control characters (NUL, escape, ...; tab and line breaks are fine) and unpaired surrogates:
  PostgreSQL refuses NUL in text and no encoder accepts a lone surrogate, so without this check
  they surface as a server error deep inside a route. In a query string or a JSON body they are
  refused with 422 and a message naming the field. In a form (what people type or paste) they are
  invisible, so they are removed and the form goes through with everything else kept.
- Ids in the address: every id in Kaitiaki is a database integer (at most 2**31-1, PostgreSQL's
  INTEGER), so a longer run of digits in a path segment cannot name anything: 404.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kaitiaki.common.forms import MAX_DATABASE_ID
from kaitiaki.errors import FieldError
from kaitiaki.web.errors import HTTP_CODES, error_response

MAX_ID = MAX_DATABASE_ID
# C0 and C1 controls except tab, line feed and carriage return, DEL, and lone surrogates.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_DIGITS = re.compile(r"^[0-9]+$")
FORM = "application/x-www-form-urlencoded"
REFUSED = "Remove the control character (an invisible character such as NUL) from this value."


def has_forbidden(text: str) -> bool:
    return FORBIDDEN.search(text) is not None


def strip_forbidden(text: str) -> str:
    return FORBIDDEN.sub("", text)


def path_names_nothing(path: str) -> bool:
    """A path no route can answer: a control character, or an id beyond the database's range."""
    if has_forbidden(path):
        return True
    return any(_DIGITS.match(part) and int(part) > MAX_ID for part in path.split("/"))


def query_problems(query_string: bytes) -> list[FieldError]:
    text = query_string.decode("latin-1")
    return [FieldError(["query", name], REFUSED)
            for name, value in parse_qsl(text, keep_blank_values=True)
            if has_forbidden(name) or has_forbidden(value)]


def json_problems(value: Any, loc: list[str | int]) -> Iterator[FieldError]:
    """Every string (keys included) in a parsed JSON document that holds a forbidden character."""
    if isinstance(value, str):
        if has_forbidden(value):
            yield FieldError(loc, REFUSED)
    elif isinstance(value, dict):
        for key, item in value.items():
            if has_forbidden(key):
                yield FieldError([*loc, strip_forbidden(key)], REFUSED)
            yield from json_problems(item, [*loc, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from json_problems(item, [*loc, index])


def cleaned_form(body: bytes) -> bytes | None:
    """The form body without control characters, or None when there were none."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None  # the form parser reports it
    pairs = parse_qsl(text, keep_blank_values=True)
    if not any(has_forbidden(name) or has_forbidden(value) for name, value in pairs):
        return None
    return urlencode([(strip_forbidden(name), strip_forbidden(value)) for name, value in pairs]
                     ).encode("utf-8")


def is_json(media_type: str) -> bool:
    """What FastAPI parses as JSON: application/json, application/*+json, or no type at all."""
    if not media_type:
        return True
    main, _, subtype = media_type.partition("/")
    return main == "application" and (subtype == "json" or subtype.endswith("+json"))


def _media_type(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return value.decode("latin-1").split(";", 1)[0].strip().lower()
    return ""


class InputGuardMiddleware:
    """Checks the path, the query string and JSON and form bodies before any route sees them.

    Sits inside the body limit, so the bodies it reads whole are bounded."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if path_names_nothing(scope["path"]):
            await self._answer(scope, receive, send, 404)
            return
        problems = query_problems(scope.get("query_string", b""))
        if problems:
            await self._answer(scope, receive, send, 422, problems)
            return
        media_type = _media_type(scope)
        if media_type != FORM and not is_json(media_type):
            await self.app(scope, receive, send)
            return
        body, more = await _read_body(receive)
        if more is not None:  # the client went away
            await self.app(scope, _replay(body, receive, final=more), send)
            return
        if media_type == FORM:
            cleaned = cleaned_form(body)
            if cleaned is not None:
                body, scope = cleaned, _with_length(scope, len(cleaned))
        else:
            problems = _problems_in_json(body)
            if problems:
                await self._answer(scope, _replay(body, receive), send, 422, problems)
                return
        await self.app(scope, _replay(body, receive), send)

    async def _answer(self, scope: Scope, receive: Receive, send: Send, status: int,
                      fields: list[FieldError] | None = None) -> None:
        code, detail = HTTP_CODES[404] if status == 404 else (
            "bad_input", "A value sent contains a control character (such as NUL), which "
                         "Kaitiaki cannot store; remove it and send again.")
        response = error_response(Request(scope, receive), status_code=status, code=code,
                                  detail=detail, fields=fields)
        await response(scope, receive, send)


def _problems_in_json(body: bytes) -> list[FieldError]:
    try:
        document = json.loads(body)
    except ValueError:
        return []  # not JSON: the route's own parsing answers 422
    return list(json_problems(document, ["body"]))


async def _read_body(receive: Receive) -> tuple[bytes, Message | None]:
    """The whole body, and the message that ended it early (a disconnect), if any."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), message
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), None


def _replay(body: bytes, receive: Receive, *, final: Message | None = None) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": final is not None}
        if final is not None:
            return final
        return await receive()

    return replay


def _with_length(scope: Scope, length: int) -> Scope:
    headers = [(name, value) for name, value in scope.get("headers", ()) if name != b"content-length"]
    headers.append((b"content-length", str(length).encode("latin-1")))
    return {**scope, "headers": headers}


__all__ = ["InputGuardMiddleware", "MAX_ID", "has_forbidden", "strip_forbidden"]
