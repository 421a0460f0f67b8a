"""One way to handle a form that changes something: make the change in the request's unit of work;
when it is refused, roll the unit of work back (the emails it queued with it) and show the form
again with the problem and what was typed; when it is done, say so and go on with a 303, so a
reload does not send the form twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from kaitiaki.common.work import UnitOfWork
from kaitiaki.errors import AppError
from kaitiaki.web.templating import flash


class Done(NamedTuple):
    """What a successful form says (on the next page) and where it goes."""

    message: str
    to: str


def handle_form(request: Request, work: UnitOfWork, change: Callable[[], Done],
                refused: Callable[[AppError], Response]) -> Response:
    """Run `change`; on an AppError, roll back and answer `refused(error)`, which re-renders the
    form (it reads through the same, now clean, session)."""
    try:
        done = change()
    except AppError as exc:
        work.rollback()
        return refused(exc)
    if done.message:
        flash(request, done.message)
    return RedirectResponse(done.to, status_code=303)


__all__ = ["Done", "handle_form"]
