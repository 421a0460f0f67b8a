"""The person's own sign-in sessions: where they are signed in, ending one, and changing their
password (which signs them out everywhere else)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kaitiaki.auth.service import sign_in, throttle_policy
from kaitiaki.auth.sessions import client_address, timeouts
from kaitiaki.common import sign_in_sessions
from kaitiaki.common.sign_in_sessions import current_session_id
from kaitiaki.errors import AppError, BadInput, FieldError, NotFound
from kaitiaki.models import User
from kaitiaki.people.service import set_password
from kaitiaki.web.deps import AppSettings, DbSession, RequiredUser, Work
from kaitiaki.web.forms import Done, handle_form
from kaitiaki.web.templating import flash, render

router = APIRouter(prefix="/people/me", include_in_schema=False)

WRONG_PASSWORD = "Your current password is not correct."


def _page(request: Request, session: Session, user: User, *, error: AppError | None = None,
          status_code: int = 200) -> Response:
    context = {
        "open_sessions": sign_in_sessions.active_for_user(
            session, user.id, timeouts=timeouts(request), now=request.app.state.clock()),
        "this_session": current_session_id(request),
        "password_sign_in": request.app.state.settings.password_sign_in,
        "error": error,
        "errors": {str(f.loc[-1]): f.msg for f in error.fields} if error else {},
    }
    return render(request, "auth/sessions.html", context, status_code=status_code)


@router.get("/sessions")
def sessions_page(request: Request, session: DbSession, user: RequiredUser) -> Response:
    return _page(request, session, user)


@router.post("/sessions/{session_id}/end")
def end_session(request: Request, session: DbSession, user: RequiredUser, session_id: int) -> Response:
    found = next((row for row in sign_in_sessions.active_for_user(
        session, user.id, timeouts=timeouts(request), now=request.app.state.clock())
        if row.id == session_id), None)
    if found is None:
        raise NotFound("You have no open session with that number; it may have ended already.")
    sign_in_sessions.end(session, found, reason=sign_in_sessions.ENDED_BY_OWNER,
                         now=request.app.state.clock())
    if found.id == current_session_id(request):
        request.session.clear()
        return RedirectResponse("/login?signed_out=1", status_code=303)
    flash(request, f"Signed out of {found.device}.")
    return RedirectResponse("/people/me/sessions", status_code=303)


@router.post("/password")
def change_password(
    request: Request,
    work: Work,
    user: RequiredUser,
    settings: AppSettings,
    current_password: Annotated[str, Form(max_length=4096)] = "",
    new_password: Annotated[str, Form(max_length=4096)] = "",
) -> Response:
    if not settings.password_sign_in:
        raise NotFound("Passwords are not used here: you sign in through your agency account.")

    # Checked as a sign-in is, and counted by its throttle: whoever holds a stolen session must
    # not be able to guess the password here. The failure is recorded (committed), not rolled back.
    if sign_in(work.session, email=user.email, password=current_password,
               address=client_address(request), policy=throttle_policy(settings)) is None:
        error = BadInput(WRONG_PASSWORD, fields=[FieldError(["current_password"], WRONG_PASSWORD)])
        return _page(request, work.session, user, error=error, status_code=error.status_code)

    def change() -> Done:
        try:
            set_password(work.session, email=user.email, password=new_password, actor=user.email,
                         password_min_length=settings.password_min_length,
                         keep_session=current_session_id(request))
        except BadInput as exc:  # the rules of a password, told by the new one's field
            raise BadInput(exc.detail, fields=[FieldError(["new_password"], field.msg)
                                               for field in exc.fields]) from exc
        return Done("Your password is changed. Every other browser signed in as you is signed "
                    "out.", "/people/me/sessions")

    return handle_form(request, work, change, lambda exc: _page(
        request, work.session, user, error=exc, status_code=exc.status_code))


__all__ = ["router"]
