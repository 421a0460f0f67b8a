"""People and channels: who can post where (one page), and each person's page with the channels
they own or may post on and the social media apps on their work devices."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kaitiaki.common.web import field_errors
from kaitiaki.errors import AppError, NotFound, NotPermitted
from kaitiaki.models import User
from kaitiaki.people import queries as people_queries
from kaitiaki.people.service import roles_of
from kaitiaki.register import devices, permissions, queries
from kaitiaki.timeutil import utcnow
from kaitiaki.web.deps import DbSession, RequiredUser, Work
from kaitiaki.web.forms import Done, handle_form
from kaitiaki.web.templating import flash, render

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=8000)]


@router.get("/register/posters")
def posters_page(request: Request, session: DbSession, user: RequiredUser) -> Response:
    permissions.require_active(user)
    return render(request, "register/posters.html",
                  {"grants": queries.authorisations_in_force(session)})


def _person(session: Session, user: User, person_id: int) -> User:
    person = people_queries.get_user(session, person_id)
    if person is None:
        raise NotFound("There is no person with that number.")
    if not permissions.can_see_person(session, user, person):
        raise NotPermitted("You can see your own page; communications staff and administrators "
                           "can see everyone's.")
    return person


def person_page(request: Request, session: Session, user: User, person: User, *,
                error: AppError | None = None, form: dict[str, Any] | None = None,
                status_code: int = 200) -> Response:
    now = utcnow()
    context = {
        "person": person,
        "person_roles": roles_of(session, person),
        "owned": queries.channels_owned_by(session, person),
        "postable": queries.channels_postable_by(session, person, now),
        "apps": queries.device_apps_of(session, person, include_removed=True),
        "error": error, "errors": field_errors(error),
        "form": form or {"app": "", "device": "", "purpose": ""},
        "is_self": person.id == user.id,
    }
    return render(request, "register/person.html", context, status_code=status_code)


@router.get("/people/me")
def my_page(user: RequiredUser) -> Response:
    return RedirectResponse(f"/people/{user.id}", status_code=303)


@router.get("/people/{person_id}")
def show_person(request: Request, session: DbSession, user: RequiredUser, person_id: int) -> Response:
    return person_page(request, session, user, _person(session, user, person_id))


@router.post("/people/{person_id}/devices")
def record_device_app(
    request: Request, work: Work, user: RequiredUser, person_id: int, app: Text = "",
    device: Text = "", purpose: Text = "",
) -> Response:
    session = work.session
    person = _person(session, user, person_id)
    form = {"app": app, "device": device, "purpose": purpose}

    def change() -> Done:
        devices.record_app(session, user=user, person=person, app=app, device=device,
                           purpose=purpose)
        return Done(f"{app.strip()} on {device.strip()} is recorded.",
                    f"/people/{person.id}#devices")

    return handle_form(request, work, change, lambda exc: person_page(
        request, session, user, _person(session, user, person_id), error=exc, form=form,
        status_code=exc.status_code))


@router.post("/people/{person_id}/devices/{row_id}/remove")
def remove_device_app(request: Request, session: DbSession, user: RequiredUser, person_id: int,
                      row_id: int) -> Response:
    person = _person(session, user, person_id)
    row = queries.get_device_app(session, row_id)
    if row is None or row.user_id != person.id:
        raise NotFound("That app is not recorded for this person.")
    devices.remove_app(session, user=user, row_id=row_id)
    flash(request, f"{row.app} on {row.device} is marked as removed.")
    return RedirectResponse(f"/people/{person.id}#devices", status_code=303)


__all__ = ["person_page", "router"]
