"""Security headers on every response.

The Content-Security-Policy allows scripts and styles from this origin only: no inline script, no
inline style, no eval. htmx is configured (see base.html's htmx-config meta) not to inject its
indicator style and not to evaluate attributes, so it runs under this policy unchanged. The API
documentation (Swagger UI 5, vendored) runs under the same policy: it is started from a script file
and sets styles only through the DOM, which style-src does not govern, so no route needs a wider
policy. The browser tests fail on any policy violation the console reports.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BASE_POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def render_policy(policy: dict[str, str]) -> str:
    return "; ".join(f"{directive} {value}" for directive, value in policy.items())


CONTENT_SECURITY_POLICY = render_policy(BASE_POLICY)


def security_headers(*, https_only: bool) -> Iterable[tuple[str, str]]:
    """The headers every response carries."""
    yield "Content-Security-Policy", CONTENT_SECURITY_POLICY
    yield "Referrer-Policy", "same-origin"
    yield "X-Content-Type-Options", "nosniff"
    # Older browsers ignore frame-ancestors; X-Frame-Options covers them.
    yield "X-Frame-Options", "DENY"
    yield "Cross-Origin-Opener-Policy", "same-origin"
    yield "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
    if https_only:
        yield "Strict-Transport-Security", "max-age=31536000; includeSubDomains"


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response, and keeps signed-in pages out of caches."""

    def __init__(self, app: ASGIApp, *, https_only: bool = False) -> None:
        self.app = app
        self.https_only = https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in security_headers(https_only=self.https_only):
                    headers[name] = value
                # Pages may show personal information; static assets are the only thing worth caching.
                if not path.startswith("/static/") and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
