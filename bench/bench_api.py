"""The check API as deployed, beside a bare endpoint (the ceiling), with wrk; and a worker's start.

    .venv/bin/python bench/bench_api.py [--seconds 10] [--connections 16] [--rounds 3] [--quick]
    .venv/bin/python bench/bench_api.py --start-only     # the worker's start alone (no wrk needed)

Two servers run side by side on free 127.0.0.1 ports, each with 2 worker processes:
* `kaitiaki serve --workers 2` (the console script, as deployed; SQLite, migrated, default
  settings, so admission control applies);
* the ceiling: `bench/ceiling_app.py`, a bare FastAPI endpoint at the same path returning a fixed
  body of the size of a typical answer, under the same server as `kaitiaki serve` (gunicorn forking
  uvicorn's worker class).
wrk (Debian package `wrk`), one thread, keeps --connections connections busy for --seconds, sending
`POST /api/v1/check` with one item each, cycling through 200 items of the checker benchmark's mixed
corpus (the ceiling gets the same requests). The two are measured in turn, --rounds times, and the
median round is reported: requests per second, p50 / p99 latency, answers other than 2xx, and the
ratio of the check API's rate to the ceiling's (the load generator runs on the same cores, so the
ratio is the figure that holds on a loaded machine).

Then a worker's start, as `kaitiaki serve --workers N` does it: a fresh process imports the
application (`kaitiaki.app`), CPU seconds (user + system) and wall seconds, and makes it ready
(the policy pack, models, route handlers), CPU seconds; then a worker forked from it runs the
start-up (the database engine, the key check), CPU seconds; median of --rounds, each beside a fresh
interpreter that imports nothing. Kaitiaki's
bytecode is compiled first into a temporary cache (PYTHONPYCACHEPREFIX), as an installed package
has it, whatever PYTHONDONTWRITEBYTECODE says. Writes bench/results/api.json (api_start.json with --start-only) and
the sections of docs/performance.md between their markers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench_checker import corpus
from bench_web import free_port, stop_server
from common import (
    BENCH_DIR,
    REPO_ROOT,
    UNLIMITED_RATE_LIMITS,
    forbid_network,
    machine,
    write_result,
)
from kaitiaki.db import make_engine, migrate
from kaitiaki.web.preforked import KEEP_ALIVE_SECONDS, WORKER_CLASS

WORKERS = 2
START_TIMEOUT_S = 240
CORPUS_ITEMS = 200
PERFORMANCE_DOC = REPO_ROOT / "docs" / "performance.md"
CHECK_API_MARKERS = ("<!-- bench:api:start -->", "<!-- bench:api:end -->")
START_MARKERS = ("<!-- bench:api-worker-start:start -->", "<!-- bench:api-worker-start:end -->")
SECRET = "bench-api-secret-key-of-enough-length-0123456789"
WORKER_MODULE = "kaitiaki.app"  # what `kaitiaki serve` imports before it forks its workers


def wrk_script(path: Path) -> Path:
    """A wrk Lua script that sends the corpus's items in turn."""
    bodies = [json.dumps(item, ensure_ascii=False) for item in corpus(CORPUS_ITEMS)]
    assert not any("]==]" in body for body in bodies)
    lines = ["local bodies = {"] + [f"[==[{body}]==]," for body in bodies] + [
        "}",
        "local n = 0",
        'wrk.method = "POST"',
        'wrk.headers["Content-Type"] = "application/json"',
        "request = function()",
        "  n = n % #bodies + 1",
        "  return wrk.format(nil, nil, nil, bodies[n])",
        "end",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start_kaitiaki(url: str, port: int, workdir: Path) -> subprocess.Popen:
    env = {**os.environ, "KAITIAKI_DATABASE_URL": url, "KAITIAKI_SECRET_KEY": SECRET,
           "KAITIAKI_ENV": "development", "KAITIAKI_VAR_DIR": str(workdir / "var"),
           **UNLIMITED_RATE_LIMITS}
    script = Path(sys.executable).parent / "kaitiaki"
    return subprocess.Popen([str(script), "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", str(WORKERS)], env=env, cwd=workdir,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_ceiling(port: int) -> subprocess.Popen:
    # The same server as `kaitiaki serve --workers N`: gunicorn forking uvicorn's worker class.
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "ceiling_app:app", "--bind", f"127.0.0.1:{port}",
                             "--workers", str(WORKERS), "--worker-class", WORKER_CLASS, "--preload",
                             "--keep-alive", str(KEEP_ALIVE_SECONDS), "--no-control-socket",
                             "--log-level", "warning"], cwd=BENCH_DIR,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_until_answering(port: int, body: bytes) -> float:
    """Seconds until both workers answer checks (fresh connections reach either worker)."""
    began = time.perf_counter()
    answered = 0
    while answered < 4 * WORKERS:
        if time.perf_counter() - began > START_TIMEOUT_S:
            raise RuntimeError(f"the server on port {port} did not start")
        try:
            answer = httpx.post(f"http://127.0.0.1:{port}/api/v1/check", content=body,
                                headers={"content-type": "application/json", "connection": "close"},
                                timeout=30)
            assert answer.status_code == 200, answer.text
            answered += 1
        except httpx.TransportError:
            time.sleep(0.5)
    return time.perf_counter() - began


def milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(port: int, script: Path, seconds: float, connections: int) -> dict[str, Any]:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", "--timeout", "30s",
         "-s", str(script), f"http://127.0.0.1:{port}/api/v1/check"],
        check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    other = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)$", output, re.MULTILINE)
    total = int(re.search(r"(\d+) requests in", output).group(1))
    refused = int(other.group(1)) if other else 0
    # Only answered checks count: a 429 or 503 is cheap and would flatter the rate.
    rate *= (total - refused) / total if total else 0.0
    return {"requests": total, "requests_per_second": round(rate, 1),
            "p50_ms": round(milliseconds(latency["50"]), 2), "p99_ms": round(milliseconds(latency["99"]), 2),
            "non_2xx": refused,
            "socket_errors": socket_errors.group(1) if socket_errors else None}


