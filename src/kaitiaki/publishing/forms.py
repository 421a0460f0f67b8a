"""The compose form as typed: reading it from a request and turning it into service input. Every
field is bounded so an oversized post cannot reach the services."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from starlette.datastructures import FormData

from kaitiaki.common.forms import parse_id
from kaitiaki.publishing.schemas import CONTENT_LIMITS, DraftInput

# The compose form's fields: the draft's (kaitiaki.publishing.schemas.DraftInput), the channel,
# and the comment replied to as typed.
FIELD_LIMITS = {"channel_id": 20, "kind": 20, "reply_to_comment_id": 20, **CONTENT_LIMITS}


@dataclass
class ComposeForm(DraftInput):
    """The draft's fields as typed, every one a string (what was typed is shown again as it was)."""

    channel_id: str = ""
    reply_to_comment_id: str = ""  # type: ignore[assignment]  # as typed; parsed by `comment`

    @classmethod
    def read(cls, form: FormData) -> ComposeForm:
        values: dict[str, str] = {}
        for name, limit in FIELD_LIMITS.items():
            value = form.get(name)
            # Cut far beyond any platform's limit: the service still names the real limit.
            values[name] = value[: limit + 1] if isinstance(value, str) else ""
        return cls(**values)

    @classmethod
    def of(cls, data: DraftInput, *, channel_id: int, comment_id: int | None) -> ComposeForm:
        """The form filled with a saved version, to change it."""
        return cls(channel_id=str(channel_id), kind=data.kind,
                   reply_to_comment_id=str(comment_id or ""), **data.content())

    @property
    def channel(self) -> int | None:
        return parse_id(self.channel_id)

    @property
    def comment(self) -> int | None:
        return parse_id(self.reply_to_comment_id)

    def as_input(self) -> DraftInput:
        return DraftInput(kind=self.kind, reply_to_comment_id=self.comment, **self.content())

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


__all__ = ["ComposeForm"]
