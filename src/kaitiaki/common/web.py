"""What every domain's pages and API share: field errors for forms, and sending email once the
request's transaction has committed."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import BackgroundTasks, Request

from kaitiaki.errors import AppError
from kaitiaki.notify.email import Email, send_all


def field_errors(error: AppError | None) -> dict[str, str]:
    if error is None:
        return {}
    return {str(field.loc[-1]): field.msg for field in error.fields if field.loc}


def send_after_commit(background: BackgroundTasks, request: Request, emails: Sequence[Email]) -> None:
    """Background tasks run after the response, which the request's session commits before, so
    the email only ever reports a change that is stored."""
    if emails:
        background.add_task(send_all, request.app.state.settings, list(emails))


__all__ = ["field_errors", "send_after_commit"]