# Run in a fresh interpreter: what `kaitiaki serve --workers N` does before its workers accept
# traffic. The supervising process imports the application and makes it ready, once; each worker
# is a fork of it that runs the application's start-up (a forked child's CPU counters start at 0).
WORKER_START_PROBE = """
import asyncio, gc, importlib, json, os, resource, sys, time

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

began, began_cpu = time.perf_counter(), cpu()
module = importlib.import_module(sys.argv[1])
imported, imported_cpu = time.perf_counter(), cpu()
app = module.create_app()
module.make_ready(app)
gc.freeze()  # as kaitiaki.web.preforked does just before forking
ready_cpu = cpu()

async def start_up():
    async with app.router.lifespan_context(app):
        pass

reading, writing = os.pipe()
child = os.fork()
if child == 0:
    asyncio.run(start_up())
    os.write(writing, json.dumps({"worker_cpu_s": cpu()}).encode())
    os._exit(0)
os.close(writing)
worker = json.loads(os.read(reading, 4096))
os.waitpid(child, 0)
print(json.dumps({"import_cpu_s": imported_cpu - began_cpu, "import_wall_s": imported - began,
                  "ready_cpu_s": ready_cpu - imported_cpu, **worker}))
"""
BARE_PROBE = ("import json, resource; usage = resource.getrusage(resource.RUSAGE_SELF); "
              "print(json.dumps({'cpu_s': usage.ru_utime + usage.ru_stime}))")


