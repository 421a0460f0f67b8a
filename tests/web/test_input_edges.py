"""Input no route can store, stopped at the edge with a clear answer instead of a server error.
Each case is one that the API fuzzing (tests/web/test_fuzz_api.py) or earlier probing found
answered 5xx: control characters, ids past the database's integer range, impossible dates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from kaitiaki.common.forms import FieldErrors, end_of_day, parse_date, parse_id
from kaitiaki.register.schemas import AuthoriseIn


probes = APIRouter()


@probes.get("/api/v1/probe/overflow")
@probes.get("/probe/overflow")
def overflow() -> None:
    end_of_day(date.max, ZoneInfo("Pacific/Auckland"))


@probes.get("/api/v1/probe/items/{item_id}")
def item(item_id: int) -> dict:
    return {"id": item_id}


@pytest.fixture
def probe_client(app: FastAPI) -> Iterator[TestClient]:
    app.include_router(probes)
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


@pytest.mark.parametrize("path", [
    "/api/v1/channels/2147483648",                 # past PostgreSQL's INTEGER
    "/api/v1/drafts/9223372036854775808",          # past SQLite's 64-bit integer
    "/api/v1/channels/requests/16932311672389699584/approve",
    "/api/v1/comments/5129410864766815043584/actions",
])
def test_an_id_past_the_database_range_is_not_found(client: TestClient, path: str):
    response = client.post(path, json={}) if path.endswith(("approve", "actions")) else client.get(path)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_an_id_past_the_range_on_a_page_is_the_404_page(client: TestClient):
    response = client.get("/register/channels/99999999999999999999")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text


def test_an_id_that_is_not_a_number_is_not_found(probe_client: TestClient):
    response = probe_client.get("/api/v1/probe/items/abc")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert probe_client.get("/api/v1/probe/items/2147483647").json() == {"id": 2147483647}


@pytest.mark.parametrize("query", ["q=%00", "q=a%1Bb", "status=%7F"])
def test_a_control_character_in_the_query_string_is_refused(client: TestClient, query: str):
    response = client.get(f"/api/v1/channels?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "bad_input" and "control character" in body["detail"]
    assert body["fields"][0]["loc"][0] == "query"


@pytest.mark.parametrize("text", ["a\u0000b", "lone \ud800 surrogate", "esc \u001b"])
def test_a_control_character_in_a_json_body_is_refused_naming_the_field(client: TestClient,
                                                                        text: str):
    body = json.dumps({"kind": "post", "text": text})  # ASCII, with \u escapes, as a client sends
    response = client.post("/api/v1/check", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["fields"] == [
        {"loc": ["body", "text"], "msg": response.json()["fields"][0]["msg"], "type": "value_error"}]


def test_tabs_line_breaks_and_emoji_pass(client: TestClient):
    response = client.post("/api/v1/check", json={"kind": "post", "text": "Kia ora\n\tkoutou \U0001F30F"})
    assert response.status_code == 200


def test_a_value_out_of_range_deep_inside_is_a_422_not_a_500(probe_client: TestClient):
    api = probe_client.get("/api/v1/probe/overflow")
    page = probe_client.get("/probe/overflow")
    assert api.status_code == 422 and "out of the range" in api.json()["detail"]
    assert page.status_code == 422 and "out of the range" in page.text


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"])
def test_dates_outside_a_sane_range_are_refused_with_a_message(value: str):
    errors = FieldErrors()
    assert parse_date(value, errors, "until", "the end date") is None
    assert errors.errors[0].msg == "Enter a date between 1900-01-01 and 2199-12-31."
    with pytest.raises(ValidationError, match="Enter a date between"):
        AuthoriseIn.model_validate({"email": "a@b.govt.nz", "until": value})


def test_a_sane_date_is_kept():
    errors = FieldErrors()
    assert parse_date("2027-06-30", errors, "until", "the end date") == date(2027, 6, 30)
    assert not errors.errors
    assert AuthoriseIn.model_validate({"email": "a@b.govt.nz", "until": "2027-06-30"}).until


def test_a_date_parser_says_what_its_form_asks_for():
    errors = FieldErrors()
    assert parse_date("", errors, "until", "the end date") is None and not errors.errors
    assert parse_date("", errors, "first", "the first date", required=True) is None
    assert parse_date("31/12/2026", errors, "last", "the last date",
                      message="Enter the last date as YYYY-MM-DD.") is None
    assert parse_date("next week", errors, "until", "the end date") is None
    assert parse_date("9999-12-31", errors, "last", "the last date", message="unused") is None
    assert [(e.loc[0], e.msg) for e in errors.errors] == [
        ("first", "Enter the first date."), ("last", "Enter the last date as YYYY-MM-DD."),
        ("until", "Enter the end date as a date like 2026-12-31."),
        ("last", "Enter a date between 1900-01-01 and 2199-12-31.")]


@pytest.mark.parametrize("content_type", [None, "application/vnd.kaitiaki+json",
                                          "application/json; charset=utf-8"])
def test_every_body_read_as_json_is_checked(probe_client: TestClient, content_type: str | None):
    headers = {"content-type": content_type} if content_type else {}
    response = probe_client.post("/api/v1/check", content=b'{"kind": "post", "text": "a\\u0000"}',
                                 headers={**headers, "Authorization": "Bearer kt_x"})
    assert response.status_code == 422
    assert response.json()["fields"][0]["loc"] == ["body", "text"]


@pytest.mark.parametrize(("text", "expected"), [
    ("42", 42), (" 7 ", 7), ("", None), ("0", None), ("-3", None), ("\u00b2", None),
    ("\u0661\u0662", None), ("2147483647", 2147483647), ("2147483648", None), ("abc", None)])
def test_ids_named_in_forms_and_filters_are_ascii_numbers_in_the_database_range(text, expected):
    assert parse_id(text) == expected
