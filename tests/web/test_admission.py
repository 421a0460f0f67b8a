"""Admission control: beyond the bound a request waits briefly, then gets 503 with Retry-After;
the health check is never held back, and the check API has a bound of its own."""

from __future__ import annotations

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from kaitiaki.web.admission import AdmissionControl, AdmissionLimits


def _slow_app(release: anyio.Event) -> Starlette:
    async def slow(_request):  # noqa: ANN001, ANN202
        await release.wait()
        return JSONResponse({"ok": True})

    async def fast(_request):  # noqa: ANN001, ANN202
        return JSONResponse({"ok": True})

    return Starlette(routes=[Route("/api/v1/work", slow, methods=["GET", "POST"]),
                             Route("/api/v1/check", slow, methods=["POST"]),
                             Route("/healthz", fast)])


@pytest.mark.anyio
async def test_a_request_beyond_the_bound_is_answered_503_with_retry_after() -> None:
    release = anyio.Event()
    app = AdmissionControl(_slow_app(release), limits=AdmissionLimits(
        max_in_flight=2, wait_seconds=0.2, check_api_max_in_flight=1))
    transport = httpx.ASGITransport(app=app)
    answers: list[httpx.Response] = []
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

        async def call(method: str, path: str) -> None:
            answers.append(await client.request(method, path))

        async with anyio.create_task_group() as group:
            group.start_soon(call, "GET", "/api/v1/work")
            group.start_soon(call, "GET", "/api/v1/work")
            await anyio.sleep(0.05)
            refused = await client.get("/api/v1/work")
            health = await client.get("/healthz")
            group.start_soon(call, "POST", "/api/v1/check")  # a place of its own
            await anyio.sleep(0.05)
            check_refused = await client.post("/api/v1/check")
            release.set()
        after = await client.get("/api/v1/work")

    assert refused.status_code == 503 and refused.headers["Retry-After"].isdigit()
    assert refused.json()["error"] == "busy"
    assert check_refused.status_code == 503 and "Retry-After" in check_refused.headers
    assert health.status_code == 200
    assert sorted(a.status_code for a in answers) == [200, 200, 200]
    assert after.status_code == 200


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
