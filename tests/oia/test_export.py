"""The redacted export: no email, phone number or name of a complainant or commenter survives
in any file; senior leaders' names do; every withholding is in the schedule; an export with
nothing in scope says so."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from kaitiaki.checker import CompiledPack
from kaitiaki.errors import BadInput
from kaitiaki.oia import service
from kaitiaki.oia.export import SCHEDULE_FILE, SUMMARY_FILE, build_export
from kaitiaki.oia.redaction import WITHHELD
from kaitiaki.oia.scope import RECORD_KINDS, parse_scope
from tests.oia.conftest import COMMENTER_HANDLE, COMMENTER_NAME, COMPLAINANT, TODAY, PersonalRecords
from tests.register.conftest import CAST_NAMES, Cast, cast_email

ZONE = ZoneInfo("Pacific/Auckland")


def _request(db: Session, officer):
    return service.log_request(db, user=officer, today=TODAY, draft=service.RequestDraft(
        received_on="2026-11-02", summary="Moderation of comments on NEMA channels.",
        requester_name="Tui Requester", requester_email="tui@example.org"))


def _files(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_no_personal_detail_of_the_public_or_junior_staff_survives(
        db: Session, cast: Cast, officer, pack: CompiledPack, personal_records: PersonalRecords):
    request = _request(db, officer)
    scope = parse_scope("2026-01-01", "2027-12-31", [], list(RECORD_KINDS))
    result = build_export(db, user=officer, request=request, scope=scope, meta=pack.meta, zone=ZONE)
    files = _files(result.content)
    assert set(files) == {SUMMARY_FILE, SCHEDULE_FILE, "moderation_decisions.csv", "complaints.csv",
                          "register_history.csv", "posts_and_checks.csv"}
    everything = "\n".join(files.values())
    forbidden = [COMPLAINANT["name"], COMPLAINANT["email"], COMMENTER_NAME, COMMENTER_HANDLE,
                 COMMENTER_HANDLE.lstrip("@"), "ngaio.f@example.net", "Bernadette Okonkwo",
                 "14 Kowhai Street", "Harriet", "Ngaio", "Tui Requester", "tui@example.org",
                 CAST_NAMES["owner"], cast_email("owner"), cast_email("comms")]
    survived = [text for text in forbidden if text.lower() in everything.lower()]
    assert not survived, f"personal information survived: {survived}"
    for phone in (COMPLAINANT["phone"], "027 555 0192"):
        assert _digits(phone) not in _digits(everything), f"{phone} survived"
    assert WITHHELD in files["complaints.csv"] and WITHHELD in files["moderation_decisions.csv"]
    # Senior leaders act in public: the approvers' names are released in the register history.
    assert CAST_NAMES["nema_ce"] in files["register_history.csv"]
    assert "Mere Director" in files["complaints.csv"]
    schedule = list(csv.DictReader(io.StringIO(files[SCHEDULE_FILE])))
    assert len(schedule) == result.withheld > 0
    assert all(row["ground"].startswith("s9(2)(a)") for row in schedule)
    assert {"email address", "phone number", "name"} <= {row["withheld"] for row in schedule}
    complaint_rows = [row for row in schedule if row["file"] == "complaints.csv"]
    assert {row["record"] for row in complaint_rows} == {personal_records.complaint.reference}
    assert "No records were found" not in files[SUMMARY_FILE]


def test_channel_and_kind_choices_narrow_the_export(
        db: Session, cast: Cast, officer, pack: CompiledPack, personal_records: PersonalRecords):
    request = _request(db, officer)
    scope = parse_scope("2026-01-01", "2027-12-31", [personal_records.channel.id], ["complaints"])
    files = _files(build_export(db, user=officer, request=request, scope=scope, meta=pack.meta,
                                zone=ZONE).content)
    assert set(files) == {SUMMARY_FILE, SCHEDULE_FILE, "complaints.csv"}
    assert files["complaints.csv"].count("\n") == 2  # the header and the one complaint


def test_an_export_with_nothing_in_scope_says_so(db: Session, officer, pack: CompiledPack,
                                                 personal_records: PersonalRecords):
    request = _request(db, officer)
    scope = parse_scope("2019-01-01", "2019-12-31", [], list(RECORD_KINDS))
    result = build_export(db, user=officer, request=request, scope=scope, meta=pack.meta, zone=ZONE)
    assert result.empty and result.withheld == 0
    files = _files(result.content)
    assert "No records were found in scope" in files[SUMMARY_FILE]
    assert all(text.count("\n") == 1 for name, text in files.items() if name.endswith(".csv"))


def test_a_bad_scope_is_refused_clearly():
    with pytest.raises(BadInput) as refused:
        parse_scope("2026-12-31", "2026-01-01", [], [])
    assert {str(f.loc[-1]) for f in refused.value.fields} == {"last", "kinds"}
    with pytest.raises(BadInput, match="YYYY-MM-DD"):
        parse_scope("soon", "2026-01-01", [], ["complaints"])
