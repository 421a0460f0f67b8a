"""Read Official Information Act requests: the list (newest first) with overdue flags."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.models import OiaRequest
from kaitiaki.oia.transitions import OPEN_STATES

MAX_LIST = 500


def is_overdue(request: OiaRequest, today: date) -> bool:
    """Still open after its due date."""
    return request.state in OPEN_STATES and request.due_on < today


def list_requests(session: Session, *, state: str = "", overdue_only: bool = False,
                  today: date | None = None) -> list[OiaRequest]:
    statement = select(OiaRequest)
    if state == "open":
        statement = statement.where(OiaRequest.state.in_(OPEN_STATES))
    elif state:
        statement = statement.where(OiaRequest.state == state)
    if overdue_only and today is not None:
        statement = statement.where(OiaRequest.state.in_(OPEN_STATES), OiaRequest.due_on < today)
    statement = statement.order_by(OiaRequest.received_on.desc(), OiaRequest.id.desc())
    return list(session.scalars(statement.limit(MAX_LIST)))


def due_soon(session: Session, today: date) -> list[OiaRequest]:
    """Open requests by due date, the most urgent first (for the dashboard)."""
    return list(session.scalars(
        select(OiaRequest).where(OiaRequest.state.in_(OPEN_STATES)).order_by(OiaRequest.due_on)))


__all__ = ["MAX_LIST", "due_soon", "is_overdue", "list_requests"]
