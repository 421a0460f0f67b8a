"""What every domain's pages and API share: field errors for forms, and emails written to the
outbox in the request's transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Annotated

from fastapi import BackgroundTasks, Form, Request
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kaitiaki.config import Settings
from kaitiaki.errors import AppError
from kaitiaki.notify import outbox
from kaitiaki.notify.delivery import deliver_due
from kaitiaki.notify.email import Email

log = logging.getLogger(__name__)


# A text field of a page's form. No length limit here: the request body limit bounds every field,
# and the service's cleaner reports an over-long text as a field error with the form and what was
# typed kept, where a limit here would answer with a bare validation page and lose the text.
FormText = Annotated[str, Form()]


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


__all__ = ["FormText", "field_errors", "queue_emails"]
