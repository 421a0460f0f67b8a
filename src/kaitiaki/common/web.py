"""What every domain's pages and API share: field errors for forms, and emails written to the
outbox in the request's transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from fastapi import BackgroundTasks, Request
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kaitiaki.config import Settings
from kaitiaki.errors import AppError
from kaitiaki.notify import outbox
from kaitiaki.notify.delivery import deliver_due
from kaitiaki.notify.email import Email

log = logging.getLogger(__name__)


def field_errors(error: AppError | None) -> dict[str, str]:
    if error is None:
        return {}
    return {str(field.loc[-1]): field.msg for field in error.fields if field.loc}


def queue_emails(session: Session, background: BackgroundTasks, request: Request,
                 emails: Sequence[Email]) -> None:
    """Write the emails to the outbox in the request's transaction, and try to deliver them as
    soon as the response is sent (background tasks run after the request's session has
    committed). Whatever that try does not deliver, a worker does later."""
    settings: Settings = request.app.state.settings
    if outbox.add_emails(session, settings, emails):
        background.add_task(_deliver_now, request.app.state.engine, settings)


def _deliver_now(engine: Engine, settings: Settings) -> None:
    try:
        deliver_due(engine, settings)
    except SQLAlchemyError as exc:
        log.warning("Delivering the outbox after a request failed; a worker will: %s", exc)


__all__ = ["field_errors", "queue_emails"]
