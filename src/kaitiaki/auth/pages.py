"""Sign-in and sign-out pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from kaitiaki.auth.service import GENERIC_FAILURE, sign_in, throttle_policy
from kaitiaki.auth.throttling import TooManyAttempts
from kaitiaki.web.csrf import rotate_csrf_token
from kaitiaki.web.deps import SESSION_USER_KEY, AppSettings, CurrentUser, DbSession
from kaitiaki.web.templating import render

router = APIRouter(include_in_schema=False)

SIGNED_OUT_NOTICE = "You have signed out."
UNKNOWN_ADDRESS = "unknown"


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (`//evil`, `/\\evil`, `https://...`)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def client_address(request: Request) -> str:
    return request.client.host if request.client else UNKNOWN_ADDRESS


@router.get("/login")
def login_page(request: Request, user: CurrentUser, next: str = "/", signed_out: bool = False) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    context: dict[str, object] = {"next": safe_next(next), "email": ""}
    if signed_out:
        context["notice"] = SIGNED_OUT_NOTICE
    return render(request, "auth/login.html", context)


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=4096)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    context = {"next": safe_next(next), "email": email.strip()}
    try:
        user = sign_in(
            session,
            email=email,
            password=password,
            address=client_address(request),
            policy=throttle_policy(settings),
        )
    except TooManyAttempts as exc:
        return render(request, "auth/login.html", {**context, "error": exc.detail}, status_code=429)
    if user is None:
        # The failed attempt is recorded and committed: this is a normal response, not an error.
        return render(request, "auth/login.html", {**context, "error": GENERIC_FAILURE}, status_code=400)
    request.session.clear()
    request.session[SESSION_USER_KEY] = user.id
    rotate_csrf_token(request)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login?signed_out=1", status_code=303)


__all__ = ["client_address", "router", "safe_next"]
