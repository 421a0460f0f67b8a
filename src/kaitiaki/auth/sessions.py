"""Starting and ending the browser's sign-in session (kaitiaki.common.sign_in_sessions).

The signed cookie (Starlette's SessionMiddleware) carries the session's random secret, and beside
it the CSRF token, the flash message and the identity provider's pending sign-in. Those stay in
the cookie rather than in the session row because they are needed before anyone has signed in
(the sign-in and public complaint forms need a CSRF token, the provider's round trip needs its
state) and a flash message would otherwise cost a database write on every redirect; they grant
nothing by themselves. Who is signed in is decided only by the row, so ending the row ends the
session everywhere its cookie was copied to.
"""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from kaitiaki.common import sign_in_sessions
from kaitiaki.common.sign_in_sessions import SessionTimeouts
from kaitiaki.config import Settings
from kaitiaki.models import User, UserSession
from kaitiaki.web.csrf import rotate_csrf_token
from kaitiaki.web.deps import SESSION_ID_KEY

UNKNOWN_ADDRESS = "unknown"


def client_address(request: Request) -> str:
    return request.client.host if request.client else UNKNOWN_ADDRESS


def timeouts(request: Request) -> SessionTimeouts:
    settings: Settings = request.app.state.settings
    return SessionTimeouts.from_settings(settings)


def begin_session(request: Request, session: Session, user: User) -> UserSession:
    """Sign `user` in in this browser: a new session row, its secret in a fresh cookie and a new
    CSRF token (whatever the cookie held before is dropped: no session fixation)."""
    secret, row = sign_in_sessions.start(
        session, user, timeouts=timeouts(request), now=request.app.state.clock(),
        user_agent=request.headers.get("user-agent", ""), address=client_address(request))
    request.session.clear()
    request.session[SESSION_ID_KEY] = secret
    rotate_csrf_token(request)
    return row


def end_this_session(request: Request, session: Session) -> None:
    """Sign out in this browser: the row is ended, so a copy of the cookie is refused too."""
    row = sign_in_sessions.find_active(session, request.session.get(SESSION_ID_KEY),
                                       timeouts=timeouts(request), now=request.app.state.clock())
    if row is not None:
        sign_in_sessions.end(session, row, reason=sign_in_sessions.SIGNED_OUT,
                             now=request.app.state.clock())
    request.session.clear()


__all__ = ["begin_session", "client_address", "end_this_session", "timeouts"]
