"""A burst of ~100 concurrent clients for ~10 s against the real server (`kaitiaki serve`), on
SQLite and (when configured) PostgreSQL: signed-in pages, the public complaint form, the
anonymous check API, drafts and comment imports, each client retrying after a 503 as its
Retry-After asks.

What a person would notice, asserted: nothing but 503 among 5xx answers and each 503 says when
to retry; every request is answered within the client's 30 s limit; every write that was
acknowledged is stored, and none is stored twice; straight after the burst the health check and
a signed-in page answer normally. (How fast is for bench/, not here.)
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from kaitiaki.auth.tokens import create_token
from kaitiaki.db import make_engine, session_scope
from kaitiaki.models import Comment, Complaint, Draft, DraftVersion
from kaitiaki.register import service as register_service
from tests.conftest import TEST_SECRET_KEY
from tests.fixtures.people import DEFAULT_PASSWORD, make_units, make_user
from tests.fixtures.register import ZONE, make_channel
from tests.fixtures.servers import free_port

CLIENTS = 100
BURST_SECONDS = 10
CLIENT_TIMEOUT_SECONDS = 30
# Bounds on waiting for the server, not speed targets.
START_LIMIT_SECONDS = 120
RETRY_PAUSE_CAP_SECONDS = 1.0
MAX_RETRIES = 20
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
SUBMISSION_TOKEN = re.compile(r'name="submission_token" value="([^"]+)"')
ALLOWED = {200, 201, 303, 409, 429, 503}


@dataclass
class Outcome:
    statuses: Counter = field(default_factory=Counter)
    without_retry_after: int = 0
    failures: list[str] = field(default_factory=list)
    drafts: set[str] = field(default_factory=set)
    comments: set[str] = field(default_factory=set)
    complaints: int = 0


@pytest.fixture
def burst_site(db_url: str, tmp_path: Path):
    """People, a channel, API tokens, and `kaitiaki serve` running on the test database."""
    engine = make_engine(db_url)
    tokens: dict[str, str] = {}
    try:
        with session_scope(engine) as session:
            make_units(session)
            people = {name: make_user(session, email=f"{name}@burst.example.govt.nz", name=name.title(),
                                      roles=roles)
                      for name, roles in {"comms": ["comms_staff"], "ce": ["nema_chief_executive"],
                                          "cm": ["nema_comms_manager"], "owner": ["staff"],
                                          "poster": ["staff"]}.items()}
            channel = make_channel(session, requester=people["comms"], approvers=(people["ce"], people["cm"]),
                                   owner=people["owner"], handle="BurstChannel")
            register_service.authorise(session, user=people["owner"], channel=channel,
                                       person_email=people["poster"].email, until=None, reason="",
                                       zone=ZONE)
            for name in ("owner", "poster"):
                _row, tokens[name] = create_token(session, user=people[name], name="burst")
            channel_id = channel.id
    finally:
        engine.dispose()
    port = free_port()
    environment = {**os.environ, "KAITIAKI_DATABASE_URL": db_url, "KAITIAKI_ENV": "test",
                   "KAITIAKI_VAR_DIR": str(tmp_path / "var"), "KAITIAKI_SECRET_KEY": TEST_SECRET_KEY,
                   # Every simulated client comes from 127.0.0.1: lift the per-client limits, which
                   # would otherwise count the whole burst as one client (production keeps them).
                   **BURST_RATE_LIMITS}
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(
            [sys.executable, "-c", "from kaitiaki.cli import main; main()", "serve",
             "--host", "127.0.0.1", "--port", str(port)],
            env=environment, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(server, base, log)
        yield base, tokens, channel_id, log
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# The limits notation has no "unlimited": a count no burst reaches.
BURST_RATE_LIMITS = {f"KAITIAKI_RATE_LIMIT_{name}": "1000000/minute"
                     for name in ("CHECK_API", "COMPLAINT_FORM", "SIGN_IN")}


def _wait_until_up(server: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + START_LIMIT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"kaitiaki serve exited:\n{log.read_text(encoding='utf-8')}")
        try:
            if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"kaitiaki serve did not answer:\n{log.read_text(encoding='utf-8')}")


async def _sign_in(client: httpx.AsyncClient, email: str) -> None:
    page = await client.get("/login")
    token = CSRF_INPUT.search(page.text).group(1)
    signed = await client.post("/login", data={"email": email, "password": DEFAULT_PASSWORD,
                                               "next": "/", "csrf_token": token})
    assert signed.status_code == 303, signed.text


async def _send(outcome: Outcome, client: httpx.AsyncClient, method: str, path: str,
                **kwargs) -> httpx.Response | None:
    """Send once, and again after each 503 as Retry-After asks; None when it never got through."""
    for _attempt in range(MAX_RETRIES):
        try:
            response = await client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            outcome.failures.append(f"{method} {path}: {type(exc).__name__}")
            return None
        outcome.statuses[response.status_code] += 1
        if response.status_code != 503:
            return response
        retry_after = response.headers.get("Retry-After", "")
        if not retry_after.isdigit():
            outcome.without_retry_after += 1
            return None
        await asyncio.sleep(min(int(retry_after), RETRY_PAUSE_CAP_SECONDS))
    return None


async def _client(number: int, base: str, tokens: dict[str, str], channel_id: int,
                  outcome: Outcome, page_cookies: httpx.Cookies, stop_at: float) -> None:
    kind = ("page", "page", "page", "complaint", "check", "check", "check", "draft", "draft",
            "import")[number % 10]
    counter = itertools.count()
    timeout = httpx.Timeout(CLIENT_TIMEOUT_SECONDS)
    cookies = page_cookies if kind == "page" else None
    async with httpx.AsyncClient(base_url=base, timeout=timeout, cookies=cookies) as client:
        while time.monotonic() < stop_at:
            n = next(counter)
            if kind == "page":
                await _send(outcome, client, "GET", "/")
            elif kind == "check":
                await _send(outcome, client, "POST", "/api/v1/check",
                            json={"kind": "post", "text": f"Road closures update {number}-{n}."})
            elif kind == "draft":
                text = f"Civil defence centres open today, update {number}-{n}."
                response = await _send(outcome, client, "POST", "/api/v1/drafts",
                                       json={"channel_id": channel_id, "text": text},
                                       headers={"Authorization": f"Bearer {tokens['poster']}"})
                if response is not None and response.status_code == 201:
                    outcome.drafts.add(text)
            elif kind == "import":
                ids = [f"burst-{number}-{n}-{i}" for i in range(3)]
                body = {"channel": str(channel_id), "comments": [
                    {"id": external, "text": f"Is the shelter open tonight? ({external})",
                     "author": f"@reader{number}"} for external in ids]}
                response = await _send(outcome, client, "POST", "/api/v1/comments", json=body,
                                       headers={"Authorization": f"Bearer {tokens['owner']}"})
                if response is not None and response.status_code == 201:
                    outcome.comments.update(ids)
            else:
                form = await _send(outcome, client, "GET", "/complaints/new")
                if form is None or form.status_code != 200:
                    continue
                token = CSRF_INPUT.search(form.text).group(1)
                once = SUBMISSION_TOKEN.search(form.text).group(1)
                response = await _send(outcome, client, "POST", "/complaints/new", data={
                    "category": "accuracy", "channel": str(channel_id), "csrf_token": token,
                    "submission_token": once,
                    "description": f"The figures in update {number}-{n} are wrong."})
                if response is not None and response.status_code == 303:
                    outcome.complaints += 1


async def _burst(base: str, tokens: dict[str, str], channel_id: int) -> tuple[Outcome, int, int]:
    outcome = Outcome()
    async with httpx.AsyncClient(base_url=base, timeout=CLIENT_TIMEOUT_SECONDS) as signer:
        await _sign_in(signer, "poster@burst.example.govt.nz")
        cookies = signer.cookies
        stop_at = time.monotonic() + BURST_SECONDS
        await asyncio.gather(*(_client(number, base, tokens, channel_id, outcome, cookies, stop_at)
                               for number in range(CLIENTS)))
        health = await signer.get("/healthz")
        page = await signer.get("/")
    return outcome, health.status_code, page.status_code


def test_a_burst_of_a_hundred_clients_gets_answers_and_loses_no_write(burst_site, db_url: str) -> None:
    base, tokens, channel_id, log = burst_site

    outcome, health, page = asyncio.run(_burst(base, tokens, channel_id))

    assert outcome.failures == [], outcome.failures[:5]
    assert set(outcome.statuses) <= ALLOWED, (outcome.statuses, log.read_text(encoding="utf-8")[-3000:])
    assert outcome.without_retry_after == 0
    assert (health, page) == (200, 200)
    assert outcome.statuses[200] + outcome.statuses[201] > 0
    engine = make_engine(db_url)
    try:
        with session_scope(engine, write=False) as session:
            stored_drafts = list(session.scalars(select(DraftVersion.text).join(Draft)))
            stored_comments = list(session.scalars(
                select(Comment.external_id).where(Comment.channel_id == channel_id)))
            complaints = session.scalar(select(func.count()).select_from(Complaint))
    finally:
        engine.dispose()
    assert set(stored_drafts) == outcome.drafts
    assert len(stored_drafts) == len(set(stored_drafts))  # none stored twice
    assert set(stored_comments) == outcome.comments
    assert len(stored_comments) == len(set(stored_comments))
    assert complaints == outcome.complaints
