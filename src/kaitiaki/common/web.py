"""What every domain's pages and API share: a form's text fields and their errors. (Emails go
through the request's unit of work, kaitiaki.common.work.)"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form

from kaitiaki.errors import AppError


# A text field of a page's form. No length limit here: the request body limit bounds every field,
# and the service's cleaner reports an over-long text as a field error with the form and what was
# typed kept, where a limit here would answer with a bare validation page and lose the text.
FormText = Annotated[str, Form()]


def field_errors(error: AppError | None) -> dict[str, str]:
    if error is None:
        return {}
    return {str(field.loc[-1]): field.msg for field in error.fields if field.loc}


__all__ = ["FormText", "field_errors"]
