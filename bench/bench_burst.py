"""Useful throughput during a burst, as a ratio of the rate with 8 clients, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_burst.py [--clients 120] [--seconds 15] [--pg-url URL] [--quick]

For each database: a fresh database with the demo organisation; `kaitiaki serve` (one worker,
the default settings) on a free 127.0.0.1 port. Each client runs one kind of work in a loop: a
signed-in page (the dashboard), the public complaint form (load it, send it), the anonymous check
API, a draft (API token) or a comment import of 3 comments (API token), in the proportions
3 : 1 : 3 : 2 : 1. A client that gets 503 waits as Retry-After asks (at most 1 s) and sends the
same request again.

First 8 clients for --seconds (the reference, same run, same server), then --clients for --seconds:
useful throughput is answers that did what was asked (2xx and 3xx, plus the 429 of the complaint
form's rate limit: the server answered it correctly) per second. Reported: both rates, their ratio
(the goal is >= 0.5), p50 / p99 latency of every answer, 503s, other 5xx, requests unanswered
after 30 s, and the time to import the application and to load the policy pack in a fresh
process (what a starting worker pays), median of 3. Writes bench/results/burst.json.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bench_moderation import CHANNEL, OWNER, SECRET, fresh_database, prepared
from bench_web import free_port, stop_server
from common import (
    REPO_ROOT,
    UNLIMITED_RATE_LIMITS,
    forbid_network,
    machine,
    percentile,
    write_result,
)
from kaitiaki.auth.tokens import create_token
from kaitiaki.db import session_scope
from kaitiaki.people import queries as people_queries
from kaitiaki.people.demo import DEMO_PASSWORD
from kaitiaki.register import queries as register_queries
from kaitiaki.register import service as register_service
from kaitiaki.register.service import can_post

BASELINE_CLIENTS = 8
CLIENT_TIMEOUT_S = 30
START_TIMEOUT_S = 240
RETRY_CAP_S = 1.0
KINDS = ("page", "page", "page", "complaint", "check", "check", "check", "draft", "draft", "import")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ONCE = re.compile(r'name="submission_token" value="([^"]+)"')


def setup(url: str) -> tuple[int, str]:
    """The demo channel's id and an API token of its business owner, who may also post on it."""
    engine, channel_id = prepared(url)
    try:
        with session_scope(engine) as session:
            owner = people_queries.get_user_by_email(session, OWNER)
            channel = register_queries.get_channel_by_handle(session, *CHANNEL)
            if not can_post(session, owner, channel):
                register_service.authorise(session, user=owner, channel=channel, person_email=OWNER,
                                           until=None, reason="bench", zone=ZoneInfo("Pacific/Auckland"))
            _row, token = create_token(session, user=owner, name="bench")
        return channel_id, token
    finally:
        engine.dispose()


