"""`kaitiaki serve --workers N` starts several worker processes that each answer on the port."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from tests.fixtures.servers import free_port

# A bound on waiting, not a speed target: each worker imports the whole application, which takes
# several seconds on a busy two-core machine.
STARTUP_LIMIT_SECONDS = 120
SHUTDOWN_LIMIT_SECONDS = 30
WORKER_READY = "Application startup complete"


def _wait_for_workers(server: subprocess.Popen, log: Path, workers: int, url: str) -> httpx.Response:
    """Wait until every worker has started, then return the health check's answer."""
    deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(
                f"kaitiaki serve exited with {server.returncode}:\n{log.read_text(encoding='utf-8')}"
            )
        if log.read_text(encoding="utf-8").count(WORKER_READY) >= workers:
            try:
                return httpx.get(url, timeout=5)
            except httpx.TransportError:
                pass
        time.sleep(0.2)
    raise AssertionError(
        f"{workers} workers did not start and answer {url} within {STARTUP_LIMIT_SECONDS} s:\n"
        + log.read_text(encoding="utf-8")
    )


@contextmanager
def _serving(db_url: str, tmp_path: Path, workers: int, **settings: str) -> Iterator[tuple[subprocess.Popen, Path, str]]:
    """`kaitiaki serve --workers N` on a free port, its output in a log; killed at the end if the
    test has not stopped it."""
    port = free_port()
    environment = {**os.environ, "KAITIAKI_DATABASE_URL": db_url, "KAITIAKI_VAR_DIR": str(tmp_path / "var"),
                   "KAITIAKI_ENV": "test", **settings}
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(
            [sys.executable, "-c", "from kaitiaki.cli import main; main()",
             "serve", "--workers", str(workers), "--host", "127.0.0.1", "--port", str(port)],
            env=environment, stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        yield server, log, f"http://127.0.0.1:{port}"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_serve_with_two_workers_answers_health_and_stops_cleanly(db_url: str, tmp_path: Path):
    with _serving(db_url, tmp_path, 2) as (server, log, url):
        response = _wait_for_workers(server, log, 2, f"{url}/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}
        jobs = _jobs_processes(server.pid)
        server.send_signal(signal.SIGINT)  # what Ctrl+C sends: the server stops its workers
        assert server.wait(timeout=SHUTDOWN_LIMIT_SECONDS) == 0, log.read_text(encoding="utf-8")
    text = log.read_text(encoding="utf-8")
    assert f"Kaitiaki is running at {url}/" in text
    assert text.count("Finished server process") == 2, text  # both workers shut down cleanly
    assert text.count("Application shutdown complete") == 2, text
    if db_url.startswith("sqlite"):
        # The background jobs ran beside the workers, in a process of their own, stopped with them.
        assert len(jobs) == 1 and not Path(f"/proc/{jobs[0]}").exists()
    else:
        assert jobs == []  # on PostgreSQL `kaitiaki worker` runs them, started on its own
    assert '"GET /healthz HTTP/1.1" 200' not in text  # no line per request unless asked for


@pytest.mark.parametrize("workers", [1, 2])
def test_the_access_log_is_written_when_asked_for(db_url: str, tmp_path: Path, workers: int):
    with _serving(db_url, tmp_path, workers, KAITIAKI_ACCESS_LOG="true",
                  KAITIAKI_JOBS_IN_PROCESS="false") as (server, log, url):
        assert _wait_for_workers(server, log, workers, f"{url}/healthz").status_code == 200
        server.send_signal(signal.SIGINT)
        server.wait(timeout=SHUTDOWN_LIMIT_SECONDS)
    assert '"GET /healthz HTTP/1.1" 200' in log.read_text(encoding="utf-8")


def _jobs_processes(server_pid: int) -> list[int]:
    children = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(server_pid)],
                              capture_output=True, text=True).stdout.splitlines()
    return [int(line.split()[0]) for line in children if "kaitiaki.cli worker" in line]


def _booted_workers(log: Path) -> list[int]:
    return [int(pid) for pid in re.findall(r"Booting worker with pid: (\d+)", log.read_text(encoding="utf-8"))]


