"""Admission control: a bounded number of requests in flight per worker process, decided before a
request takes a thread or a database connection.

Why: every sync route and dependency runs on AnyIO's thread pool (40 threads) and a request holds
its database connection while it waits for its next trip through that pool. Without a bound, a
burst fills the threads with requests waiting for a connection and the connections with requests
waiting for a thread, and everything stalls until the pool's timeout. With the bound below the
number of pooled connections, an admitted request always gets a connection and a thread; the
rest wait a short while on an async semaphore (no thread, no connection) and are then answered
503 with Retry-After, which clients and load balancers understand as "try again shortly".

The health check and static files are outside the bound (they must answer during a burst); the
anonymous check API, which needs no database but does need a thread for the checker, has its own
smaller bound so that it cannot crowd out people's work.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import anyio
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from kaitiaki.web.errors import busy_response

log = logging.getLogger(__name__)

UNBOUNDED_PATHS = ("/healthz",)
UNBOUNDED_PREFIXES = ("/static/",)
CHECK_API_PREFIX = "/api/v1/check"
BUSY_DETAIL = ("Kaitiaki is handling as many requests as it can right now. Nothing was changed; "
               "try again in a few seconds.")


@dataclass(frozen=True)
class AdmissionLimits:
    max_in_flight: int
    wait_seconds: float
    check_api_max_in_flight: int


class AdmissionControl:
    """Pure ASGI middleware: waits for a place (at most `wait_seconds`), or answers 503."""

    def __init__(self, app: ASGIApp, *, limits: AdmissionLimits) -> None:
        self.app = app
        self.limits = limits
        self._gates: dict[str, anyio.Semaphore] = {}

    def _gate(self, name: str, size: int) -> anyio.Semaphore:
        # Made on first use, inside the running event loop.
        gate = self._gates.get(name)
        if gate is None:
            gate = self._gates[name] = anyio.Semaphore(size)
        return gate

    def _gate_for(self, path: str) -> anyio.Semaphore | None:
        if path in UNBOUNDED_PATHS or path.startswith(UNBOUNDED_PREFIXES):
            return None
        if path.startswith(CHECK_API_PREFIX):
            return self._gate("check", self.limits.check_api_max_in_flight)
        return self._gate("main", self.limits.max_in_flight)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gate = self._gate_for(scope.get("path", ""))
        if gate is None:
            await self.app(scope, receive, send)
            return
        admitted = False
        with anyio.move_on_after(self.limits.wait_seconds):
            await gate.acquire()
            admitted = True
        if not admitted:
            log.warning("Busy: %s %s answered 503 after waiting %.1f s for a place",
                        scope.get("method"), scope.get("path"), self.limits.wait_seconds)
            response = busy_response(Request(scope, receive), detail=BUSY_DETAIL)
            await response(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            gate.release()


__all__ = ["AdmissionControl", "AdmissionLimits"]
