"""A limit on the size of every request body, enforced before anything parses it.

Without it an anonymous client could make the server read and parse a body of any size (a 60 MB
JSON list, a huge form). The declared Content-Length is checked first, so an honest client is
answered 413 before a byte of the body is read; the bytes that actually arrive are counted too, so
a chunked body or a lying Content-Length is cut off as soon as it passes the limit.

File uploads (multipart/form-data, the comment import page) have their own, larger limit; the
multipart parser keeps each ordinary field under 1 MB and spools files to disk.
"""

from __future__ import annotations

from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kaitiaki.web.errors import HTTP_CODES, error_response

TOO_LARGE = 413


class BodyTooLarge(HTTPException):
    """Raised from `receive` when the streamed body passes the limit; the error handlers turn it
    into the same 413 answer as an oversized Content-Length."""

    def __init__(self) -> None:
        super().__init__(status_code=TOO_LARGE)


def _header(scope: Scope, wanted: bytes) -> bytes | None:
    for name, value in scope.get("headers", ()):
        if name == wanted:
            return value
    return None


def declared_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def is_upload(scope: Scope) -> bool:
    content_type = _header(scope, b"content-type") or b""
    return content_type.split(b";", 1)[0].strip().lower() == b"multipart/form-data"


class BodyLimitMiddleware:
    """Answers 413 (JSON on /api/, a page otherwise) to a request whose body exceeds `max_bytes`
    (`upload_max_bytes` for a multipart upload)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, upload_max_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_max_bytes = max(upload_max_bytes or max_bytes, max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_max_bytes if is_upload(scope) else self.max_bytes
        length = declared_length(scope)
        if length is not None and length > limit:
            await self._refuse(scope, receive, send, limit)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            # Reached only when something outside the routes read the body; routes get the
            # app's own handler for it.
            if started:
                raise
            await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        code, detail = HTTP_CODES[TOO_LARGE]
        detail = f"{detail} Send at most {limit:,} bytes in one request."
        response = error_response(Request(scope, receive), status_code=TOO_LARGE, code=code,
                                  detail=detail)
        # The client may still be sending; closing the connection beats reading what is left.
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


__all__ = ["BodyLimitMiddleware", "BodyTooLarge"]
