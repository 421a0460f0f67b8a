"""Request dependencies: the unit of work, the settings and the signed-in person.

Use the annotated aliases (`Work`, `DbSession`, `CurrentUser`, `RequiredUser`, `AppSettings`) in
routes. `Work` (kaitiaki.common.work) is made once per request, in one trip through the thread
pool that also loads the signed-in person; the others are parts of it, handed over on the event
loop. It is function-scoped: the request's session commits when the route returns and before the
response is sent, so a redirect after a POST always shows the committed data, and a failed commit
becomes an error response instead of a silent loss.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import BackgroundTasks, Depends, Request
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.common.access import get_user, roles_of
from kaitiaki.common import sign_in_sessions
from kaitiaki.common.api_tokens import bearer_token, user_for_token
from kaitiaki.common.sign_in_sessions import SessionTimeouts
from kaitiaki.common.work import UnitOfWork
from kaitiaki.config import Settings
from kaitiaki.db import session_scope
from kaitiaki.errors import AppError
from kaitiaki.models import User
from kaitiaki.notify.delivery import deliver_due
from kaitiaki.timeutil import utcnow
from kaitiaki.web.errors import NotSignedIn

# The signed cookie's key for the sign-in session's secret (kaitiaki.common.sign_in_sessions).
SESSION_ID_KEY = "sid"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Viewer:
    """What the page layout shows about the signed-in person. A plain copy, not the ORM row, so
    that error pages can still show it after the request's session has been rolled back."""

    id: int
    email: str
    name: str


BODYLESS_METHODS = frozenset({"GET", "HEAD"})


class ClientGone(AppError):
    """The client closed the connection while the request waited (for a place, for its body)."""

    status_code = 499
    code = "client_closed_request"

    def __init__(self) -> None:
        super().__init__("The connection was closed before the request was handled.")


async def abandon_if_client_gone(request: Request) -> None:
    """An application-wide dependency, solved before the request's session: a request whose
    client has gone (it gave up while waiting during a burst) does not start database work.

    Looking for the disconnect reads the next message from the client, so it is done only when
    that cannot be a piece of the body a route has still to read: a GET or HEAD, or a body that
    has been read already (FastAPI reads declared bodies and forms before dependencies)."""
    body_read = getattr(request, "_stream_consumed", False)
    if (request.method in BODYLESS_METHODS or body_read) and await request.is_disconnected():
        raise ClientGone()


# Requests that change nothing read without taking SQLite's write lock (WAL readers never wait).
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_work(request: Request, background: BackgroundTasks) -> Iterator[UnitOfWork]:
    """The request's unit of work, made in one trip through the thread pool: the session opened,
    the signed-in person loaded, and (after the route) committed, before the response is sent.
    Emails the route queued are tried at once after the response; a worker delivers the rest."""
    write = request.method not in READ_ONLY_METHODS
    state = request.app.state
    with session_scope(state.engine, write=write) as session:
        if write:
            audit.defer_until_commit(session)  # the audit log's lock only for the commit
        work = UnitOfWork(session, state.settings, packs=lambda: state.packs,
                          clock=getattr(state, "clock", utcnow))
        work.user = _signed_in(request, session)
        yield work
    if work.outbox.written:
        background.add_task(_deliver_now, state.engine, state.settings)


def _deliver_now(engine: Engine, settings: Settings) -> None:
    try:
        deliver_due(engine, settings)
    except SQLAlchemyError as exc:
        log.warning("Delivering the outbox after a request failed; a worker will: %s", exc)


Work = Annotated[UnitOfWork, Depends(get_work, scope="function")]


# Dependencies that do no I/O are async: FastAPI runs them on the event loop instead of sending
# each through the thread pool, where a request would queue behind others between its steps.
async def get_session(work: Work) -> Session:
    return work.session


DbSession = Annotated[Session, Depends(get_session)]


async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


AppSettings = Annotated[Settings, Depends(get_app_settings)]


def _signed_in(request: Request, session: Session) -> User | None:
    """The signed-in person, or None. A session that was ended or timed out, or whose person was
    deactivated, is signed out at once.
    On /api/ paths a personal API token (`Authorization: Bearer ...`, kaitiaki.auth.tokens)
    stands in for the session; an invalid token is refused (when the route asks who is signed
    in), never ignored."""
    on_api = request.url.path.startswith("/api/")
    secret = bearer_token(request.headers.get("authorization")) if on_api else None
    if secret is not None:
        try:
            token_user = user_for_token(session, secret)
        except AppError as exc:
            request.state.token_refused = exc
            return None
        request.state.user = Viewer(id=token_user.id, email=token_user.email, name=token_user.name)
        request.state.roles = frozenset(role for role, _unit in roles_of(session, token_user))
        return token_user
    secret = request.session.get(SESSION_ID_KEY)
    if secret is None:
        return None
    settings: Settings = request.app.state.settings
    now = request.app.state.clock()
    found = sign_in_sessions.find_active(
        session, secret, timeouts=SessionTimeouts.from_settings(settings), now=now)
    user = get_user(session, found.user_id) if found is not None else None
    if found is None or user is None or not user.is_active or user.left_at is not None:
        request.session.clear()
        return None
    request.state.session_id = found.id
    writing = request.method not in READ_ONLY_METHODS
    sign_in_sessions.touch(session, found, now=now,
                           engine=None if writing else request.app.state.engine)
    request.state.user = Viewer(id=user.id, email=user.email, name=user.name)
    request.state.roles = frozenset(role for role, _unit in roles_of(session, user))
    return user


async def current_user(request: Request, work: Work) -> User | None:
    refused = getattr(request.state, "token_refused", None)
    if refused is not None:
        raise refused
    return work.user


CurrentUser = Annotated[User | None, Depends(current_user)]


async def require_user(user: CurrentUser) -> User:
    if user is None:
        raise NotSignedIn()
    return user


RequiredUser = Annotated[User, Depends(require_user)]


__all__ = [
    "AppSettings",
    "ClientGone",
    "abandon_if_client_gone",
    "CurrentUser",
    "DbSession",
    "RequiredUser",
    "SESSION_ID_KEY",
    "Viewer",
    "Work",
    "current_user",
    "get_app_settings",
    "get_session",
    "get_work",
    "require_user",
]
