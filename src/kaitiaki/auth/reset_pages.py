"""The "Forgot your password?" pages: ask for a link by email, then choose a new password.

Both are off (404) when local passwords are switched off (KAITIAKI_PASSWORD_SIGN_IN=false): people
then reset their password at the identity provider.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from kaitiaki.auth.password_resets import (
    RESET_PATH, ResetLinkUnusable, request_reset, reset_password, usable_token,
)
from kaitiaki.errors import AppError, BadInput, FieldError, NotFound
from kaitiaki.web.deps import AppSettings, DbSession, Work
from kaitiaki.web.forms import Done, handle_form
from kaitiaki.web.templating import render

router = APIRouter(include_in_schema=False)

FORGOT_PATH = "/login/forgot"
SENT_NOTICE = ("If there is a Kaitiaki account for that address, we have emailed it a link to "
               "choose a new password. The link works once, for {minutes} minutes. Nothing "
               "arrived? Check your junk folder, or ask an administrator.")


def _require_passwords(settings: AppSettings) -> None:
    if not settings.password_sign_in:
        raise NotFound("Passwords are not used here: reset yours with your agency account.")


@router.get(FORGOT_PATH)
def forgot_page(request: Request, settings: AppSettings) -> Response:
    _require_passwords(settings)
    return render(request, "auth/forgot.html", {"email": "", "sent": None})


@router.post(FORGOT_PATH)
def ask_for_link(request: Request, session: DbSession, settings: AppSettings,
                 email: Annotated[str, Form(max_length=320)] = "") -> Response:
    _require_passwords(settings)
    email = email.strip()
    if "@" not in email:
        message = "Enter your email address, like name@agency.govt.nz."
        error = BadInput(message, fields=[FieldError(["email"], message)])
        return render(request, "auth/forgot.html",
                      {"email": email, "sent": None, "error": error,
                       "errors": {"email": message}}, status_code=error.status_code)
    request_reset(session, settings, email=email, now=request.app.state.clock())
    sent = SENT_NOTICE.format(minutes=settings.password_reset_minutes)
    return render(request, "auth/forgot.html", {"email": "", "sent": sent})


def _reset_form(request: Request, token: str, *, error: AppError | None = None,
                status_code: int = 200) -> Response:
    context = {"action": f"{RESET_PATH}/{token}", "error": error,
               "errors": {str(f.loc[-1]): f.msg for f in error.fields} if error else {},
               "unusable": isinstance(error, ResetLinkUnusable)}
    return render(request, "auth/reset.html", context, status_code=status_code)


@router.get(RESET_PATH + "/{token}")
def reset_page(request: Request, session: DbSession, settings: AppSettings, token: str) -> Response:
    _require_passwords(settings)
    try:
        usable_token(session, token, now=request.app.state.clock())
    except ResetLinkUnusable as exc:
        return _reset_form(request, token, error=exc, status_code=exc.status_code)
    return _reset_form(request, token)


@router.post(RESET_PATH + "/{token}")
def choose_password(request: Request, work: Work, settings: AppSettings, token: str,
                    password: Annotated[str, Form(max_length=4096)] = "") -> Response:
    _require_passwords(settings)

    def change() -> Done:
        reset_password(work.session, settings, token=token, password=password, now=work.now())
        # Whoever had a session before the reset is out; this browser signs in afresh.
        request.session.clear()
        return Done("", "/login?password_changed=1")

    return handle_form(request, work, change, lambda exc: _reset_form(
        request, token, error=exc, status_code=exc.status_code))


__all__ = ["FORGOT_PATH", "router"]
