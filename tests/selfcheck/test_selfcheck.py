"""The personal self-check: plain explanations with the guidance quoted, nothing stored unless
kept, and the guidance page rendered from the psc-personal pack."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kaitiaki.app import create_app
from kaitiaki.errors import BadInput
from kaitiaki.models import PersonalCheck
from kaitiaki.selfcheck import service
from tests.web.helpers import csrf_from, form_token

GRIEVANCE = "My manager is useless and this department treats us like dirt. Sick of this place."


@pytest.fixture(scope="module")
def pack():
    return service.personal_pack()


def test_grievance_is_explained_with_the_guidance_quoted(pack):
    post = service.validate("facebook", GRIEVANCE, False, {"facebook": 63206})
    explained = service.explain(pack, service.self_check(pack, post))
    grievance = next(e for e in explained if "grievance" in e.message)
    assert grievance.quote == "It is never a good idea to air workplace grievances online"
    assert grievance.heading == "Have another think before posting this"
    assert grievance.section.endswith("| Using social media in a personal capacity")


def test_political_post_on_a_profile_naming_the_employer_is_a_stronger_finding(pack):
    text = "Party vote Labour! #LetsDoThis"
    listed = service.self_check(pack, service.validate("linkedin", text, True, {}))
    unlisted = service.self_check(pack, service.validate("linkedin", text, False, {}))
    assert listed.decision == "block" and unlisted.decision == "warn"


def test_a_view_tied_to_the_employer_is_explained_in_plain_words_with_the_words_that_weighed(pack):
    post = service.validate("x", "As a DPMC staffer I think the Government's new policy is rubbish", True, {})
    result = service.self_check(pack, post)
    explained = service.explain(pack, result)
    assert result.decision != "pass"
    assert explained and all(e.message and e.suggestion and e.quote for e in explained)
    assert len({e.message for e in explained}) == len(explained)  # one explanation per concern
    assert any(e.words for e in explained)


def test_an_ordinary_personal_post_passes(pack):
    post = service.validate("facebook", "Great day at the beach with the kids, then fish and chips at the wharf.",
                            True, {})
    assert service.self_check(pack, post).decision == "pass"


@pytest.mark.parametrize(("platform", "text", "field"), [
    ("x", "  ", "text"), ("x", "a" * 281, "text"), ("myspace", "Hello", "platform"),
])
def test_bad_input_is_a_field_error(platform, text, field):
    with pytest.raises(BadInput) as raised:
        service.validate(platform, text, False, {"x": 280})
    assert raised.value.fields[0].loc == [field]


def test_guidance_groups_clauses_with_bilingual_headings(pack):
    sources = service.guidance(pack)
    assert [s.title for s in sources][0].startswith("Guidance for State servants")
    headings = [section.heading for section in sources[0].sections]
    assert "Purpose | Kaupapa" in headings
    assert any(h.startswith("Te whakamahi pāpāho pāpori") for h in headings)


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings), follow_redirects=False) as test_client:
        yield test_client


def test_signed_out_self_check_explains_and_stores_nothing(client, engine):
    token = form_token(client, "/self-check")
    response = client.post("/self-check", data={"platform": "facebook", "text": GRIEVANCE,
                                                "csrf_token": token})
    assert response.status_code == 200
    assert "It is never a good idea to air workplace grievances online" in response.text
    assert "Sign in if you want to keep a copy" in response.text
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(PersonalCheck)).scalar() == 0


def test_empty_post_keeps_the_form(client):
    token = form_token(client, "/self-check")
    response = client.post("/self-check", data={"platform": "x", "text": "", "employer_listed": "on",
                                                "csrf_token": token})
    assert response.status_code == 422
    assert "Write or paste the post you want to check." in response.text
    assert re.search(r'id="employer_listed" name="employer_listed"\s+checked', response.text)


def test_guidance_page_is_public(client):
    response = client.get("/guidance")
    assert response.status_code == 200
    assert "Ngā tikanga hei whai" in response.text
    assert "It is never a good idea to air workplace grievances online" in response.text
    assert csrf_from(client.get("/login").text)
    assert 'href="/self-check"' in client.get("/login").text
