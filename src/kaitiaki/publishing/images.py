"""Images on a draft: what is accepted, and how their alt text is checked with the post.

An image is accepted when its bytes are a PNG, JPEG, GIF or WebP image (sniffed from the bytes,
never taken from the file's name or the browser's word), it is at most 1,000,000 bytes (the most
Bluesky takes for one image) and it has alt text: people who use a screen reader hear the alt
text instead of seeing the image, which the NZ Government Web Accessibility Standard asks of every
image an agency publishes.

The alt text is words the public reads, so the policy check reads it with the post: each image's
alt text follows the post's text in the checked item (`item_text`), and a finding found there is
then placed in it (`place_in_alt_texts`): its evidence names `images[<n>].alt` and its message
says which image's alt text it is in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from kaitiaki.checker.items import Evidence, Finding, Result
from kaitiaki.common.forms import FieldErrors

MAX_IMAGE_BYTES = 1_000_000
MAX_ALT_TEXT = 1000
# How many images one post may carry, where the platform's connector knows it; others: the
# smallest of these, so a post never carries more than its platform shows.
PLATFORM_IMAGE_LIMITS = {"bluesky": 4, "mastodon": 4, "x": 4, "facebook": 4, "threads": 4}
DEFAULT_IMAGE_LIMIT = 4
# Only posts and replies carry images; an interaction is a follow, like or share.
KINDS_WITH_IMAGES = ("post", "reply")
SEPARATOR = "\n\n"
ACCEPTED = "PNG, JPEG, GIF or WebP"


@dataclass(frozen=True)
class ImageIn:
    """One image as given (an upload, an API body, a saved version's image kept)."""

    data: bytes
    alt: str
    media_type: str = "image/png"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def sniff(data: bytes) -> str | None:
    """The image's media type from its first bytes, or None when it is not an accepted image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def image_limit(platform: str) -> int:
    return PLATFORM_IMAGE_LIMITS.get(platform, DEFAULT_IMAGE_LIMIT)


def clean_images(images: Sequence[ImageIn], *, kind: str, platform: str,
                 errors: FieldErrors) -> list[ImageIn]:
    """The images with their media type sniffed and alt text trimmed, and a field error
    (`image_<n>`, counting from 1) for each problem."""
    if not images:
        return []
    if kind not in KINDS_WITH_IMAGES:
        errors.add("images", "Only a post or a reply carries images; remove them from the "
                             "interaction.")
        return []
    limit = image_limit(platform)
    if len(images) > limit:
        errors.add("images", f"{_platform_name(platform)} shows at most {limit} images on one "
                             f"post; remove {len(images) - limit}.")
    cleaned = []
    for number, image in enumerate(images, start=1):
        field = f"image_{number}"
        media_type = sniff(image.data)
        alt = " ".join((image.alt or "").split())
        if not image.data:
            errors.add(field, f"Choose the file of image {number} (a file chosen before the page "
                              "came back has to be chosen again), or clear its alt text.")
        elif media_type is None:
            errors.add(field, f"Image {number} is not a {ACCEPTED} image: choose a picture file "
                              "(a document, a video or a drawing is not accepted).")
        elif len(image.data) > MAX_IMAGE_BYTES:
            errors.add(field, f"Image {number} is {len(image.data):,} bytes; Bluesky takes at most "
                              f"{MAX_IMAGE_BYTES:,} bytes (about 1 MB) for one image, so Kaitiaki "
                              "does too. Make it smaller (a lower resolution or a JPEG) and choose "
                              "it again.")
        if not alt:
            errors.add(f"image_alt_{number}",
                       f"Describe image {number} in its alt text: people who use a screen reader "
                       "hear the alt text instead of seeing the image, and the NZ Government Web "
                       "Accessibility Standard asks for it on every image.")
        elif len(alt) > MAX_ALT_TEXT:
            errors.add(f"image_alt_{number}", f"The alt text of image {number} must be at most "
                                              f"{MAX_ALT_TEXT:,} characters.")
        cleaned.append(ImageIn(data=image.data, alt=alt, media_type=media_type or ""))
    return cleaned


def _platform_name(platform: str) -> str:
    # Imported names would make a cycle with schemas, which imports this module.
    return {"x": "X", "bluesky": "Bluesky", "mastodon": "Mastodon", "facebook": "Facebook",
            "threads": "Threads"}.get(platform, "The platform")


# --- checking the alt text with the post ---------------------------------------------------------


def item_text(text: str, alts: Sequence[str]) -> str:
    """The words the checker reads: the post's text, then each image's alt text."""
    return text + "".join(SEPARATOR + alt for alt in alts)


def place_in_alt_texts(result: Result, text: str, alts: Sequence[str]) -> Result:
    """The result of checking `item_text(text, alts)`, with each finding found in an alt text
    placed there: its evidence names the image (`images[0].alt`, offsets within the alt text)
    and its message begins with where it is, so the poster knows the words are not in the post."""
    if not alts:
        return result
    spans = []
    start = len(text)
    for alt in alts:
        start += len(SEPARATOR)
        spans.append((start, start + len(alt)))
        start += len(alt)
    findings = [_placed(finding, spans) for finding in result.findings]
    return result.model_copy(update={"findings": findings})


def _placed(finding: Finding, spans: list[tuple[int, int]]) -> Finding:
    evidence, images, in_text = [], [], False
    for item in finding.evidence:
        image = next((number for number, (start, end) in enumerate(spans)
                      if item.field == "text" and start <= item.start and item.end <= end), None)
        if image is None:
            in_text = in_text or item.field == "text"
            evidence.append(item)
            continue
        begin = spans[image][0]
        evidence.append(Evidence(field=f"images[{image}].alt", start=item.start - begin,
                                 end=item.end - begin, text=item.text))
        if image + 1 not in images:
            images.append(image + 1)
    if not images:
        return finding
    where = " and ".join(str(number) for number in images)
    label = f"image {where}" if len(images) == 1 else f"images {where}"
    message = (f"In the alt text of {label}: {finding.message}" if not in_text
               else f"{finding.message} (also in the alt text of {label})")
    return finding.model_copy(update={"evidence": evidence, "message": message})


__all__ = ["ACCEPTED", "DEFAULT_IMAGE_LIMIT", "KINDS_WITH_IMAGES", "MAX_ALT_TEXT", "MAX_IMAGE_BYTES",
           "PLATFORM_IMAGE_LIMITS", "ImageIn", "clean_images", "image_limit", "item_text",
           "place_in_alt_texts", "sniff"]
