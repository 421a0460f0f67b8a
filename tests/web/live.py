"""A live Kaitiaki server for tests that need real concurrent HTTP requests: uvicorn on a free
loopback port in a thread of the test process, serving the test database."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import uvicorn

from kaitiaki.app import create_app
from kaitiaki.config import Settings

SERVER_START_SECONDS = 30
# What the acceptance criteria ask for: this many requests in flight at once.
IN_FLIGHT = 16


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def live_server(settings: Settings) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, name="kaitiaki-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("The live server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=SERVER_START_SECONDS)


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


__all__ = ["Answer", "Call", "IN_FLIGHT", "free_port", "live_server", "send_all"]
