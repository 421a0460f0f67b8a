"""What every domain's pages and API share: field errors for forms, and sending email once the
request's transaction has committed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import BackgroundTasks, Form, Request

from kaitiaki.errors import AppError
from kaitiaki.notify.email import Email, send_all


# A text field of a page's form. No length limit here: the request body limit bounds every field,
# and the service's cleaner reports an over-long text as a field error with the form and what was
# typed kept, where a limit here would answer with a bare validation page and lose the text.
FormText = Annotated[str, Form()]


def field_errors(error: AppError | None) -> dict[str, str]:
    if error is None:
        return {}
    return {str(field.loc[-1]): field.msg for field in error.fields if field.loc}


def send_after_commit(background: BackgroundTasks, request: Request, emails: Sequence[Email]) -> None:
    """Background tasks run after the response, which the request's session commits before, so
    the email only ever reports a change that is stored."""
    if emails:
        background.add_task(send_all, request.app.state.settings, list(emails))


__all__ = ["FormText", "field_errors", "send_after_commit"]