def worker_start(workdir: Path, runs: int) -> dict[str, Any]:
    """Median CPU (and wall) seconds of a fresh interpreter importing the application and making it
    ready (policy pack, models, route handlers), as the supervising process does once; then of a
    worker forked from it running the start-up (database engine, key check); beside an interpreter
    that imports nothing (its own start, in the same run)."""
    url = f"sqlite:///{workdir / 'start.db'}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    env = {**os.environ, "KAITIAKI_DATABASE_URL": url, "KAITIAKI_SECRET_KEY": SECRET,
           "KAITIAKI_ENV": "development", "KAITIAKI_VAR_DIR": str(workdir / "var"),
           "PYTHONPYCACHEPREFIX": str(workdir / "bytecode")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def once(*command: str) -> dict[str, float]:
        done = subprocess.run([sys.executable, *command], check=True, capture_output=True, text=True,
                              cwd=workdir, env=env)
        return json.loads(done.stdout.splitlines()[-1])

    once("-c", WORKER_START_PROBE, WORKER_MODULE)  # compiles the bytecode, not measured
    starts, bare = [], []
    for _ in range(runs):  # in turn, so that both see the same load
        starts.append(once("-c", WORKER_START_PROBE, WORKER_MODULE))
        bare.append(once("-c", BARE_PROBE))

    def median(key: str) -> float:
        return round(statistics.median(run[key] for run in starts), 3)

    return {"module": WORKER_MODULE, "runs": runs, "import_cpu_s": median("import_cpu_s"),
            "import_wall_s": median("import_wall_s"), "ready_cpu_s": median("ready_cpu_s"),
            "worker_cpu_s": median("worker_cpu_s"),
            "bare_interpreter_cpu_s": round(statistics.median(run["cpu_s"] for run in bare), 3)}


