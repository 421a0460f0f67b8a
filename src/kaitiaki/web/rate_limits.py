"""Per-client request limits on the anonymous ways in: the check API without an API token, the
public complaint form, and sign-in (the password form and the reset-link form).

Counted with the `limits` library (MIT, maintained since 2015) in a moving window, atomically:
in memory per worker process by default (a lock), or in Redis when KAITIAKI_RATE_LIMIT_STORAGE
names one (a Lua script), so that all workers and servers share one count. A client over its limit
is answered 429 with Retry-After before anything else runs: a JSON error on the API, a page on the
forms. The client is its address as uvicorn gives it, so behind a proxy the proxy must be trusted
(FORWARDED_ALLOW_IPS, see docs/operations.md) or every client counts as the proxy.

When the storage cannot be reached (Redis down), requests are let through and the failure is
logged: the sign-in and complaint throttles in the database still hold.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.aio.storage import Storage
from limits.storage import storage_from_string
from limits.aio.strategies import MovingWindowRateLimiter
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from kaitiaki.config import Settings
from kaitiaki.web.errors import error_response

log = logging.getLogger(__name__)

CHECK_API_PREFIX = "/api/v1/check"


@dataclass(frozen=True)
class Limited:
    """One kind of request that is counted, and what a person is told when over its limit."""

    name: str
    limits: tuple[RateLimitItem, ...]
    detail: str


def _storage(uri: str) -> Storage:
    if uri.startswith(("redis://", "rediss://")):
        # redis-py, already a dependency of `limits[redis]`, rather than a second client library.
        return storage_from_string(f"async+{uri}", implementation="redispy")
    return storage_from_string(f"async+{uri}")


class RateLimits:
    """Pure ASGI middleware: count the request against its client's limits, or answer 429."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.limiter = MovingWindowRateLimiter(_storage(settings.rate_limit_storage))
        again = "Nothing was sent. Wait {wait} and try again."
        self.check_api = Limited("check-api", tuple(parse_many(settings.rate_limit_check_api)),
                                 "Too many checks from your address in a short time. " + again
                                 + " For more, use a personal API token.")
        self.complaint = Limited("complaint-form",
                                 tuple(parse_many(settings.rate_limit_complaint_form)),
                                 "Too many complaints from your address in a short time. " + again
                                 + " Use your browser's Back button to return to what you wrote.")
        self.sign_in = Limited("sign-in", tuple(parse_many(settings.rate_limit_sign_in)),
                               "Too many sign-in attempts from your address in a short time. "
                               + again)

    def limited(self, scope: Scope) -> Limited | None:
        if scope.get("method") != "POST":
            return None
        path: str = scope.get("path", "")
        if path.startswith(CHECK_API_PREFIX):
            # A personal API token names who is asking: limits are for anonymous callers.
            headers = dict(scope.get("headers") or [])
            return None if headers.get(b"authorization") else self.check_api
        if path == "/complaints/new":
            return self.complaint
        if path in ("/login", "/login/forgot"):
            return self.sign_in
        return None

    async def wait_seconds(self, limited: Limited, client: str) -> int | None:
        """None when this request is within every limit (and is now counted); else how long to
        wait before the oldest counted request leaves the window."""
        try:
            for item in limited.limits:
                if not await self.limiter.hit(item, limited.name, client):
                    stats = await self.limiter.get_window_stats(item, limited.name, client)
                    return max(1, math.ceil(stats.reset_time - time.time()))
        except Exception as exc:  # noqa: BLE001 (any storage failure: let the request through)
            log.error("Rate limit storage failed, request let through: %s", exc)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limited = self.limited(scope) if scope["type"] == "http" else None
        if limited is None:
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = await self.wait_seconds(limited, client)
        if wait is None:
            await self.app(scope, receive, send)
            return
        log.info("Rate limit: %s from %s, retry in %s s", limited.name, client, wait)
        words = "1 second" if wait == 1 else (f"{wait} seconds" if wait < 120
                                              else f"{math.ceil(wait / 60)} minutes")
        response = error_response(Request(scope, receive), status_code=429, code="rate_limited",
                                  detail=limited.detail.format(wait=words))
        response.headers["Retry-After"] = str(wait)
        await response(scope, receive, send)


__all__ = ["RateLimits"]
