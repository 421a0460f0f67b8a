"""The compose form as typed: reading it from a request and turning it into service input. Every
field is bounded so an oversized post cannot reach the services."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from starlette.datastructures import FormData

from kaitiaki.checker.items import MAX_TEXT_CHARS
from kaitiaki.common.forms import parse_id
from kaitiaki.publishing.schemas import MAX_TARGET_TEXT, DraftInput

FIELD_LIMITS = {
    "channel_id": 20, "kind": 20, "text": MAX_TEXT_CHARS, "reply_to_text": MAX_TARGET_TEXT,
    "reply_to_comment_id": 20, "action": 20, "target_handle": 1000, "target_name": 1000,
    "target_text": MAX_TARGET_TEXT, "target_url": 2000, "business_purpose": 4000,
}


@dataclass
class ComposeForm:
    channel_id: str = ""
    kind: str = "post"
    text: str = ""
    reply_to_text: str = ""
    reply_to_comment_id: str = ""
    action: str = ""
    target_handle: str = ""
    target_name: str = ""
    target_text: str = ""
    target_url: str = ""
    business_purpose: str = ""

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
        return cls(
            channel_id=str(channel_id), kind=data.kind, text=data.text,
            reply_to_text=data.reply_to_text, reply_to_comment_id=str(comment_id or ""),
            action=data.action, target_handle=data.target_handle, target_name=data.target_name,
            target_text=data.target_text, target_url=data.target_url,
            business_purpose=data.business_purpose,
        )

    @property
    def channel(self) -> int | None:
        return parse_id(self.channel_id)

    @property
    def comment(self) -> int | None:
        return parse_id(self.reply_to_comment_id)

    def as_input(self) -> DraftInput:
        return DraftInput(
            kind=self.kind, text=self.text, reply_to_text=self.reply_to_text,
            reply_to_comment_id=self.comment, action=self.action,
            target_handle=self.target_handle, target_name=self.target_name,
            target_text=self.target_text, target_url=self.target_url,
            business_purpose=self.business_purpose,
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


__all__ = ["ComposeForm"]