def measure(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    url = f"sqlite:///{workdir / 'api.db'}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    script = wrk_script(workdir / "check.lua")
    body = script.read_text(encoding="utf-8").split("[==[", 2)[1].split("]==]", 1)[0].encode()
    ports = {"kaitiaki": free_port(), "ceiling": free_port()}
    servers = {"kaitiaki": start_kaitiaki(url, ports["kaitiaki"], workdir),
               "ceiling": start_ceiling(ports["ceiling"])}
    try:
        started = {name: round(wait_until_answering(port, body), 1) for name, port in ports.items()}
        for port in ports.values():  # warm both: connections, caches, the allocator
            run_wrk(port, script, 2, args.connections)
        rounds: dict[str, list[dict[str, Any]]] = {"kaitiaki": [], "ceiling": []}
        for number in range(args.rounds):
            for name in ("ceiling", "kaitiaki"):
                row = run_wrk(ports[name], script, args.seconds, args.connections)
                rounds[name].append(row)
                print(f"round {number + 1} {name:<9} {row['requests_per_second']:>8} req/s  "
                      f"p50 {row['p50_ms']} ms  p99 {row['p99_ms']} ms  non-2xx {row['non_2xx']}", flush=True)
    finally:
        for server in servers.values():
            stop_server(server)
    median = {name: sorted(rows, key=lambda row: row["requests_per_second"])[len(rows) // 2]
              for name, rows in rounds.items()}
    return {"start_s": started, "rounds": rounds, "median": median,
            "ratio_to_ceiling": round(median["kaitiaki"]["requests_per_second"]
                                      / median["ceiling"]["requests_per_second"], 3)}


def check_api_markdown(report: dict[str, Any]) -> str:
    ours, ceiling = report["check_api"]["median"]["kaitiaki"], report["check_api"]["median"]["ceiling"]
    before, after = report["machine"]["load_average"][0], report["machine_after"]["load_average"][0]
    each = report["check_api"]["rounds"]["kaitiaki"]
    spread = (" / ".join(f"{row['requests_per_second']:,.0f}" for row in each) + " req/s, p99 "
              + " / ".join(f"{row['p99_ms']:g}" for row in each) + " ms")
    return "\n".join([
        f"Measured {report['measured_at']} with `.venv/bin/python bench/bench_api.py "
        f"--seconds {report['seconds']:g} --connections {report['connections']} --rounds {report['rounds']}`: "
        f"{report['machine']['cores']} cores; load average {before} at the start and {after} at the end. "
        f"wrk (1 thread, {report['connections']} connections) on the same cores as the servers; median of "
        f"{report['rounds']} rounds, each server in turn.",
        "",
        "| Measure | Kaitiaki | Ceiling, same run | Kaitiaki vs ceiling | Goal |",
        "|---|---|---|---|---|",
        f"| `POST /api/v1/check`, `kaitiaki serve --workers 2` (SQLite), one item per request | "
        f"{ours['requests_per_second']:,.0f} req/s, p50 {ours['p50_ms']} ms, p99 {ours['p99_ms']} ms, "
        f"{ours['non_2xx']} non-2xx | bare FastAPI endpoint, fixed body: {ceiling['requests_per_second']:,.0f} "
        f"req/s, p99 {ceiling['p99_ms']} ms | {report['check_api']['ratio_to_ceiling']:.2f}x | "
        f"≥ 1,000 req/s, p99 ≤ 50 ms |",
        f"| the same, each round in turn | {spread} | | | |",
    ])


def start_markdown(report: dict[str, Any]) -> str:
    start = report["worker_start"]
    before, after = report["machine"]["load_average"][0], report["machine_after"]["load_average"][0]
    whole = round(start["import_cpu_s"] + start["ready_cpu_s"] + start["worker_cpu_s"], 3)
    return "\n".join([
        f"Measured {report['measured_at']} with `.venv/bin/python bench/bench_api.py` (`--start-only` "
        f"measures this part alone): {report['machine']['cores']} cores; load average {before} at the "
        f"start and {after} at the end; CPU seconds (user + system) of a fresh process and of a worker "
        f"forked from it, median of {start['runs']}, with Kaitiaki's bytecode compiled beforehand.",
        "",
        "| `kaitiaki serve --workers N` | Kaitiaki | Same run | Goal |",
        "|---|---|---|---|",
        f"| once, in the supervising process: `import {start['module']}` | "
        f"{start['import_cpu_s']} s CPU, {start['import_wall_s']} s wall | an interpreter importing "
        f"nothing: {start['bare_interpreter_cpu_s']} s CPU | |",
        f"| once, then: `create_app()` and `make_ready()` (policy pack, models, route handlers) | "
        f"{start['ready_cpu_s']} s CPU | | |",
        f"| each worker: a fork of that process, which imports nothing and runs the start-up "
        f"(database engine, key check) | **{start['worker_cpu_s']} s CPU** | a worker that imports and "
        f"loads everything itself (how workers started before they were forked): {whole} s CPU, "
        f"{round(whole / max(start['worker_cpu_s'], 0.001)):,}x | import well under 1 s CPU |",
    ])


def update_doc(markers: tuple[str, str], text: str) -> None:
    start, end = markers
    doc = PERFORMANCE_DOC.read_text(encoding="utf-8")
    head, rest = doc.split(start, 1)
    _old, tail = rest.split(end, 1)
    PERFORMANCE_DOC.write_text(f"{head}{start}\n{text}\n{end}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="wrk rounds, and worker starts measured")
    parser.add_argument("--quick", action="store_true", help="5 s runs, 1 round")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/performance.md")
    parser.add_argument("--start-only", action="store_true",
                        help="measure the worker's start alone (bench/results/api_start.json and its "
                             "part of docs/performance.md)")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.rounds = 5.0, 1
    forbid_network()
    report: dict[str, Any] = {"machine": machine(),
                              "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    if args.start_only:
        with tempfile.TemporaryDirectory(prefix="kaitiaki-bench-start-") as tmp:
            report["worker_start"] = worker_start(Path(tmp), args.rounds)
        report["machine_after"] = machine()
        print(f"worker start: {report['worker_start']}")
        print(f"written to {write_result('api_start', report)}")
        if not args.no_doc:
            update_doc(START_MARKERS, start_markdown(report))
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    report.update(seconds=args.seconds, connections=args.connections, rounds=args.rounds)
    with tempfile.TemporaryDirectory(prefix="kaitiaki-bench-api-") as tmp:
        report["check_api"] = measure(args, Path(tmp))
        report["worker_start"] = worker_start(Path(tmp), args.rounds)
    report["machine_after"] = machine()
    print(f"ratio to the ceiling: {report['check_api']['ratio_to_ceiling']}; "
          f"worker start: {report['worker_start']}")
    print(f"written to {write_result('api', report)}")
    if not args.no_doc:
        update_doc(CHECK_API_MARKERS, check_api_markdown(report))
        update_doc(START_MARKERS, start_markdown(report))


if __name__ == "__main__":
    main()
