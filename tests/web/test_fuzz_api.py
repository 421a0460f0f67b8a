"""Schemathesis against the published OpenAPI description, on a live server and the test database
(SQLite, and PostgreSQL when KAITIAKI_TEST_DATABASE_URL is set): no generated request may get a
5xx answer. Bounded by a number of examples per operation, so each database takes a few minutes.

Run on its own with `pytest -m fuzz tests/web/test_fuzz_api.py`; KAITIAKI_FUZZ_EXAMPLES changes the
number of examples per operation (default 40). Every distinct failure it finds becomes a
regression test in tests/web/test_input_edges.py.

Drawing the examples from the schema costs more than sending them, so they are drawn once per run
and each database's server gets the same requests: every database still answers
`EXAMPLES_PER_OPERATION` requests per operation and generation mode.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode

from kaitiaki.app import create_app
from kaitiaki.auth.tokens import create_token
from kaitiaki.config import Settings
from kaitiaki.db import session_scope
from tests.fixtures.people import make_user
from tests.fixtures.register import make_channel
from tests.fixtures.servers import serving

pytestmark = pytest.mark.fuzz

EXAMPLES_PER_OPERATION = int(os.environ.get("KAITIAKI_FUZZ_EXAMPLES", "40"))
# (method, path, generation mode) -> the requests drawn for it, for the next database to replay.
_drawn: dict[tuple[str, str, str], list[Case]] = {}


@pytest.fixture(scope="module")
def fuzz_server(_test_database, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A live server on the test database with a register to act on; yields (base URL, token)."""
    _test_database.delete_all_rows()
    with session_scope(_test_database.engine) as session:
        staff = make_user(session, email="fuzz@dpmc.example.govt.nz", roles=["admin", "comms_staff"])
        approver = make_user(session, roles=["director_strategic_comms"])
        elt = make_user(session, roles=["elt_member@DPMC-SGE"])
        make_channel(session, requester=staff, approvers=(approver, elt), owner=staff,
                     unit="DPMC-SCE", handle="FuzzDpmc")
        _token, secret = create_token(session, user=staff, name="schemathesis")
    app_settings = Settings(env="test", database_url=_test_database.url,
                            var_dir=tmp_path_factory.mktemp("fuzz-var"),
                            secret_key="fuzz-" + "k" * 40 + "0123456789abcdefghij")
    try:
        with serving(create_app(app_settings)) as base_url:
            yield base_url, secret
    finally:
        _test_database.delete_all_rows()


def test_no_generated_request_gets_a_server_error(fuzz_server):
    base_url, secret = fuzz_server
    schema = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json")
    failures: dict[tuple[str, str, int], str] = {}
    sent: list[int] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        # An operation without parameters or body has no invalid form to generate.
        varied = any(True for _ in operation.iter_parameters()) or bool(operation.body)
        modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if varied else (GenerationMode.POSITIVE,)
        for mode in modes:
            _fuzz(operation, mode, base_url, secret, failures, sent)
    print(f"schemathesis sent {len(sent):,} requests; {len(failures)} distinct 5xx")
    assert not failures, "\n\n".join(failures.values())


def _fuzz(operation, mode: GenerationMode, base_url: str, secret: str,
          failures: dict[tuple[str, str, int], str], sent: list[int]) -> None:
    """Sends `EXAMPLES_PER_OPERATION` generated requests (drawn now, or replayed when another
    database's run drew them); keeps one example of each distinct 5xx (operation and status)
    instead of stopping at the first."""
    headers = {"Authorization": f"Bearer {secret}"}
    key = (operation.method.upper(), operation.path, mode.value)

    def send(case: Case) -> None:
        response = case.call(base_url=base_url, headers=headers)
        sent.append(response.status_code)
        if response.status_code >= 500:
            failure = (key[0], key[1], response.status_code)
            failures.setdefault(failure, f"{key[0]} {key[1]} answered {failure[2]} ({mode.value}):\n"
                                         f"{case.as_curl_command(headers=headers)}")

    if key in _drawn:
        for case in _drawn[key]:
            send(case)
        return
    drawn: list[Case] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def draw_and_send(case: Case) -> None:
        drawn.append(case)
        send(case)

    try:
        draw_and_send()
    except Unsatisfiable:
        pass  # nothing to vary: an operation without parameters has no negative examples
    _drawn[key] = drawn
