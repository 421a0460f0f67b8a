"""Assembles the web application: middleware, error handling, routers, navigation and dashboard.

Features plug in here, explicitly: an `app.include_router(...)` line for their routes, a NavItem in
NAVIGATION for their pages and a Panel in DASHBOARD_PANELS for what they need people to notice.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import Depends, FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from kaitiaki import __version__
from kaitiaki.audit import pages as audit_pages
from kaitiaki.auth import oidc_pages
from kaitiaki.auth import pages as auth_pages
from kaitiaki.auth import reset_pages, session_pages, token_pages
from kaitiaki.check_service import api as check_api
from kaitiaki.check_service.api import load_packs
from kaitiaki.complaints import api as complaints_api
from kaitiaki.complaints import pages as complaints_pages
from kaitiaki.complaints import panels as complaints_panels
from kaitiaki.complaints import public_pages as complaints_public_pages
from kaitiaki.config import Settings, get_settings
from kaitiaki.db import engine_for, session_scope
from kaitiaki.moderation import api as moderation_api
from kaitiaki.moderation import pages as moderation_pages
from kaitiaki.notify import outbox_pages
from kaitiaki.notify import pages as notification_pages
from kaitiaki.oia import pages as oia_pages
from kaitiaki.oia.permissions import OIA_ROLES
from kaitiaki.people import pages as people_pages
from kaitiaki.people.passwords import configure_hashing
from kaitiaki.common.roles import ADMIN
from kaitiaki.publishing import api as publishing_api
from kaitiaki.publishing import calendar_pages as publishing_calendar_pages
from kaitiaki.publishing import pages as publishing_pages
from kaitiaki.publishing import review_pages as publishing_review_pages
from kaitiaki.publishing import schedule_pages as publishing_schedule_pages
from kaitiaki.register import api as register_api
from kaitiaki.register import pages as register_pages
from kaitiaki.register import people_pages as register_people_pages
from kaitiaki.register import request_pages as register_request_pages
from kaitiaki.reports import pages as report_pages
from kaitiaki.selfcheck import pages as selfcheck_pages
from kaitiaki.transparency import pages as transparency_pages
from kaitiaki.web import pages as shell_pages
from kaitiaki.web.body_limit import BodyLimitMiddleware
from kaitiaki.web.admission import AdmissionControl, AdmissionLimits
from kaitiaki.web.csrf import verify_csrf
from kaitiaki.web.dashboard import Dashboard, Panel
from kaitiaki.web.deps import abandon_if_client_gone
from kaitiaki.web.errors import ErrorBoundaryMiddleware, install_error_handlers
from kaitiaki.web.input_guard import InputGuardMiddleware
from kaitiaki.web.idempotency import IdempotencyKeys
from kaitiaki.web.navigation import NavItem
from kaitiaki.web.production import check_settings_for_serving
from kaitiaki.publishing import connection_pages
from kaitiaki.publishing.connections import refuse_without_key
from kaitiaki.web.rate_limits import RateLimits
from kaitiaki.web.security import SecurityHeadersMiddleware
from kaitiaki.web.templating import STATIC_DIR
from kaitiaki.timeutil import utcnow

SESSION_COOKIE = "kaitiaki_session"

NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Dashboard", "/"),
    NavItem("Channels", "/register"),
    NavItem("Moderation", "/moderation"),
    NavItem("Compose", "/compose"),
    NavItem("Calendar", "/calendar"),
    NavItem("Self-check", "/self-check"),
    NavItem("Guidance", "/guidance"),
    NavItem("Complaints", "/complaints"),
    NavItem("Your page", "/people/me"),
    NavItem("Notifications", "/notifications"),
    NavItem("Reports", "/reports", roles=report_pages.REPORT_ROLES),
    NavItem("OIA requests", "/oia", roles=OIA_ROLES),
    NavItem("Users", "/admin/users", roles=frozenset({ADMIN})),
    NavItem("Audit log", "/admin/audit", roles=frozenset({ADMIN})),
    NavItem("Outbox", "/admin/outbox", roles=frozenset({ADMIN})),
)

DASHBOARD_PANELS: tuple[Panel, ...] = (
    people_pages.ACCOUNT_CHANGES_PANEL,
    register_request_pages.PENDING_REQUESTS_PANEL,
    register_request_pages.FLAGGED_CHANNELS_PANEL,
    moderation_pages.QUEUES_PANEL,
    publishing_pages.EXCEPTIONS_PANEL,
    publishing_review_pages.REVIEWS_PANEL,
    publishing_pages.DRAFTS_PANEL,
    notification_pages.NOTIFICATIONS_PANEL,
    complaints_panels.COMPLAINTS_ESCALATED_PANEL,
    complaints_panels.COMPLAINTS_TO_HANDLE_PANEL,
    complaints_panels.COMPLAINTS_OVERDUE_PANEL,
)


def build_route_handlers(app: FastAPI) -> None:
    """Build every route's request handler now, before traffic. FastAPI builds those of an included
    router's routes when a request first looks through that router (analysing each route's
    parameters and dependencies again): about 0.2 s of CPU for all of Kaitiaki's, which the first
    requests to each worker would otherwise pay. Going through the routes' contexts builds them."""
    for _context in iter_route_contexts(app.routes):
        pass


