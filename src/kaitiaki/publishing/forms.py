"""The compose form as typed: reading it from a request and turning it into service input. Every
field is bounded so an oversized post cannot reach the services."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from starlette.datastructures import FormData, UploadFile

from kaitiaki.common.forms import parse_id
from kaitiaki.models import DraftImage
from kaitiaki.publishing.images import DEFAULT_IMAGE_LIMIT, MAX_ALT_TEXT, MAX_IMAGE_BYTES, ImageIn
from kaitiaki.publishing.schemas import CONTENT_LIMITS, DraftInput

# The compose form's fields: the draft's (kaitiaki.publishing.schemas.DraftInput), the channel,
# and the comment replied to as typed.
FIELD_LIMITS = {"channel_id": 20, "kind": 20, "reply_to_comment_id": 20, **CONTENT_LIMITS}
# The image fields (image_file_<n>, image_alt_<n>, and on a saved draft image_keep_<n> and
# image_remove_<n>) for n from 1.
IMAGE_SLOTS = DEFAULT_IMAGE_LIMIT


@dataclass
class ImageSlot:
    """One image as the form holds it: a file just chosen (`data`), or a saved version's image
    kept in the new version (`kept_id`), with its alt text as typed."""

    alt: str = ""
    data: bytes = b""
    filename: str = ""
    kept_id: int | None = None

    @property
    def chosen(self) -> bool:
        return bool(self.data)


@dataclass
class ComposeForm(DraftInput):
    """The draft's fields as typed, every one a string (what was typed is shown again as it was).
    `image_slots` are the images in order (empty slots left out), so slot n is image n."""

    channel_id: str = ""
    reply_to_comment_id: str = ""  # type: ignore[assignment]  # as typed; parsed by `comment`
    image_slots: list[ImageSlot] = field(default_factory=list)

    @classmethod
    def read(cls, form: FormData, *, with_files: bool = True) -> ComposeForm:
        """The form as posted. `with_files=False` (a check while typing) reads the alt texts
        and leaves the files unread."""
        values: dict[str, str] = {}
        for name, limit in FIELD_LIMITS.items():
            value = form.get(name)
            # Cut far beyond any platform's limit: the service still names the real limit.
            values[name] = value[: limit + 1] if isinstance(value, str) else ""
        return cls(**values, image_slots=_image_slots(form, with_files))

    @classmethod
    def of(cls, data: DraftInput, *, channel_id: int, comment_id: int | None,
           images: Sequence[DraftImage] = ()) -> ComposeForm:
        """The form filled with a saved version, to change it."""
        return cls(channel_id=str(channel_id), kind=data.kind,
                   reply_to_comment_id=str(comment_id or ""), **data.content(),
                   image_slots=[ImageSlot(alt=image.alt_text, kept_id=image.id)
                                for image in images])

    @property
    def channel(self) -> int | None:
        return parse_id(self.channel_id)

    @property
    def comment(self) -> int | None:
        return parse_id(self.reply_to_comment_id)

    def as_input(self, kept: Sequence[DraftImage] = ()) -> DraftInput:
        """The service's input. `kept`: the images of the version being changed, which the
        form's kept slots name; a kept slot naming none of them is left out."""
        saved = {image.id: image for image in kept}
        images = []
        for slot in self.image_slots:
            if slot.kept_id is not None:
                if slot.kept_id in saved:
                    image = saved[slot.kept_id]
                    images.append(ImageIn(data=image.data, alt=slot.alt,
                                          media_type=image.media_type))
                continue
            images.append(ImageIn(data=slot.data, alt=slot.alt))
        return DraftInput(kind=self.kind, reply_to_comment_id=self.comment, **self.content(),
                          images=images)

    def alt_texts(self) -> list[str]:
        return [slot.alt for slot in self.image_slots]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _image_slots(form: FormData, with_files: bool) -> list[ImageSlot]:
    """The image slots that hold something (a file, a kept image, or alt text typed), in order;
    a kept image ticked for removal is left out."""
    slots = []
    for number in range(1, IMAGE_SLOTS + 1):
        alt = form.get(f"image_alt_{number}")
        slot = ImageSlot(alt=alt[:MAX_ALT_TEXT + 1] if isinstance(alt, str) else "",
                         kept_id=parse_id(_text(form.get(f"image_keep_{number}"))))
        upload = form.get(f"image_file_{number}")
        if with_files and isinstance(upload, UploadFile) and upload.filename:
            # One byte beyond the limit is enough to refuse it; the rest is never read.
            slot.data = upload.file.read(MAX_IMAGE_BYTES + 1)
            slot.filename = (upload.filename or "")[:200]
            slot.kept_id = None  # a file chosen in a kept image's place replaces it
        if form.get(f"image_remove_{number}") and slot.kept_id is not None and not slot.chosen:
            continue
        if slot.chosen or slot.kept_id is not None or slot.alt.strip():
            slots.append(slot)
    return slots


def _text(value: Any) -> str:
    return value[:20] if isinstance(value, str) else ""


__all__ = ["IMAGE_SLOTS", "ComposeForm", "ImageSlot"]
