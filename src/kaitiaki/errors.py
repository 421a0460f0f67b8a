"""Application errors. One handler turns each into an HTML page, an htmx partial or JSON."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FieldError:
    loc: list[str | int]
    msg: str
    type: str = "value_error"

    def as_dict(self) -> dict:
        return {"loc": list(self.loc), "msg": self.msg, "type": self.type}


class AppError(Exception):
    """Base of every error a user may see. `detail` is safe to show."""

    status_code = 400
    code = "error"

    def __init__(self, detail: str, *, fields: list[FieldError] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.fields = fields or []


class NotFound(AppError):
    status_code = 404
    code = "not_found"


class NotPermitted(AppError):
    status_code = 403
    code = "not_permitted"


class Conflict(AppError):
    status_code = 409
    code = "conflict"


class InvalidTransition(AppError):
    status_code = 409
    code = "invalid_transition"


class PackError(AppError):
    status_code = 500
    code = "pack_error"


class BadInput(AppError):
    status_code = 422
    code = "bad_input"


__all__ = [
    "AppError",
    "BadInput",
    "Conflict",
    "FieldError",
    "InvalidTransition",
    "NotFound",
    "NotPermitted",
    "PackError",
]

