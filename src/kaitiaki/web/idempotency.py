"""`Idempotency-Key` on API writes: a retried request never takes effect twice.

A client that may retry (after a 503, a dropped connection, a timeout) sends the same
`Idempotency-Key` header with each try of one request. The first try claims the key in a short
transaction of its own (the unique constraint decides between two tries arriving at once), runs,
and its answer is stored under the key. A later try with the key gets the stored answer again,
marked `Idempotent-Replayed: true`; a try while the first is still running gets 409 with
Retry-After; a key reused for a different request gets 422. An answer of 500 or more (503 busy
included) releases the key, so the retry really runs. Keys are kept for a day.

If the process stops between the change's commit and storing the answer, the key stays claimed:
the retry is told the request is still being handled (409), which is safe: it never runs twice.

Only requests with the header, to /api/, by a signed-in person or an API token: anonymous calls
to the API change nothing.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import anyio
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kaitiaki.db import session_scope
from kaitiaki.models import IdempotencyKey
from kaitiaki.timeutil import utcnow

HEADER = "idempotency-key"
MAX_KEY_LENGTH = 200
KEEP_FOR = timedelta(days=1)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SESSION_ID_KEY = "sid"  # kaitiaki.web.deps


def _json(status: int, error: str, detail: str, headers: list[tuple[bytes, bytes]] | None = None,
          ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    body = json.dumps({"error": error, "detail": detail, "fields": []}).encode()
    return status, [(b"content-type", b"application/json"), *(headers or [])], body


def _scope_of(scope: Scope) -> str | None:
    headers = dict(scope.get("headers") or [])
    authorization = headers.get(b"authorization", b"")
    if authorization:
        return "token:" + hashlib.sha256(authorization).hexdigest()[:40]
    session = scope.get("session") or {}
    secret = session.get(SESSION_ID_KEY) if isinstance(session, dict) else None
    # The sign-in session's secret, hashed: a retry comes from the same browser.
    return "session:" + hashlib.sha256(secret.encode()).hexdigest()[:40] \
        if isinstance(secret, str) else None


def claim(engine: Engine, owner: str, key: str, fingerprint: str) -> IdempotencyKey | None:
    """None when this try claimed the key; else the key's row as it stands."""
    try:
        with session_scope(engine) as session:
            session.execute(delete(IdempotencyKey)
                            .where(IdempotencyKey.created_at < utcnow() - KEEP_FOR))
            found = _find(session, owner, key)
            if found is not None:
                return found
            session.add(IdempotencyKey(scope=owner, key=key, fingerprint=fingerprint))
        return None
    except IntegrityError:  # another try claimed it a moment ago
        with session_scope(engine, write=False) as session:
            return _find(session, owner, key)


def _find(session: Session, owner: str, key: str) -> IdempotencyKey | None:
    found = session.scalars(select(IdempotencyKey).where(
        IdempotencyKey.scope == owner, IdempotencyKey.key == key)).first()
    if found is not None:
        session.expunge(found)
    return found


def settle(engine: Engine, owner: str, key: str, status: int, content_type: str,
           body: bytes) -> None:
    """Store the answer, or release the key when the request failed and may be retried."""
    with session_scope(engine) as session:
        row = session.scalars(select(IdempotencyKey).where(
            IdempotencyKey.scope == owner, IdempotencyKey.key == key)).first()
        if row is None:
            return
        if status >= 500:
            session.delete(row)
            return
        row.status_code = status
        row.content_type = content_type[:100]
        row.response_body = body.decode("utf-8", errors="replace")


class IdempotencyKeys:
    """Pure ASGI middleware; see the module's note."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        key = dict(scope.get("headers") or []).get(HEADER.encode()) if path else None
        owner = _scope_of(scope) if key is not None else None
        if (key is None or owner is None or not path.startswith("/api/")
                or scope.get("method") not in WRITE_METHODS):
            await self.app(scope, receive, send)
            return
        text = key.decode("latin-1").strip()
        if not text or len(text) > MAX_KEY_LENGTH or not text.isprintable():
            await _answer(send, *_json(422, "bad_input", f"Idempotency-Key must be 1 to "
                                       f"{MAX_KEY_LENGTH} printable characters."))
            return
        body, replay = await _read_body(receive)
        fingerprint = hashlib.sha256(
            scope["method"].encode() + b" " + path.encode() + b"\n" + body).hexdigest()
        engine = scope["app"].state.engine
        found = await anyio.to_thread.run_sync(claim, engine, owner, text, fingerprint)
        if found is not None:
            await _answer(send, *_stored_answer(found, fingerprint))
            return
        captured: dict = {"status": 500, "content_type": "", "body": bytearray()}

        async def capturing_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                headers = dict(message.get("headers") or [])
                captured["content_type"] = headers.get(b"content-type", b"").decode("latin-1")
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, replay, capturing_send)
        finally:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(
                    settle, engine, owner, text, captured["status"], captured["content_type"],
                    bytes(captured["body"]))


def _stored_answer(found: IdempotencyKey, fingerprint: str,
                   ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    if found.fingerprint != fingerprint:
        return _json(422, "idempotency_key_reused", "This Idempotency-Key was used for a "
                     "different request; use a new key for each request.")
    if found.status_code is None:
        return _json(409, "in_progress", "A request with this Idempotency-Key is still being "
                     "handled; try again shortly.", [(b"retry-after", b"2")])
    headers = [(b"content-type", (found.content_type or "application/json").encode("latin-1")),
               (b"idempotent-replayed", b"true")]
    return found.status_code, headers, (found.response_body or "").encode("utf-8")


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a `receive` that hands it to the application again."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


async def _answer(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


__all__ = ["HEADER", "IdempotencyKeys", "claim", "settle"]
