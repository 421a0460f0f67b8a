"""The person's API tokens page: create one (shown once), see when each was last used, revoke."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kaitiaki.auth import tokens
from kaitiaki.common.forms import parse_id
from kaitiaki.errors import AppError
from kaitiaki.models import User
from kaitiaki.timeutil import utcnow
from kaitiaki.web.deps import DbSession, RequiredUser
from kaitiaki.web.templating import flash, render

router = APIRouter(prefix="/people/me/tokens", include_in_schema=False)


def _page(request: Request, session: Session, user: User, *, created: str | None = None,
          error: AppError | None = None, form: dict | None = None, status_code: int = 200) -> Response:
    context = {
        "tokens": tokens.tokens_of(session, user), "now": utcnow(), "created": created,
        "error": error, "errors": {str(f.loc[-1]): f.msg for f in error.fields} if error else {},
        "form": form or {"name": "", "expires_in_days": str(tokens.DEFAULT_EXPIRY_DAYS)},
        "expiry_choices": tokens.EXPIRY_CHOICES_DAYS,
    }
    return render(request, "auth/tokens.html", context, status_code=status_code)


@router.get("")
def tokens_page(request: Request, session: DbSession, user: RequiredUser) -> Response:
    return _page(request, session, user)


@router.post("")
async def create(request: Request, session: DbSession, user: RequiredUser) -> Response:
    submitted = await request.form()
    form = {"name": str(submitted.get("name") or "")[:200],
            "expires_in_days": str(submitted.get("expires_in_days") or "")[:10]}
    days = parse_id(form["expires_in_days"]) or 0  # a whole number of days; anything else is refused
    try:
        _token, secret = tokens.create_token(session, user=user, name=form["name"],
                                             expires_in_days=days)
    except AppError as exc:
        session.rollback()
        return _page(request, session, user, error=exc, form=form, status_code=exc.status_code)
    # Shown on this response only; the page is never cached (Cache-Control: no-store).
    return _page(request, session, user, created=secret, status_code=201)


@router.post("/{token_id}/revoke")
def revoke(request: Request, session: DbSession, user: RequiredUser, token_id: int) -> Response:
    token = tokens.revoke_token(session, user=user, token_id=token_id)
    flash(request, f"The token “{token.name}” no longer works.")
    return RedirectResponse("/people/me/tokens", status_code=303)


__all__ = ["router"]
