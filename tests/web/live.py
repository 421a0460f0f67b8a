"""A live Kaitiaki server for tests that need real concurrent HTTP requests: uvicorn on a free
loopback port in a thread of the test process, serving the test database."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from kaitiaki.app import create_app
from kaitiaki.config import Settings
from tests.fixtures.servers import serving

# What the acceptance criteria ask for: this many requests in flight at once.
IN_FLIGHT = 16


@contextmanager
def live_server(settings: Settings) -> Iterator[str]:
    with serving(create_app(settings)) as url:
        yield url


@dataclass(frozen=True)
class Call:
    """One request to send: `who` names the API token to send it with."""

    who: str
    method: str
    path: str
    json: dict | None = None
    tag: object = None


@dataclass(frozen=True)
class Answer:
    call: Call
    status: int
    body: dict

    @property
    def detail(self) -> str:
        return str(self.body.get("detail", ""))


def send_all(base_url: str, tokens: dict[str, str], calls: Sequence[Call],
             in_flight: int = IN_FLIGHT) -> list[Answer]:
    """Send every call, `in_flight` at a time from as many threads; answers in call order."""
    barrier = threading.Barrier(min(in_flight, len(calls)))

    def send(client: httpx.Client, call: Call, index: int) -> Answer:
        if index < barrier.parties:
            barrier.wait()  # the first wave leaves together, so the requests really overlap
        response = client.request(call.method, base_url + call.path, json=call.json,
                                  headers={"Authorization": f"Bearer {tokens[call.who]}"})
        try:
            body = response.json()
        except ValueError:
            body = {"text": response.text}
        return Answer(call, response.status_code, body if isinstance(body, dict) else {"items": body})

    limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)
    with httpx.Client(timeout=60, limits=limits) as client, \
            ThreadPoolExecutor(max_workers=in_flight) as pool:
        send_one: Callable[[tuple[int, Call]], Answer] = lambda pair: send(client, pair[1], pair[0])  # noqa: E731
        return list(pool.map(send_one, enumerate(calls)))


__all__ = ["Answer", "Call", "IN_FLIGHT", "live_server", "send_all"]
