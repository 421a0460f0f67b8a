"""The self-check and guidance pages. Both work signed out: any staff member can check a personal
post before posting it, and nothing is stored unless a signed-in person chooses to keep it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kaitiaki.check_service.api import pack_set
from kaitiaki.errors import AppError
from kaitiaki.models import User
from kaitiaki.publishing.highlight import segments
from kaitiaki.publishing.schemas import PLATFORM_NAMES
from kaitiaki.common.web import field_errors
from kaitiaki.selfcheck import service
from kaitiaki.web.deps import CurrentUser, DbSession, RequiredUser
from kaitiaki.web.templating import flash, render

router = APIRouter(include_in_schema=False)

MAX_FORM_TEXT = 100_001


def _limits(request: Request) -> dict[str, int]:
    """The personal pack's platform limits, or else the application pack's table."""
    own = dict(service.personal_pack().meta.platform_limits)
    return own or dict(pack_set(request).primary.meta.platform_limits)


def _page(request: Request, session: Session, user: User | None, form: dict[str, Any], *,
          result: Any = None, post: service.PersonalPost | None = None,
          error: AppError | None = None, status_code: int = 200) -> Response:
    pack = service.personal_pack()
    context = {
        "form": form, "errors": field_errors(error), "error": error, "result": result,
        "explanations": service.explain(pack, result) if result is not None else [],
        "segments": segments(post.text, result.findings) if result is not None and post else [],
        "platforms": PLATFORM_NAMES, "ask": service.ask_someone(pack),
        "kept": service.kept_checks(session, user) if user is not None else [],
        "signed_in": user is not None,
    }
    return render(request, "selfcheck/index.html", context, status_code=status_code)


@router.get("/self-check")
def self_check_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return _page(request, session, user, {"platform": "", "text": "", "employer_listed": False})


@router.post("/self-check")
async def run_self_check(request: Request, session: DbSession, user: CurrentUser) -> Response:
    submitted = await request.form()
    text = submitted.get("text")
    form = {
        "platform": str(submitted.get("platform") or "")[:20],
        "text": text[:MAX_FORM_TEXT] if isinstance(text, str) else "",
        "employer_listed": submitted.get("employer_listed") == "on",
    }
    try:
        post = service.validate(form["platform"], form["text"], form["employer_listed"],
                                _limits(request))
        result = service.self_check(service.personal_pack(), post)
    except AppError as exc:
        return _page(request, session, user, form, error=exc, status_code=exc.status_code)
    if submitted.get("keep") == "1" and user is not None:
        service.keep(session, user=user, post=post, result=result)
        flash(request, "Kept. Only you can see your kept checks, and you can delete them.")
        return RedirectResponse("/self-check#kept", status_code=303)
    return _page(request, session, user, form, result=result, post=post)


@router.post("/self-check/kept/{check_id}/delete")
def delete_kept(request: Request, session: DbSession, user: RequiredUser, check_id: int) -> Response:
    service.delete_kept(session, user=user, check_id=check_id)
    flash(request, "Deleted.")
    return RedirectResponse("/self-check#kept", status_code=303)


@router.get("/guidance")
def guidance_page(request: Request, user: CurrentUser) -> Response:
    pack = service.personal_pack()
    return render(request, "selfcheck/guidance.html",
                  {"sources": service.guidance(pack), "pack": pack})


__all__ = ["router"]
