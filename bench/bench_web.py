"""The web: a load generator on loopback against two server workers, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_web.py [--seconds 15] [--concurrency 16] [--pg-url URL] [--quick]

For each database: a fresh database is migrated, the demo organisation loaded and 1,000 generated
comments imported (checked) onto a demo channel; then `uvicorn --workers 2` serves
`kaitiaki.app:create_app` on a free 127.0.0.1 port. The load generator (httpx on asyncio, in this
process, on the same cores as the server) keeps --concurrency requests in flight for --seconds:
* `POST /api/v1/check` with one item each, drawn from the checker benchmark's mixed corpus, sent
  as JSON without credentials, as the API documentation's curl example does;
* `GET /moderation/channels/<id>` (the moderation queue page) signed in as the channel's business
  owner with the session cookie from the sign-in form.
Both workers load the policy pack on their first check, so requests are sent until both answer
quickly before measuring. Reported: requests per second, p50 / p99 latency and errors (any
response other than 200, or no response). The reference in the same run is the sign-in page, a
template with no database query or check, measured the same way: it shows what the server and the
load generator manage at all on this machine.
PostgreSQL runs when --pg-url or KAITIAKI_TEST_DATABASE_URL is given. Writes bench/results/web.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench_checker import corpus
from bench_moderation import CHANNEL, OWNER, SECRET, fresh_database, generate, prepared, run_import
from common import REPO_ROOT, forbid_network, machine, percentile, write_result
from kaitiaki.people.demo import DEMO_PASSWORD

COMMENTS = 1_000
WORKERS = 2
START_TIMEOUT_S = 240


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(url: str, port: int, workdir: Path) -> subprocess.Popen:
    env = {**os.environ, "KAITIAKI_DATABASE_URL": url, "KAITIAKI_SECRET_KEY": SECRET,
           "KAITIAKI_ENV": "development", "KAITIAKI_VAR_DIR": str(workdir / "var")}
    command = [sys.executable, "-m", "uvicorn", "--factory", "kaitiaki.app:create_app", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(WORKERS), "--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(command, env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


async def wait_until_warm(client: httpx.AsyncClient, body: dict) -> float:
    """Seconds until the server answers and both workers have loaded the pack."""
    start = time.perf_counter()
    while True:
        try:
            if (await client.get("/login")).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.perf_counter() - start > START_TIMEOUT_S:
            raise RuntimeError("the server did not start")
        await asyncio.sleep(0.5)
    # New connections each round: uvicorn's workers share the socket, so only fresh connections
    # reach both of them (kept-alive ones would warm one worker twice).
    fast_in_a_row = 0
    close = {"connection": "close"}
    while fast_in_a_row < 3:
        if time.perf_counter() - start > START_TIMEOUT_S:
            raise RuntimeError("the server's workers did not load the policy pack in time")
        began = time.perf_counter()
        answers = await asyncio.gather(*(client.post("/api/v1/check", json=body, headers=close)
                                         for _ in range(WORKERS * 8)))
        assert all(answer.status_code == 200 for answer in answers), [a.text for a in answers]
        fast_in_a_row = fast_in_a_row + 1 if time.perf_counter() - began < 2.0 else 0
    return time.perf_counter() - start


async def sign_in(client: httpx.AsyncClient) -> None:
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = await client.post("/login", data={"email": OWNER, "password": DEMO_PASSWORD, "next": "/",
                                               "csrf_token": token})
    assert answer.status_code == 303, answer.text


async def load(client: httpx.AsyncClient, send, seconds: float, concurrency: int) -> dict[str, Any]:  # noqa: ANN001
    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.perf_counter() + seconds

    async def worker(number: int) -> None:
        count = number
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                answer = await send(client, count)
                problem = None if answer.status_code == 200 else f"HTTP {answer.status_code}"
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            latencies.append((time.perf_counter() - began) * 1000)
            if problem:
                errors[problem] = errors.get(problem, 0) + 1
            count += concurrency

    began = time.perf_counter()
    await asyncio.gather(*(worker(number) for number in range(concurrency)))
    elapsed = time.perf_counter() - began
    return {"requests": len(latencies), "seconds": round(elapsed, 2),
            "requests_per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(percentile(latencies, 0.5), 1), "p99_ms": round(percentile(latencies, 0.99), 1),
            "errors": sum(errors.values()), "error_kinds": errors}


async def measure(port: int, channel_id: int, seconds: float, concurrency: int) -> dict[str, Any]:
    items = [json.dumps(item, ensure_ascii=False).encode() for item in corpus(2000)]
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30,
                                 follow_redirects=False) as client:
        warm_s = await wait_until_warm(client, json.loads(items[0]))
        headers = {"content-type": "application/json"}
        queue = f"/moderation/channels/{channel_id}"
        results: dict[str, Any] = {"start_and_warm_s": round(warm_s, 1)}
        cases = {
            "GET /login (reference: a template, no checking)": lambda c, n: c.get("/login"),
            "POST /api/v1/check": lambda c, n: c.post("/api/v1/check", content=items[n % len(items)], headers=headers),
            "GET moderation queue page": lambda c, n: c.get(queue),
        }
        for name, send in cases.items():
            if send is cases["GET moderation queue page"]:
                await sign_in(client)  # signed in, /login would redirect: it is measured before
                assert (await client.get(queue)).status_code == 200
            results[name] = await load(client, send, seconds, concurrency)
            print(f"  {name:<48} {results[name]['requests_per_second']:>7,.0f} req/s  "
                  f"p50 {results[name]['p50_ms']:>6} ms  p99 {results[name]['p99_ms']:>7} ms  "
                  f"errors {results[name]['errors']}", flush=True)
        return results


def bench_database(kind: str, pg_base: str | None, seconds: float, concurrency: int, workdir: Path) -> dict:
    url, drop = fresh_database(kind, pg_base, workdir)
    try:
        engine, channel_id = prepared(url)
        comments = workdir / "comments.jsonl"
        generate(comments, COMMENTS)
        run_import(engine, channel_id, comments, 1)
        engine.dispose()
        port = free_port()
        server = start_server(url, port, workdir)
        try:
            return {"comments_stored": COMMENTS, **asyncio.run(measure(port, channel_id, seconds, concurrency))}
        finally:
            stop_server(server)
    finally:
        drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=15.0, help="load per endpoint")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument("--pg-url", default=os.environ.get("KAITIAKI_TEST_DATABASE_URL"))
    parser.add_argument("--quick", action="store_true", help="5 seconds per endpoint")
    args = parser.parse_args()
    seconds = 5.0 if args.quick else args.seconds
    forbid_network()
    report: dict[str, Any] = {"machine": machine(), "workers": WORKERS, "seconds_per_endpoint": seconds,
                              "concurrency": args.concurrency, "quick": args.quick, "databases": {}}
    with tempfile.TemporaryDirectory(prefix="kaitiaki-bench-web-") as tmp:
        for kind in ["sqlite"] + (["postgresql"] if args.pg_url else []):
            print(f"{kind}: {WORKERS} workers, {args.concurrency} in flight, {seconds:g} s per endpoint", flush=True)
            report["databases"][kind] = bench_database(kind, args.pg_url, seconds, args.concurrency, Path(tmp))
    if not args.pg_url:
        report["notes"] = {"postgresql": "skipped: give --pg-url or KAITIAKI_TEST_DATABASE_URL"}
    report["machine_after"] = machine()
    print(f"written to {write_result('web', report)}")


if __name__ == "__main__":
    main()