def make_ready(app: FastAPI) -> None:
    """Load what requests need before the first arrives: the policy packs with their models, and
    every route's handler. Otherwise the first requests each wait seconds for them, long enough for
    a busy server to answer them 503. Done by the lifespan, unless it was done once before the
    workers were forked from one process (kaitiaki.web.preforked)."""
    if getattr(app.state, "packs", None) is None:
        app.state.packs = load_packs(app.state.settings.policy_pack)
        build_route_handlers(app)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    # Resolved now so that a missing production key stops start-up with a clear message.
    secret_key = settings.resolved_secret_key()
    configure_hashing(settings)
    check_settings_for_serving(settings)
    https = settings.base_url.startswith("https://")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = engine_for(settings)
        with session_scope(app.state.engine, write=False) as session:
            refuse_without_key(session, settings)
        await anyio.to_thread.run_sync(make_ready, app)
        # What start-up built (the application, the packs, the models: about 240,000 objects)
        # lives as long as the worker, so it is kept out of the garbage collector's full sweeps,
        # each of which would otherwise walk it and stop every request for 100 ms or more.
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            app.state.engine.dispose()

    app = FastAPI(
        title="Kaitiaki",
        version=__version__,
        description="Puts the agency's social media policy into practice.",
        docs_url=None,  # served from vendored files by kaitiaki.web.pages
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
        dependencies=[Depends(abandon_if_client_gone), Depends(verify_csrf)],
    )
    app.state.settings = settings
    # Sign-in sessions' idle and absolute timeouts read the time here, so tests can fix it.
    app.state.clock = utcnow
    app.state.single_sign_on = oidc_pages.single_sign_on(settings)
    app.state.navigation = NAVIGATION
    app.state.dashboard = Dashboard(DASHBOARD_PANELS)

    install_error_handlers(app)
    # Added innermost first: headers wrap everything, the session wraps the error boundary so
    # that error pages can still read it.
    app.add_middleware(ErrorBoundaryMiddleware)
    # Outermost to innermost below the session: the body limit answers an oversized request at
    # once; admission control (cheap, no thread) bounds the requests in flight before anything
    # takes a thread or a database connection; the input guard and the idempotency keys read the
    # admitted request's body.
    app.add_middleware(IdempotencyKeys)
    app.add_middleware(InputGuardMiddleware)
    app.add_middleware(AdmissionControl, limits=AdmissionLimits(
        max_in_flight=settings.max_in_flight, wait_seconds=settings.admission_wait_seconds,
        check_api_max_in_flight=settings.check_api_max_in_flight))
    # Over its limit, a client is answered before it waits for a place or sends its body on.
    app.add_middleware(RateLimits, settings=settings)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes,
                       upload_max_bytes=settings.import_max_bytes)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=https,
    )
    app.add_middleware(SecurityHeadersMiddleware, https_only=https)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(shell_pages.router)
    app.include_router(auth_pages.router)
    app.include_router(oidc_pages.router)
    app.include_router(reset_pages.router)
    app.include_router(people_pages.router)
    app.include_router(audit_pages.router)
    app.include_router(check_api.router)
    app.include_router(register_pages.router)
    app.include_router(register_request_pages.router)
    app.include_router(register_people_pages.router)
    app.include_router(register_api.router)
    app.include_router(moderation_pages.router)
    app.include_router(moderation_api.router)
    app.include_router(token_pages.router)
    app.include_router(session_pages.router)
    app.include_router(publishing_pages.router)
    app.include_router(connection_pages.router)
    app.include_router(publishing_review_pages.router)
    app.include_router(publishing_calendar_pages.router)
    app.include_router(publishing_schedule_pages.router)
    app.include_router(publishing_api.router)
    app.include_router(selfcheck_pages.router)
    # The public form first: its fixed paths must win over /complaints/{reference}.
    app.include_router(complaints_public_pages.router)
    app.include_router(complaints_pages.router)
    app.include_router(complaints_api.router)
    app.include_router(notification_pages.router)
    app.include_router(outbox_pages.router)
    app.include_router(transparency_pages.router)
    app.include_router(report_pages.router)
    app.include_router(oia_pages.router)
    return app


__all__ = ["DASHBOARD_PANELS", "NAVIGATION", "SESSION_COOKIE", "create_app"]
