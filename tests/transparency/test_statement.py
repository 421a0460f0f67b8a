"""The transparency statement lists exactly the active channels and the real figures, in every
format, and the public page needs no sign-in."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from kaitiaki.app import create_app
from kaitiaki.checker import load_pack
from kaitiaki.cli import app as cli_app
from kaitiaki.db import session_scope
from kaitiaki.register import service as register_service
from kaitiaki.transparency.render import to_html_document, to_markdown
from kaitiaki.transparency.statement import build_statement
from tests.oia.conftest import PersonalRecords, pack, personal_records  # noqa: F401 (fixtures)
from tests.moderation.conftest import new_channel
from tests.register.conftest import Cast, cast, cast_settings, db, work  # noqa: F401 (fixtures)

ZONE = ZoneInfo("Pacific/Auckland")


def test_exactly_the_active_channels_and_the_real_figures(db: Session, cast: Cast,
                                                          personal_records: PersonalRecords):
    retired = new_channel(db, cast, handle="RetiredChannel")
    register_service.change_status(db, channel=retired, user=cast.user(db, "comms"), action="retire")
    statement = build_statement(db, pack=load_pack("dpmc"), base_url="https://kaitiaki.example",
                                zone=ZONE)
    handles = {c.handle for c in statement.channels}
    assert handles == {personal_records.channel.handle}  # the retired channel is not listed
    figures = statement.figures
    assert (figures.comments_hidden, figures.comments_deleted) == (1, 0)
    assert [(r.code, r.hidden, r.deleted) for r in figures.by_reason] == [
        ("personal_information", 1, 0)]
    assert (figures.complaints_received, figures.complaints_resolved) == (1, 0)
    assert statement.contact.complaint_form == "https://kaitiaki.example/complaints/new"
    assert statement.contact.email == "socialmedia@dpmc.govt.nz"
    assert statement.pack.startswith("dpmc@1.2+") and statement.pack_version == "1.2"
    markdown = to_markdown(statement)
    assert "## Ngā amuamu | Concerns and complaints" in markdown
    assert "## Tā mātou whakamahi i ngā pāpāho pāpori | How we use social media" in markdown
    assert "Comments hidden: 1" in markdown
    html = to_html_document(statement)
    assert '<span lang="mi">Ngā tatauranga</span> | Figures for the last twelve months' in html
    assert f"@{personal_records.channel.handle}" in html
    # Moderation reasons are the pack's, in its plain words.
    assert "Comments that share someone&#39;s personal details" in html


def test_public_page_and_json_without_sign_in(cast_settings, cast: Cast):
    with session_scope(cast.engine) as session:
        new_channel(session, cast, handle="PublicStatement")
    with TestClient(create_app(cast_settings)) as client:
        page = client.get("/transparency")
        data = client.get("/transparency.json").json()
    assert page.status_code == 200
    assert "@PublicStatement" in page.text and 'href="/transparency"' in page.text
    assert [c["handle"] for c in data["channels"]] == ["PublicStatement"]
    assert data["headings"]["concerns"] == {"mi": "Ngā amuamu", "en": "Concerns and complaints"}


def test_kaitiaki_transparency_render(cast_settings, cast: Cast, tmp_path, monkeypatch):
    monkeypatch.setenv("KAITIAKI_DATABASE_URL", cast.url)
    monkeypatch.setenv("KAITIAKI_SECRET_KEY", cast_settings.secret_key)
    runner = CliRunner()
    as_json = runner.invoke(cli_app, ["transparency", "render", "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["agency"] == "Department of the Prime Minister and Cabinet"
    target = tmp_path / "statement.html"
    written = runner.invoke(cli_app, ["transparency", "render", "--format", "html", "-o", str(target)])
    assert written.exit_code == 0, written.output
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    refused = runner.invoke(cli_app, ["transparency", "render", "--format", "pdf"])
    assert refused.exit_code != 0


def test_a_dated_period_is_listed_while_it_matters_and_not_long_after(db: Session, cast: Cast):
    in_2023 = build_statement(db, pack=load_pack("dpmc"), base_url="https://kaitiaki.example", zone=ZONE,
                              now=datetime(2023, 9, 1, tzinfo=UTC))
    assert [(p.starts.isoformat(), p.ends.isoformat()) for p in in_2023.periods] == [
        ("2023-07-14", "2023-10-14")]
    markdown = to_markdown(in_2023)
    assert "## Ngā wā motuhake | Periods with stricter rules" in markdown
    assert "**pre-election period for the 2023 general election**, 14 July 2023 to 14 October 2023." in markdown
    assert "Pre-election period for the 2023 general election</strong>, 14 July 2023" in to_html_document(in_2023)
    years_later = build_statement(db, pack=load_pack("dpmc"), base_url="https://kaitiaki.example", zone=ZONE,
                                  now=datetime(2026, 12, 7, tzinfo=UTC))
    assert years_later.periods == [] and "Periods with stricter rules" not in to_markdown(years_later)


def test_the_policy_page_shows_its_document_control(cast_settings, cast: Cast):
    with TestClient(create_app(cast_settings)) as client:
        page = client.get("/policy")
    assert page.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", page.text).split())
    assert "Version 1.2, approved 3 August 2020" in text
    assert "Approved by Executive Leadership Team member (DPMC-SGE)" in text
    assert "Due for review 1 July 2022 (the review date has passed)" in text
    assert ("<strong>Pre-election period for the 2023 general election</strong>, 14 July 2023 to "
            "14 October 2023 (past).") in page.text
