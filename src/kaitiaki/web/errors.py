"""One error handler for the whole application: it picks an HTML page, an htmx partial or JSON.

JSON (API paths and clients asking for JSON):
    {"error": "<code>", "detail": "<safe sentence>", "fields": [{"loc": [...], "msg": "...", "type": "..."}]}
HTML: the 403 / 404 / 500 pages (or a general one for other statuses), never a stack trace.
htmx: a small alert fragment, retargeted to the page's `#flash` live region so a failed request
never replaces the form the person is filling in.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as SqlAlchemyTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kaitiaki.db import is_busy_error
from kaitiaki.errors import AppError, FieldError
from kaitiaki.web.templating import render

log = logging.getLogger(__name__)

HTTP_CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "The request could not be understood."),
    401: ("not_signed_in", "Sign in to continue."),
    403: ("not_permitted", "You do not have permission to do that."),
    404: ("not_found", "We could not find that page."),
    405: ("method_not_allowed", "That action is not available at this address."),
    413: ("too_large", "The request is too large."),
    500: ("server_error", "Something went wrong on our side. It has been logged; try again shortly."),
    503: ("unavailable", "The service is not available right now. Try again shortly."),
}
PAGE_TEMPLATES: dict[int, str] = {
    403: "errors/403.html",
    404: "errors/404.html",
    500: "errors/500.html",
}
FLASH_TARGET = "#flash"
# Seconds a client is asked to wait after a 503: long enough for a burst to drain.
RETRY_AFTER_SECONDS = 2
BUSY_DETAIL = ("Kaitiaki is busy right now and nothing was changed. Try again in a few seconds.")


class NotSignedIn(AppError):
    status_code = 401
    code = "not_signed_in"

    def __init__(self, detail: str = "Sign in to continue.") -> None:
        super().__init__(detail)


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request", "").lower() == "true"


def wants_json(request: Request) -> bool:
    """API paths always answer JSON; elsewhere a client that asks for JSON over HTML gets it."""
    path = request.url.path
    if path.startswith("/api/") and path != "/api/docs":
        return True
    accept = request.headers.get("accept", "").lower()
    return "application/json" in accept and "text/html" not in accept


def error_response(
    request: Request,
    *,
    status_code: int,
    code: str,
    detail: str,
    fields: list[FieldError] | None = None,
) -> Response:
    """The one place that turns an error into a response in the format the client wants."""
    fields = fields or []
    if wants_json(request):
        body = {"error": code, "detail": detail, "fields": [f.as_dict() for f in fields]}
        return JSONResponse(body, status_code=status_code)
    context = {"status_code": status_code, "code": code, "detail": detail, "fields": fields}
    if is_htmx(request):
        response = render(request, "partials/error.html", context, status_code=status_code)
        response.headers["HX-Retarget"] = FLASH_TARGET
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    template = PAGE_TEMPLATES.get(status_code, "errors/error.html")
    return render(request, template, context, status_code=status_code)


def _sign_in_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = "/login?" + urlencode({"next": target})
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


async def handle_app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    if isinstance(exc, NotSignedIn) and not wants_json(request):
        return _sign_in_redirect(request)
    if exc.status_code >= 500:
        log.error("%s on %s %s: %s", exc.code, request.method, request.url.path, exc.detail)
    response = error_response(
        request, status_code=exc.status_code, code=exc.code, detail=exc.detail, fields=exc.fields
    )
    if exc.status_code == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def busy_response(request: Request, *, detail: str = BUSY_DETAIL,
                  retry_after: int = RETRY_AFTER_SECONDS) -> Response:
    """503 with Retry-After: the request may simply be sent again shortly."""
    response = error_response(request, status_code=503, code="busy", detail=detail)
    response.headers["Retry-After"] = str(retry_after)
    return response


async def handle_database_error(request: Request, exc: Exception) -> Response:
    """A database too busy to answer in time (SQLite's lock wait ran out, no pooled connection
    came free) is a 503 the client may retry; any other database failure stays a 500."""
    if not is_busy_error(exc):
        raise exc
    log.warning("Database busy on %s %s: %s", request.method, request.url.path,
                str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return busy_response(request)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code, detail = HTTP_CODES.get(exc.status_code, ("http_error", "The request failed."))
    response = error_response(request, status_code=exc.status_code, code=code, detail=detail)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if exc.errors() and all(err.get("loc", ("",))[0] == "path" for err in exc.errors()):
        # An address whose id is not a number names no page.
        code, detail = HTTP_CODES[404]
        return error_response(request, status_code=404, code=code, detail=detail)
    fields = [
        FieldError(loc=list(err.get("loc", ())), msg=str(err.get("msg", "")), type=str(err.get("type", "")))
        for err in exc.errors()
    ]
    return error_response(
        request,
        status_code=422,
        code="bad_input",
        detail="Some of the information sent is missing or not valid.",
        fields=fields,
    )


async def handle_out_of_range(request: Request, exc: Exception) -> Response:
    """A value the database (or date arithmetic) cannot hold: a number past the column's range,
    a day past year 9999. The edge checks stop the known cases; this keeps any other one a 422
    instead of a 500. The message names the exception type only: its text may quote the data."""
    log.warning("Out-of-range input on %s %s: %s", request.method, request.url.path,
                type(exc).__name__)
    return error_response(
        request,
        status_code=422,
        code="bad_input",
        detail="A value sent is out of the range Kaitiaki can store (a number or a date too "
               "large); correct it and send again.",
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, handle_app_error)
    app.add_exception_handler(DataError, handle_out_of_range)
    app.add_exception_handler(OverflowError, handle_out_of_range)
    app.add_exception_handler(StarletteHTTPException, handle_http_exception)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(OperationalError, handle_database_error)
    app.add_exception_handler(SqlAlchemyTimeout, handle_database_error)


class ErrorBoundaryMiddleware:
    """Turns an unexpected exception into the 500 page (or JSON), logged with its traceback.

    Starlette's own fallback sits outside every middleware, so its responses would miss the
    security headers; this boundary sits inside the headers middleware and answers first.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("Unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            request = Request(scope, receive)
            code, detail = HTTP_CODES[500]
            response = error_response(request, status_code=500, code=code, detail=detail)
            await response(scope, receive, send)
