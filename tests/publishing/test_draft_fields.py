"""A draft's fields are declared once (DraftInput): the compose form, the API body and the stored
version carry the same words, and a version read back fills the form as it was typed."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from kaitiaki.models import DraftVersion
from kaitiaki.publishing import service
from kaitiaki.publishing.forms import FIELD_LIMITS, ComposeForm
from kaitiaki.publishing.schemas import CONTENT_LIMITS, DraftIn
from tests.publishing.conftest import Posting

INTERACTION = {"kind": "interaction", "action": "repost", "target_handle": "@NZCivilDefence",
               "target_name": "NZ Civil Defence", "target_text": "Check your emergency water today.",
               "target_url": "https://x.com/NZCivilDefence/status/7",
               "business_purpose": "Sharing the national agency's preparedness advice."}


def test_every_field_a_version_stores_is_a_column_and_a_form_field():
    columns = {column.key for column in inspect(DraftVersion).columns}
    assert set(CONTENT_LIMITS) <= columns
    assert set(CONTENT_LIMITS) <= set(FIELD_LIMITS)
    assert {"text", "target_url", "business_purpose"} <= set(CONTENT_LIMITS)


def test_the_form_and_the_api_store_the_same_version_and_it_fills_the_form_again(
        db: Session, posting: Posting, pack):
    channel_id = posting.channel.id
    typed = ComposeForm(channel_id=str(channel_id), **INTERACTION)
    from_form = service.create_draft(db, user=posting.poster, pack=pack, channel_id=channel_id,
                                     data=typed.as_input())
    body = DraftIn(channel_id=channel_id, kind="interaction", action="repost",
                   business_purpose=INTERACTION["business_purpose"],
                   target={"handle": "@NZCivilDefence", "name": "NZ Civil Defence",
                           "text": "Check your emergency water today.",
                           "url": "https://x.com/NZCivilDefence/status/7"})
    from_api = service.create_draft(db, user=posting.poster, pack=pack, channel_id=channel_id,
                                    data=body.as_input())
    stored = [service.current_version(db, draft) for draft in (from_form, from_api)]
    assert [{name: getattr(v, name) for name in INTERACTION if name != "kind"} for v in stored] == \
        [{name: value for name, value in INTERACTION.items() if name != "kind"}] * 2
    again = ComposeForm.of(service.input_of(stored[0], from_form.kind), channel_id=channel_id,
                           comment_id=None)
    assert again == typed
