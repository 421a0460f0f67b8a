"""The shell's own pages: the dashboard, the glossary, the health check and the API documentation."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from kaitiaki.db import DatabaseUnavailable, check_connection
from kaitiaki.people.roles import ROLES
from kaitiaki.people.service import roles_of
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


@router.get("/glossary")
def glossary(request: Request) -> Response:
    """The words Kaitiaki uses, in plain language. Open to everyone, signed in or not."""
    return render(request, "glossary.html", {"roles": sorted(ROLES.values(), key=lambda r: r.title)})


@router.get("/healthz")
def healthz(request: Request) -> Response:
    """200 when the database answers, 503 when it does not (for load balancers and monitoring)."""
    try:
        check_connection(request.app.state.engine)
    except DatabaseUnavailable as exc:
        # The reason may name hosts; it goes to the log, not to whoever asked.
        log.error("Health check failed: %s", exc.detail)
        return JSONResponse(
            {"status": "unavailable", "database": "unavailable"}, status_code=503
        )
    return JSONResponse({"status": "ok", "database": "ok"})


@router.get("/api/docs")
def api_docs(request: Request) -> Response:
    """Swagger UI from vendored files (see web/security.py for this page's style policy)."""
    return render(request, "api_docs.html", {"openapi_url": request.app.openapi_url})


__all__ = ["router"]
