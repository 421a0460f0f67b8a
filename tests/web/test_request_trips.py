"""A request's unit of work is made in one trip through the thread pool: the session and the
signed-in person together, then the route, then the commit. Every trip is a wait in the queue for
one of the pool's threads, so under load each extra trip is another wait (with the session and the
person as separate dependencies it was four). The count is of real calls, not a timing."""

from __future__ import annotations

from collections.abc import Iterator

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from tests.register.conftest import Cast, cast, cast_settings, signed_in  # noqa: F401 (fixtures)
from tests.web.helpers import form_token


@pytest.fixture
def trips(monkeypatch) -> Iterator[list[str]]:
    """The name of each function sent to the thread pool, in order."""
    sent: list[str] = []
    real = anyio.to_thread.run_sync

    async def counted(func, *args, **kwargs):  # noqa: ANN001, ANN202
        sent.append(getattr(func, "__qualname__", repr(func)))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    yield sent


def _count(trips: list[str], request) -> int:  # noqa: ANN001
    trips.clear()
    response = request()
    assert response.status_code < 500, response.text
    return len(trips)


def test_a_signed_in_page_and_a_refused_form_take_three_trips_each(signed_in, trips):
    client: TestClient = signed_in("owner")
    assert _count(trips, lambda: client.get("/register")) == 3
    token = form_token(client, "/register/new")
    refused = lambda: client.post("/register/new", data={"csrf_token": token, "handle": ""})  # noqa: E731
    assert _count(trips, refused) == 3
