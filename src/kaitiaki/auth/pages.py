"""Sign-in and sign-out pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from kaitiaki.auth.service import GENERIC_FAILURE, sign_in, throttle_policy
from kaitiaki.auth.throttling import TooManyAttempts
from kaitiaki.config import Settings
from kaitiaki.notify.email import is_configured
from kaitiaki.auth.sessions import begin_session, client_address, end_this_session
from kaitiaki.web.deps import AppSettings, CurrentUser, DbSession
from kaitiaki.web.templating import render

router = APIRouter(include_in_schema=False)

SIGNED_OUT_NOTICE = "You have signed out."
PASSWORD_CHANGED_NOTICE = "Your password is changed, and you are signed out everywhere. Sign in with it."
PASSWORDS_OFF = "Sign-in with a password is switched off here: use the button below."


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (`//evil`, `/\\evil`, `https://...`)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def login_context(request: Request, *, next_path: str, email: str = "") -> dict[str, object]:
    """What the sign-in page shows: the password form unless it is switched off, and the
    identity provider's button when one is configured (kaitiaki.auth.oidc_pages)."""
    settings: Settings = request.app.state.settings
    single_sign_on = getattr(request.app.state, "single_sign_on", None) is not None
    return {
        "next": next_path,
        "email": email,
        "password_sign_in": settings.password_sign_in,
        # A reset link needs email to reach the person; without it an administrator sets one.
        "reset_by_email": settings.password_sign_in and is_configured(settings),
        "provider_name": settings.oidc_provider_name if single_sign_on else None,
    }


@router.get("/login")
def login_page(request: Request, user: CurrentUser, next: str = "/", signed_out: bool = False,
               password_changed: bool = False) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    context = login_context(request, next_path=safe_next(next))
    if signed_out:
        context["notice"] = SIGNED_OUT_NOTICE
    if password_changed:
        context["notice"] = PASSWORD_CHANGED_NOTICE
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
    context = login_context(request, next_path=safe_next(next), email=email.strip())
    if not settings.password_sign_in:
        context["error"] = PASSWORDS_OFF
        return render(request, "auth/login.html", context, status_code=403)
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
    begin_session(request, session, user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, session: DbSession) -> Response:
    end_this_session(request, session)
    return RedirectResponse("/login?signed_out=1", status_code=303)


__all__ = ["client_address", "login_context", "router", "safe_next"]
