"""The shell's own pages: the dashboard, the glossary, the health check and the API documentation."""

from __future__ import annotations

import logging

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from kaitiaki.db import DatabaseUnavailable, check_connection
from kaitiaki.common.access import roles_of
from kaitiaki.common.roles import ROLES
from kaitiaki.web.deps import DbSession, RequiredUser
from kaitiaki.web.templating import render

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)


@router.get("/")
def dashboard(request: Request, session: DbSession, user: RequiredUser) -> Response:
    roles = request.state.roles
    views = request.app.state.dashboard.views_for(session, user, roles, request.app.state.settings)
    return render(
        request,
        "dashboard/index.html",
        {"views": views, "role_assignments": roles_of(session, user)},
    )


# The health check has threads of its own, so it answers while a burst holds the shared ones,
# and a time limit, so a database that hangs gives a fast 503 rather than a timeout.
HEALTH_THREADS = 2
HEALTH_TIMEOUT_SECONDS = 3.0


def _limiter(request: Request) -> anyio.CapacityLimiter:
    limiter = getattr(request.app.state, "health_limiter", None)
    if limiter is None:  # made on first use, inside the running event loop
        limiter = request.app.state.health_limiter = anyio.CapacityLimiter(HEALTH_THREADS)
    return limiter


@router.get("/glossary")
def glossary(request: Request) -> Response:
    """The words Kaitiaki uses, in plain language. Open to everyone, signed in or not."""
    return render(request, "glossary.html", {"roles": sorted(ROLES.values(), key=lambda r: r.title)})


@router.get("/healthz")
async def healthz(request: Request) -> Response:
    """200 when the database answers, 503 when it does not (for load balancers and monitoring)."""
    unavailable = JSONResponse({"status": "unavailable", "database": "unavailable"},
                               status_code=503, headers={"Retry-After": "5"})
    try:
        with anyio.fail_after(HEALTH_TIMEOUT_SECONDS):
            await anyio.to_thread.run_sync(check_connection, request.app.state.engine,
                                           limiter=_limiter(request), abandon_on_cancel=True)
    except DatabaseUnavailable as exc:
        # The reason may name hosts; it goes to the log, not to whoever asked.
        log.error("Health check failed: %s", exc.detail)
        return unavailable
    except TimeoutError:
        log.error("Health check failed: the database did not answer within %.0f s",
                  HEALTH_TIMEOUT_SECONDS)
        return unavailable
    return JSONResponse({"status": "ok", "database": "ok"})


@router.get("/api/docs")
def api_docs(request: Request) -> Response:
    """Swagger UI from vendored files (see web/security.py for this page's style policy)."""
    return render(request, "api_docs.html", {"openapi_url": request.app.openapi_url})


__all__ = ["router"]
