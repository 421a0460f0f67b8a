"""POST /api/v1/check on the assembled application: one item, a list, and the refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kaitiaki.app import create_app
from kaitiaki.config import Settings

MINI = str(Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "mini")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    var = tmp_path_factory.mktemp("var")
    settings = Settings(env="test", database_url=f"sqlite:///{var}/k.db", var_dir=var,
                        secret_key="k" * 40, policy_pack=MINI)
    return TestClient(create_app(settings))


def test_one_item_gets_one_result(client: TestClient) -> None:
    response = client.post("/api/v1/check", json={"id": "p", "kind": "post", "text": "Vote Green Party!"})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "p" and body["decision"] == "block" and body["pack"].startswith("mini@1.0+")
    assert body["findings"][0]["quote"] == "Staff must remain politically neutral."


def test_a_list_gets_results_in_order_with_errors_in_place(client: TestClient) -> None:
    items = [
        {"id": "1", "kind": "post", "text": "Hello"},
        {"id": "2", "kind": "post", "text": ""},
        {"id": "3", "kind": "interaction", "action": "like", "target": {"handle": "@ExampleGreens"}},
    ]
    response = client.post("/api/v1/check", json=items)
    assert response.status_code == 200
    body = response.json()
    assert body[0]["decision"] == "pass"
    assert body[1] == {"index": 1, "id": "2", "error": "nothing to check: the text is empty"}
    assert body[2]["decision"] == "block"


def test_a_long_list_is_answered_like_a_short_one(client: TestClient) -> None:
    texts = ["Hello", "Vote Green Party!", "Our offices are closed on Labour Day."]
    items = [{"id": str(n), "kind": "post", "text": texts[n % 3]} for n in range(12)]
    items[7]["text"] = ""
    long_answer = client.post("/api/v1/check", json=items).json()
    short_answers = [client.post("/api/v1/check", json=items[n:n + 3]).json() for n in range(0, 12, 3)]
    assert [answer for group in short_answers for answer in group][:7] == long_answer[:7]
    assert long_answer[7] == {"index": 7, "id": "7", "error": "nothing to check: the text is empty"}
    assert [answer["decision"] for answer in long_answer[8:]] == ["pass", "pass", "block", "pass"]
    single = client.post("/api/v1/check", json=items[1])
    assert single.headers["content-type"] == "application/json"
    assert single.json() == long_answer[1]
    # A long text is answered like a short one.
    padded = {**items[1], "text": items[1]["text"] + " Kia ora." * 1_000}
    assert client.post("/api/v1/check", json=padded).json()["decision"] == "block"


def test_an_empty_post_alone_is_refused(client: TestClient) -> None:
    response = client.post("/api/v1/check", json={"kind": "post", "text": "  "})
    assert response.status_code == 422
    assert response.json()["detail"] == "nothing to check: the text is empty"


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"text": "no kind"}, "kind"),
        ({"kind": "tweet", "text": "x"}, "kind"),
        ({"kind": "post", "text": "x" * 100_001}, "text"),
        ([{"kind": "post", "text": "fine"}, {"kind": "post"}, {"kind": "bad"}], "kind"),
    ],
)
def test_a_malformed_item_refuses_the_request_naming_the_field(client: TestClient, body: object, loc: str) -> None:
    response = client.post("/api/v1/check", json=body)
    assert response.status_code == 422
    payload = response.json()
    assert payload["error"] == "bad_input"
    assert any(loc in field["loc"] for field in payload["fields"])


def test_a_malformed_item_in_a_list_is_named_by_index(client: TestClient) -> None:
    response = client.post("/api/v1/check", json=[{"kind": "post", "text": "ok"}, {"kind": "bad", "text": "x"}])
    assert response.status_code == 422
    assert any(1 in field["loc"] and "kind" in field["loc"] for field in response.json()["fields"])


def test_more_than_1000_items_are_refused(client: TestClient) -> None:
    response = client.post("/api/v1/check", json=[{"kind": "post", "text": "hi"}] * 1001)
    assert response.status_code == 422
    assert "at most 1,000 items per request" in response.json()["detail"]
    assert client.post("/api/v1/check", json=[{"kind": "post", "text": "hi"}] * 1000).status_code == 200


def test_the_endpoint_and_its_models_are_in_the_openapi_schema(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/check" in schema["paths"]
    assert {"Item", "Result", "Finding", "Evidence", "CheckError"} <= set(schema["components"]["schemas"])