def start_server(url: str, port: int, workdir: Path) -> subprocess.Popen:
    env = {**os.environ, "KAITIAKI_DATABASE_URL": url, "KAITIAKI_SECRET_KEY": SECRET,
           "KAITIAKI_ENV": "development", "KAITIAKI_VAR_DIR": str(workdir / "var"),
           # Every simulated client comes from 127.0.0.1: lift the per-client limits, which
           # would otherwise count the whole burst as one client (production keeps them).
           **UNLIMITED_RATE_LIMITS}
    command = [sys.executable, "-c", "from kaitiaki.cli import main; main()", "serve",
               "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


class Tally:
    def __init__(self) -> None:
        self.statuses: Counter = Counter()
        self.latencies: list[float] = []
        self.useful = 0
        self.unanswered = 0
        self.without_retry_after = 0


async def send(tally: Tally, client: httpx.AsyncClient, method: str, path: str, **kwargs: Any):  # noqa: ANN201
    while True:
        began = time.perf_counter()
        try:
            answer = await client.request(method, path, **kwargs)
        except httpx.HTTPError:
            tally.unanswered += 1
            return None
        tally.latencies.append((time.perf_counter() - began) * 1000)
        tally.statuses[answer.status_code] += 1
        if answer.status_code != 503:
            if answer.status_code < 400 or answer.status_code == 429:
                tally.useful += 1
            return answer
        retry = answer.headers.get("Retry-After", "")
        if not retry.isdigit():
            tally.without_retry_after += 1
            return None
        await asyncio.sleep(min(int(retry), RETRY_CAP_S))


async def client_loop(number: int, base: str, token: str, channel_id: int, cookies: httpx.Cookies,
                      tally: Tally, stop_at: float) -> None:
    kind = KINDS[number % len(KINDS)]
    auth = {"Authorization": f"Bearer {token}"}
    counter = itertools.count()
    async with httpx.AsyncClient(base_url=base, timeout=CLIENT_TIMEOUT_S,
                                 cookies=cookies if kind == "page" else None) as client:
        while time.perf_counter() < stop_at:
            n = next(counter)
            if kind == "page":
                await send(tally, client, "GET", "/")
            elif kind == "check":
                await send(tally, client, "POST", "/api/v1/check",
                           json={"kind": "post", "text": f"Road closures update {number}-{n}."})
            elif kind == "draft":
                await send(tally, client, "POST", "/api/v1/drafts", headers=auth,
                           json={"channel_id": channel_id, "text": f"Centres open, update {number}-{n}."})
            elif kind == "import":
                await send(tally, client, "POST", "/api/v1/comments", headers=auth, json={
                    "channel": str(channel_id), "comments": [
                        {"id": f"burst-{time.time_ns()}-{number}-{n}-{i}", "text": "Is the shelter open?",
                         "author": f"@reader{number}"} for i in range(3)]})
            else:
                form = await send(tally, client, "GET", "/complaints/new")
                if form is None or form.status_code != 200:
                    continue
                await send(tally, client, "POST", "/complaints/new", data={
                    "category": "accuracy", "channel": str(channel_id),
                    "csrf_token": CSRF.search(form.text).group(1),
                    "submission_token": ONCE.search(form.text).group(1),
                    "description": f"The figures in update {number}-{n} are wrong."})


async def phase(base: str, token: str, channel_id: int, cookies: httpx.Cookies, clients: int,
                seconds: float) -> dict[str, Any]:
    tally = Tally()
    began = time.perf_counter()
    await asyncio.gather(*(client_loop(number, base, token, channel_id, cookies, tally, began + seconds)
                           for number in range(clients)))
    elapsed = time.perf_counter() - began
    errors = sum(count for status, count in tally.statuses.items() if status >= 500 and status != 503)
    return {"clients": clients, "seconds": round(elapsed, 1),
            "useful_per_second": round(tally.useful / elapsed, 1),
            "answers": sum(tally.statuses.values()), "status_503": tally.statuses[503],
            "other_5xx": errors, "unanswered": tally.unanswered,
            "503_without_retry_after": tally.without_retry_after,
            "p50_ms": round(percentile(tally.latencies, 0.5), 1) if tally.latencies else None,
            "p99_ms": round(percentile(tally.latencies, 0.99), 1) if tally.latencies else None,
            "statuses": {str(k): v for k, v in sorted(tally.statuses.items())}}


async def measure(port: int, token: str, channel_id: int, clients: int, seconds: float) -> dict[str, Any]:
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base, timeout=CLIENT_TIMEOUT_S) as signer:
        deadline = time.perf_counter() + START_TIMEOUT_S
        while True:
            try:
                if (await signer.get("/healthz")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.perf_counter() > deadline:
                raise RuntimeError("the server did not start")
            await asyncio.sleep(0.5)
        page = await signer.get("/login")
        signed = await signer.post("/login", data={"email": OWNER, "password": DEMO_PASSWORD, "next": "/",
                                                   "csrf_token": CSRF.search(page.text).group(1)})
        assert signed.status_code == 303, signed.text
        baseline = await phase(base, token, channel_id, signer.cookies, BASELINE_CLIENTS, seconds)
        burst = await phase(base, token, channel_id, signer.cookies, clients, seconds)
        after = time.perf_counter()
        health = (await signer.get("/healthz")).status_code
        dashboard = (await signer.get("/")).status_code
        recovered_s = round(time.perf_counter() - after, 2)
    ratio = burst["useful_per_second"] / baseline["useful_per_second"] if baseline["useful_per_second"] else None
    return {"baseline": baseline, "burst": burst, "ratio": round(ratio, 2) if ratio else None,
            "after_burst": {"healthz": health, "dashboard": dashboard, "seconds": recovered_s}}


def import_times() -> dict[str, float]:
    """Median wall seconds, in a fresh process: importing the application, and loading the pack."""
    def wall(code: str) -> float:
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO_ROOT)
        return time.perf_counter() - began
    app = [wall("import kaitiaki.app") for _ in range(3)]
    packs = [wall("import kaitiaki.app\nfrom kaitiaki.check_service.api import load_packs\n"
                  "load_packs('dpmc')") for _ in range(3)]
    return {"import_app_s": round(statistics.median(app), 2),
            "import_app_and_load_pack_s": round(statistics.median(packs), 2)}


def bench_database(kind: str, pg_base: str | None, clients: int, seconds: float, workdir: Path) -> dict:
    url, drop = fresh_database(kind, pg_base, workdir)
    try:
        channel_id, token = setup(url)
        port = free_port()
        server = start_server(url, port, workdir)
        try:
            return asyncio.run(measure(port, token, channel_id, clients, seconds))
        finally:
            stop_server(server)
    finally:
        drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=120)
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each phase")
    parser.add_argument("--pg-url", default=os.environ.get("KAITIAKI_TEST_DATABASE_URL"))
    parser.add_argument("--quick", action="store_true", help="5 seconds per phase")
    args = parser.parse_args()
    seconds = 5.0 if args.quick else args.seconds
    forbid_network()
    report: dict[str, Any] = {"machine": machine(), "clients": args.clients, "seconds": seconds,
                              "worker_start": import_times(), "databases": {}}
    print(f"worker start: {report['worker_start']}", flush=True)
    with tempfile.TemporaryDirectory(prefix="kaitiaki-bench-burst-") as tmp:
        for kind in ["sqlite"] + (["postgresql"] if args.pg_url else []):
            result = report["databases"][kind] = bench_database(kind, args.pg_url, args.clients, seconds,
                                                                Path(tmp))
            for name in ("baseline", "burst"):
                row = result[name]
                print(f"{kind:<10} {name:<8} {row['clients']:>4} clients  {row['useful_per_second']:>7} useful/s  "
                      f"p50 {row['p50_ms']} ms  p99 {row['p99_ms']} ms  503 {row['status_503']}  "
                      f"other 5xx {row['other_5xx']}  unanswered {row['unanswered']}", flush=True)
            print(f"{kind:<10} ratio burst / 8 clients: {result['ratio']}  after: {result['after_burst']}",
                  flush=True)
    if not args.pg_url:
        report["notes"] = {"postgresql": "skipped: give --pg-url or KAITIAKI_TEST_DATABASE_URL"}
    report["machine_after"] = machine()
    print(f"written to {write_result('burst', report)}")


if __name__ == "__main__":
    main()
