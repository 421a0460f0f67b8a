"""Images on drafts, on SQLite and PostgreSQL: each needs alt text and real image bytes within
Bluesky's size, belongs to the version it was saved with (a changed image is a new version to be
checked and approved again), its alt text is checked with the post, and only those who may see
the draft can fetch it."""

from __future__ import annotations

import base64
import re

import pytest
from sqlalchemy.orm import Session

from kaitiaki.errors import BadInput
from kaitiaki.publishing import service
from kaitiaki.publishing.forms import ComposeForm, ImageSlot
from kaitiaki.publishing.images import MAX_IMAGE_BYTES, ImageIn, sniff
from tests.publishing.conftest import Posting
from tests.publishing.test_pages import post, signed_in, site  # noqa: F401 (a fixture)
from tests.publishing.test_service import NEUTRAL, POLITICAL, new_draft
from tests.web.helpers import form_token

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
ALT = "A grey siren on a pole beside the wharf"


def fields_of(refused: pytest.ExceptionInfo[BadInput]) -> dict[str, str]:
    return {str(f.loc[-1]): f.msg for f in refused.value.fields}


def test_images_are_sniffed_from_their_bytes():
    assert sniff(PNG) == "image/png" and sniff(JPEG) == "image/jpeg"
    assert sniff(b"GIF89a....") == "image/gif" and sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(b"%PDF-1.7") is None and sniff(b"<svg xmlns=") is None


def test_a_draft_keeps_its_images_and_alt_text_with_its_version(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack, images=[ImageIn(PNG, f"  {ALT} "), ImageIn(JPEG, "A map")])
    version = service.current_version(db, draft)
    assert [(i.position, i.alt_text, i.media_type, i.byte_size) for i in version.images] == [
        (0, ALT, "image/png", len(PNG)), (1, "A map", "image/jpeg", len(JPEG))]
    assert service.images_of(version)[0].data == PNG


@pytest.mark.parametrize(("image", "field", "words"), [
    (ImageIn(b"%PDF-1.7 a document", ALT), "image_1", "is not a PNG, JPEG, GIF or WebP image"),
    (ImageIn(PNG + bytes(MAX_IMAGE_BYTES), ALT), "image_1", "Bluesky takes at most 1,000,000 bytes"),
    (ImageIn(PNG, "   "), "image_alt_1", "screen reader"),
    (ImageIn(b"", ALT), "image_1", "Choose the file of image 1"),
])
def test_a_wrong_image_is_refused_plainly(db: Session, posting: Posting, pack, image, field, words):
    with pytest.raises(BadInput) as refused:
        new_draft(db, posting, pack, images=[image])
    assert words in fields_of(refused)[field]


def test_too_many_images_or_images_on_an_interaction_are_refused(db: Session, posting: Posting,
                                                                  pack):
    with pytest.raises(BadInput) as refused:
        new_draft(db, posting, pack, images=[ImageIn(PNG, ALT)] * 5)
    assert "X shows at most 4 images on one post; remove 1." in fields_of(refused)["images"]
    with pytest.raises(BadInput) as refused:
        new_draft(db, posting, pack, "", kind="interaction", action="like",
                  target_handle="@NZPolice", business_purpose="Sharing safety advice.",
                  images=[ImageIn(PNG, ALT)])
    assert "Only a post or a reply carries images" in fields_of(refused)["images"]


def test_a_finding_in_alt_text_says_it_is_there(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack, NEUTRAL, images=[ImageIn(PNG, ALT),
                                                          ImageIn(PNG, POLITICAL)])
    version = service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    assert version.decision == "block"
    placed = [f for f in version.findings if f["message"].startswith("In the alt text of image 2: ")]
    assert placed, version.findings
    evidence = placed[0]["evidence"][0]
    assert evidence["field"] == "images[1].alt"
    assert POLITICAL[evidence["start"]:evidence["end"]] == evidence["text"]


def test_changing_an_image_after_approval_is_a_new_version_checked_again(db: Session,
                                                                          posting: Posting, pack):
    draft = new_draft(db, posting, pack, NEUTRAL, images=[ImageIn(PNG, ALT)])
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    first = service.current_version(db, draft)
    # The poster changes only the alt text, keeping the image (as the draft page's form does).
    form = ComposeForm.of(service.input_of(first, draft.kind), channel_id=posting.channel.id,
                          comment_id=None, images=first.images)
    form.image_slots = [ImageSlot(alt="A siren", kept_id=first.images[0].id)]
    second = service.revise_draft(db, user=posting.poster, draft=draft, pack=pack,
                                  data=form.as_input(first.images))
    assert draft.state == "draft" and second.number == 2 and second.checked_at is None
    assert [(i.alt_text, i.sha256) for i in second.images] == [("A siren", first.images[0].sha256)]
    assert [i.alt_text for i in first.images] == [ALT]  # what was checked stays as it was


def test_compose_with_an_image_shows_it_to_those_who_may_see_the_draft(site):  # noqa: F811
    client = signed_in(site, "poster")
    token = form_token(client, "/compose")
    saved = client.post("/compose", data={
        "csrf_token": token, "channel_id": str(site["channel_id"]), "kind": "post",
        "text": NEUTRAL, "image_alt_1": ALT}, files={"image_file_1": ("siren.png", PNG, "image/png")})
    assert saved.status_code == 303, saved.text
    page = client.get(saved.headers["location"]).text
    # Shown with the version, and in the form that changes it.
    [src] = set(re.findall(r'<img class="thumbnail" src="([^"]+)" alt="' + ALT + '">', page))
    assert f"Image 1 alt text: “{ALT}”" in page
    image = client.get(src)
    assert (image.status_code, image.content, image.headers["content-type"]) == (200, PNG, "image/png")
    assert "private" in image.headers["cache-control"]
    client.post("/logout", data={"csrf_token": form_token(client, "/")})
    signed_in(site, "staff")  # may not see someone else's draft, nor its images
    assert client.get(src).status_code == 403
    client.post("/logout", data={"csrf_token": form_token(client, "/")})
    assert client.get(src).status_code in (303, 401)  # signed out: to the sign-in page


def test_a_refused_upload_keeps_what_was_typed(site):  # noqa: F811
    client = signed_in(site, "poster")
    refused = client.post("/compose", data={
        "csrf_token": form_token(client, "/compose"), "channel_id": str(site["channel_id"]),
        "kind": "post", "text": "Sirens are tested on Sunday at nine.",
        "image_alt_1": "The siren"}, files={"image_file_1": ("notes.png", b"not an image", "image/png")})
    assert refused.status_code == 422
    assert "Sirens are tested on Sunday at nine." in refused.text and 'value="The siren"' in refused.text
    assert "is not a PNG, JPEG, GIF or WebP image" in refused.text
    assert "You chose notes.png: choose it again" in refused.text


def test_the_live_check_reads_the_alt_text(site):  # noqa: F811
    client = signed_in(site, "poster")
    live = post(client, "/compose/live", {"channel_id": str(site["channel_id"]), "kind": "post",
                                          "text": NEUTRAL, "image_alt_1": POLITICAL,
                                          "image_file_1": "C:\\fakepath\\siren.png"})
    assert live.status_code == 200 and "In the alt text of image 1:" in live.text
