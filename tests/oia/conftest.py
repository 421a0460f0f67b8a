"""OIA tests build on the register's cast of people and the moderation and complaint services,
with a records officer of their own and records full of personal information to withhold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session

from kaitiaki.checker import CompiledPack, load_pack
from kaitiaki.complaints.schemas import ComplaintDraft
from kaitiaki.complaints.service import submit
from kaitiaki.models import Channel, Comment, Complaint, User
from kaitiaki.moderation.service import ActionRequest, act
from tests.fixtures.people import make_user
from tests.moderation.conftest import import_records, new_channel
from tests.register.conftest import Cast, cast, cast_settings, db, work  # noqa: F401 (fixtures)

TODAY = date(2026, 11, 20)
# Made up for these tests; none of them is a real person or number.
COMPLAINANT = {"name": "Harriet Quimby-Walsh", "email": "harriet.qw@example.org",
               "phone": "021 555 0148"}
COMMENTER_NAME = "Ngaio Featherstonehaugh"
COMMENTER_HANDLE = "@ngaio_f_nz"
COMMENT_TEXT = ("Call me on 027 555 0192 or write to ngaio.f@example.net, "
                "I live at 14 Kowhai Street. Dr Bernadette Okonkwo agrees.")


@pytest.fixture
def officer(db: Session) -> User:
    return make_user(db, roles=["records_officer"], name="Rewi Records")


@pytest.fixture(scope="session")
def pack() -> CompiledPack:
    return load_pack("dpmc")


@dataclass
class PersonalRecords:
    channel: Channel
    comment: Comment
    complaint: Complaint


@pytest.fixture
def personal_records(db: Session, work, cast: Cast, cast_settings, pack: CompiledPack) -> PersonalRecords:
    channel = new_channel(db, cast)
    import_records(db, channel, pack, [{"id": "c-1", "text": COMMENT_TEXT,
                                        "author": COMMENTER_HANDLE, "author_name": COMMENTER_NAME}])
    comment = db.query(Comment).filter_by(channel_id=channel.id).one()
    act(work, comment_id=comment.id, user=cast.user(db, "owner"),
        request=ActionRequest(action="hide", reason="personal_information",
                              note=f"{COMMENTER_NAME} posted a phone number."))
    complaint = submit(work, draft=ComplaintDraft(
        category="privacy_breach", channel_id=str(channel.id),
        description=(f"My name is {COMPLAINANT['name']}. Your post showed my number "
                     f"{COMPLAINANT['phone']}; reach me at {COMPLAINANT['email']}. "
                     f"Mere Director should know."),
        name=COMPLAINANT["name"], email=COMPLAINANT["email"], phone=COMPLAINANT["phone"]))
    db.flush()
    return PersonalRecords(channel=channel, comment=comment, complaint=complaint)
