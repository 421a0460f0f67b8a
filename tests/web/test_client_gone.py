"""A request whose client has gone while it waited does not start database work."""

from __future__ import annotations

import asyncio

import pytest
from starlette.requests import Request

from kaitiaki.web.deps import ClientGone, abandon_if_client_gone


def _request(messages: list[dict]) -> Request:
    async def receive() -> dict:
        if messages:
            return messages.pop(0)
        await asyncio.sleep(3600)  # a client still there: nothing more arrives
        return {}

    return Request({"type": "http", "method": "GET", "path": "/", "headers": []}, receive)


def test_a_request_whose_client_has_gone_is_abandoned() -> None:
    with pytest.raises(ClientGone):
        asyncio.run(abandon_if_client_gone(_request([{"type": "http.disconnect"}])))


def test_a_request_whose_client_is_waiting_goes_ahead() -> None:
    asyncio.run(abandon_if_client_gone(_request([])))
