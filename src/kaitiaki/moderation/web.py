"""What the moderation pages and API share: the pack, the retention period, the text of a
comment split into marked and unmarked pieces, and reading an uploaded file within the limit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request, UploadFile

from kaitiaki.checker import CompiledPack, load_pack
from kaitiaki.errors import BadInput
from kaitiaki.models import Comment
from kaitiaki.moderation.formats import decode_upload


def pack_of(request: Request) -> CompiledPack:
    return load_pack(request.app.state.settings.policy_pack)


@dataclass(frozen=True)
class Piece:
    text: str
    marked: bool
    label: str = ""  # the finding's category, read out after marked text


def marked_pieces(text: str, findings: list[dict[str, Any]], field: str = "text") -> list[Piece]:
    """`text` cut into pieces, with the findings' evidence spans marked (overlaps merged)."""
    spans: list[tuple[int, int, str]] = []
    for finding in findings:
        for evidence in finding.get("evidence", []):
            if evidence.get("field") == field:
                start = max(0, min(int(evidence.get("start", 0)), len(text)))
                end = max(start, min(int(evidence.get("end", 0)), len(text)))
                if end > start:
                    spans.append((start, end, str(finding.get("category", ""))))
    spans.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        # One mark for words of one finding that touch or are only a space apart.
        if merged and merged[-1][2] == label and not text[merged[-1][1]:start].strip():
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), label)
        else:
            merged.append((start, end, label))
    pieces: list[Piece] = []
    position = 0
    for start, end, label in merged:
        if end <= position:
            continue
        start = max(start, position)
        if start > position:
            pieces.append(Piece(text[position:start], False))
        pieces.append(Piece(text[start:end], True, label.replace("_", " ")))
        position = end
    if position < len(text):
        pieces.append(Piece(text[position:], False))
    return pieces


def comment_pieces(comment: Comment) -> list[Piece]:
    return marked_pieces(comment.text, comment.findings)


async def read_upload(upload: UploadFile, *, max_bytes: int) -> str:
    """The uploaded file's text; refused when over the limit or not UTF-8."""
    data = await upload.read(max_bytes + 1)
    name = upload.filename or "the file"
    if len(data) > max_bytes:
        raise BadInput(f"{name} is over the import limit of {max_bytes:,} bytes "
                       "(KAITIAKI_IMPORT_MAX_BYTES). Split it into smaller files.")
    if not data.strip():
        raise BadInput(f"{name} is empty.")
    return decode_upload(data, name)


__all__ = ["Piece", "comment_pieces", "marked_pieces", "pack_of", "read_upload"]
