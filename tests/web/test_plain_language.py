"""Plain language: history as sentences, the policy named in words, role titles, the glossary,
and a dashboard that shows only what concerns the person."""

from __future__ import annotations

import html
import pathlib
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from kaitiaki.audit.sentences import VERBS, sentence
from kaitiaki.models import AuditEvent
from kaitiaki.web.plain import pack_label
from kaitiaki.web.templating import role_spec_label
from tests.fixtures.people import DEFAULT_PASSWORD, make_user
from tests.web.helpers import sign_in


def _event(action: str, actor: str = "aroha@dpmc.example.govt.nz", **details) -> AuditEvent:
    return AuditEvent(actor=actor, action=action, subject="x:1", details=details)


def test_an_event_reads_as_a_sentence_with_the_person_named():
    names = {"aroha@dpmc.example.govt.nz": "Aroha Ngata"}
    assert sentence(_event("channel.request_approved"), names) == "Aroha Ngata approved the request."
    assert (sentence(_event("channel.poster_authorised", person="wiremu@dpmc.example.govt.nz"),
                     {**names, "wiremu@dpmc.example.govt.nz": "Wiremu Poster"})
            == "Aroha Ngata authorised Wiremu Poster to post on the channel.")
    assert (sentence(_event("complaint.escalated", to_role="elt_member", note="Address shown"), names)
            == "Aroha Ngata escalated the complaint, to the Executive Leadership Team member: “Address shown”")
    assert (sentence(_event("complaint.closed", **{"from": "responded", "to": "closed"}), names)
            == "Aroha Ngata closed the complaint from responded to closed.")


def test_without_a_name_the_address_is_kept_and_system_actors_have_words():
    assert sentence(_event("draft.submitted")) == "aroha@dpmc.example.govt.nz submitted the draft."
    assert sentence(_event("complaint.received", actor="public")) == "A member of the public lodged the complaint."
    assert sentence(_event("retention.disposed", actor="system")).startswith("Kaitiaki disposed of records")


def test_an_action_with_no_sentence_yet_is_still_readable():
    assert sentence(_event("widget.was_polished"), {}) == "aroha@dpmc.example.govt.nz was polished (widget)."


def test_every_action_the_code_records_has_a_sentence():
    source = pathlib.Path(__file__).resolve().parents[2] / "src" / "kaitiaki"
    recorded = set()
    for path in source.rglob("*.py"):
        recorded.update(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert recorded - set(VERBS) == set()


def test_the_policy_is_named_in_words():
    assert pack_label("dpmc@1.2+b750f209") == "DPMC / NEMA Social Media Policy, version 1.2"
    assert pack_label("psc-personal@1.0+abc").startswith("Personal use of social media")
    assert pack_label("unknown@3+ff") == "unknown, version 3"
    assert pack_label("") == ""


def test_role_specs_read_as_titles():
    assert role_spec_label("elt_member@DPMC-SGE") == "Executive Leadership Team member (DPMC-SGE)"
    assert role_spec_label("nema_chief_executive") == "NEMA Chief Executive"


def test_the_glossary_is_open_to_everyone_and_linked_from_every_page(client: TestClient):
    page = client.get("/glossary")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Business owner" in text and "Executive Leadership Team member" in text
    assert 'href="/glossary"' in client.get("/complaints/new").text


def test_a_staff_member_with_no_channels_sees_no_moderation_or_complaint_panels(
        client: TestClient, session: Session):
    make_user(session, email="new@dpmc.example.govt.nz", name="Nikau New", roles=["staff"])
    session.commit()
    sign_in(client, "new@dpmc.example.govt.nz", DEFAULT_PASSWORD)

    page = client.get("/").text

    assert "Comments waiting in your queues" not in page
    assert "No comments are waiting for you." not in page
    assert "Complaints for you to handle" not in page and "Overdue complaints" not in page
    assert "Nothing needs your attention right now." in page