def _command_line(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def test_workers_are_forks_of_the_ready_server_and_one_that_dies_is_replaced(db_url: str, tmp_path: Path):
    with _serving(db_url, tmp_path, 2, KAITIAKI_JOBS_IN_PROCESS="false") as (server, log, url):
        assert _wait_for_workers(server, log, 2, f"{url}/healthz").status_code == 200
        first, second = _booted_workers(log)
        # A fork runs the server's own command line; a fresh interpreter (spawn) would run its own.
        assert _command_line(first) == _command_line(second) == _command_line(server.pid)
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
        while len(_booted_workers(log)) < 3 or log.read_text(encoding="utf-8").count(WORKER_READY) < 3:
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.1)
        replacement = _booted_workers(log)[2]
        assert _command_line(replacement) == _command_line(server.pid)
        # Fresh connections reach both workers, the replacement among them.
        answers = [httpx.post(f"{url}/api/v1/check", json={"kind": "post", "text": "Kia ora"}, timeout=10)
                   for _ in range(8)]
        assert [answer.status_code for answer in answers] == [200] * 8
        assert all(answer.json()["decision"] == "pass" for answer in answers)
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=SHUTDOWN_LIMIT_SECONDS) == 0, log.read_text(encoding="utf-8")


# Imported where they are used (a sign-in through a provider, a connection's credentials, an
# email), or when the policy pack is compiled before traffic: never by the import itself.
LOADED_LATER = ("authlib", "joserfc", "requests", "cryptography", "smtplib", "numpy", "phonenumbers",
                "stdnum", "tldextract", "atproto", "mastodon")

WORKER_START = """
import asyncio, json, sys
import kaitiaki.app
imported = {name for name in sys.modules}
app = kaitiaki.app.create_app()

async def start_and_serve():
    import fastapi.routing
    import httpx
    from kaitiaki.checker import check
    async with app.router.lifespan_context(app):
        started = sorted(sys.modules)
        before = set(sys.modules)
        check({"kind": "post", "platform": "facebook", "text": "Call 021 123 4567 or see "
               "https://bit.ly/x, account 12-3140-0171323-50"}, app.state.packs.primary)
        first_check_imported = sorted(set(sys.modules) - before)
        # Counts FastAPI's analysis of a route's parameters and dependencies, from here on.
        analysed = []
        get_dependant = fastapi.routing.get_dependant
        fastapi.routing.get_dependant = lambda **kw: analysed.append(kw) or get_dependant(**kw)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://kt") as client:
            answers = [(await client.post("/api/v1/check", json={"kind": "post", "text": "Kia ora"})).status_code,
                       (await client.get("/admin/outbox")).status_code,
                       (await client.get("/login")).status_code]
        return started, first_check_imported, len(analysed), answers

started, first_check_imported, analysed, answers = asyncio.run(start_and_serve())
print(json.dumps({"imported": sorted(imported), "started": started,
                  "first_check_imported": first_check_imported, "analysed": analysed,
                  "answers": answers}))
"""


def test_a_worker_imports_only_what_serving_needs_and_its_first_requests_build_nothing(
        db_url: str, tmp_path: Path):
    environment = {**os.environ, "KAITIAKI_DATABASE_URL": db_url, "KAITIAKI_VAR_DIR": str(tmp_path / "var"),
                   "KAITIAKI_ENV": "test"}
    done = subprocess.run([sys.executable, "-c", WORKER_START], capture_output=True, text=True,
                          env=environment, timeout=STARTUP_LIMIT_SECONDS)
    assert done.returncode == 0, done.stderr
    worker = json.loads(done.stdout.splitlines()[-1])
    imported = {name.split(".")[0] for name in worker["imported"]}
    assert not imported & set(LOADED_LATER)
    assert "kaitiaki.cli" not in worker["imported"]
    # The start-up loaded the pack with its models and validators: the first check waits for none.
    assert {"numpy", "phonenumbers", "stdnum", "tldextract"} <= {name.split(".")[0] for name in worker["started"]}
    assert worker["first_check_imported"] == []
    # Nor does a request: every route was built during the start-up (kaitiaki.app.build_route_handlers).
    assert worker["answers"] == [200, 303, 200]
    assert worker["analysed"] == 0
