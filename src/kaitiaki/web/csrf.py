"""CSRF protection: a per-session secret token that every state-changing request must echo.

The token lives in the signed session cookie. Forms send it as the hidden field `csrf_token`
(templates call `csrf_field()`); htmx sends it as the `X-CSRF-Token` header (base.html sets
`hx-headers` on the body). `verify_csrf` is installed as an application-wide dependency, so every
route, including those added later, is covered without opting in.

Requests whose body is `application/json` are exempt: a browser cannot send JSON to another site
without a CORS preflight, and Kaitiaki enables no CORS, so those requests cannot be forged from
another origin. Form-encoded, multipart and plain-text bodies, which a hostile page can send, always
need the token, except on /api/ requests that carry a personal API token as `Authorization: Bearer`.
"""

from __future__ import annotations

import secrets

from fastapi import Request

from kaitiaki.common.api_tokens import bearer_token
from kaitiaki.errors import NotPermitted

SESSION_KEY = "csrf_token"
FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CsrfRejected(NotPermitted):
    """The form's token is missing, stale or forged. The fix for a person is to reload the form."""

    code = "csrf_failed"

    def __init__(self) -> None:
        super().__init__(
            "This form has expired or did not come from this site. "
            "Reload the page and submit the form again."
        )


def csrf_token(request: Request) -> str:
    """This session's token, created on first use."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


def rotate_csrf_token(request: Request) -> str:
    """A fresh token, used when the person signing in changes (login fixation defence)."""
    request.session.pop(SESSION_KEY, None)
    return csrf_token(request)


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def verify_csrf(request: Request) -> None:
    """Refuse an unsafe request that does not carry this session's token."""
    if request.method in SAFE_METHODS or _media_type(request) == "application/json":
        return
    if request.url.path.startswith("/api/") and bearer_token(request.headers.get("authorization")):
        # A personal API token (kaitiaki.auth.tokens) is the proof: browsers never add an
        # Authorization header to a cross-site request on their own.
        return
    expected = request.session.get(SESSION_KEY)
    sent = request.headers.get(HEADER)
    if sent is None and _media_type(request) in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        # FastAPI caches the parsed form on the request, so the route reads the same data.
        form = await request.form()
        value = form.get(FORM_FIELD)
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not sent or not secrets.compare_digest(expected, sent):
        raise CsrfRejected()
