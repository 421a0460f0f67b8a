"""Comment ingest and the moderation queue at 100,000 comments, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_moderation.py [--comments 100000] [--runs 1] [--pg-url URL]

Generates the comments here with a fixed seed (a realistic mix: questions, thanks and updates,
criticism of the government, abuse, threats, hate, spam waves and personal details) as one JSONL
file, then for each database:

* import: read, parse, check (kind `comment`) and store the file through `import_comments`, the
  code path of `kaitiaki comments import --workers N` (N = --workers, by default the core count;
  1 checks inline), one committed transaction per 1,000 comments;
* peer: the same file read, parsed and stored with the same bulk insert, without checking (every
  comment given a constant pass result): the ratio says what checking costs;
* queue: p50/p99 latency of the queue page (HTML, signed in as the business owner, through the
  full FastAPI stack with TestClient) and of the JSON queue, with all comments stored: the first
  page of waiting comments, a page deep in "all", a category filter and a word search.

Before the databases, the checker alone: `check_many` in batches of 1,000 against `check` one
comment at a time on the first --checker-items comments, in one process, results compared equal.

PostgreSQL runs when --pg-url or KAITIAKI_TEST_DATABASE_URL is given (a fresh database is created
from it and dropped). Reports wall-clock and CPU time with the load average (the machine may be
shared), medians over --runs, and writes bench/results/moderation.json
(moderation-distinct.json with --distinct-texts, which numbers every text so that none repeats).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from kaitiaki.app import create_app
from kaitiaki.checker import check, check_many, load_pack
from kaitiaki.checker.items import Result
from kaitiaki.config import Settings
from kaitiaki.db import make_engine, migrate, session_scope
from kaitiaki.models import Channel, Comment
from kaitiaki.moderation import formats
from kaitiaki.moderation.checking import checker_pool
from kaitiaki.moderation.ingest import BATCH_SIZE, comment_row, import_comments, insert_comment_rows
from kaitiaki.demo import load_demo
from kaitiaki.people.demo import DEMO_PASSWORD
from kaitiaki.register import queries as register_queries
from kaitiaki.timeutil import utcnow

SEED = 20261122
RESULTS = Path(__file__).resolve().parent / "results" / "moderation.json"
CHANNEL = ("x", "NZCivilDefence")
OWNER = "nema.comms@nema.example.govt.nz"
SECRET = "bench-secret-key-that-is-long-enough-0123456789"
QUEUE_REQUESTS = 60
GOAL_S = {"sqlite": 30, "postgresql": 60}  # 100,000 comments ingested and checked

PLACES = ["Napier", "Petone", "Westport", "Gisborne", "Masterton", "Nelson", "Whanganui", "Kaikōura",
          "Ōtaki", "Thames", "Greymouth", "Hastings", "Porirua", "Taupō"]
ORDINARY = [
    "Thanks for the update on {place}, really helpful.", "Is SH{n} open near {place} yet?",
    "When will the water be back on in {place}?", "Kia ora, where is the evacuation centre in {place}?",
    "Great work by the crews in {place} today, kia kaha!", "Does the siren test in {place} start at {n}pm?",
    "Shared this with my whānau in {place}, ngā mihi.", "Can pets go to the {place} welfare centre?",
]
CRITICISM = [
    "The response in {place} was slow and badly organised; the government should explain why.",
    "Alerts came {n} minutes late in {place}. This is not good enough from a public agency.",
    "I disagree with the new policy on {place} rebuilding, it ignores the locals.",
]
ABUSE = ["You lot are useless idiots, the whole pack of you in {place}.",
         "Shut up you pathetic morons, nobody in {place} listens to you.",
         "What a bunch of clowns and losers, {n} years of this garbage."]
THREATS = ["I know where your office in {place} is and I will burn it down.",
           "Someone should shoot the lot of you before {n} more alerts.",
           "I will find you in {place} and make you pay for this."]
HATE = ["Go back to your own country, {place} doesn't want your kind.",
        "People like them are vermin and should be kicked out of {place}."]
SPAM = ["Earn ${n}000 a week from home!!! Click bit.ly/fr33-cash{n} now, limited offer",
        "Crypto giveaway! Send 1 BTC and get 2 back, DM me now #{n}",
        "Cheap followers, {n}k for $5, visit http://followers-{n}.example.com"]
PERSONAL = ["My neighbour Jo Bloggs at {n} Rata Street, {place} is ignoring the evacuation, call her on 021 555 0{n}."]
MIX = [(ORDINARY, 0.58), (CRITICISM, 0.15), (ABUSE, 0.08), (THREATS, 0.03), (HATE, 0.02),
       (SPAM, 0.12), (PERSONAL, 0.02)]


def generate(path: Path, count: int, distinct: bool = False) -> None:
    """The comments; `distinct` numbers each text, so that no two are alike (the templates
    otherwise repeat a text about one time in two within a batch of 1,000)."""
    rng = random.Random(SEED)
    groups, weights = zip(*MIX, strict=True)
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            template = rng.choice(rng.choices(groups, weights)[0])
            text_ = template.format(place=rng.choice(PLACES), n=rng.randint(1, 99))
            if distinct:
                text_ = f"{text_} ({number})"
            out.write(json.dumps({"id": f"bench-{number}", "text": text_,
                                  "author": f"@user{rng.randint(1, count // 5)}",
                                  "posted_at": f"2026-11-{rng.randint(1, 20):02d}T{rng.randint(0, 23):02d}:00:00Z"},
                                 ensure_ascii=False) + "\n")


def fresh_database(kind: str, pg_base: str | None, workdir: Path) -> tuple[str, Callable[[], None]]:
    if kind == "sqlite":
        path = workdir / f"bench-{uuid.uuid4().hex[:8]}.db"
        return f"sqlite:///{path}", lambda: [p.unlink(missing_ok=True) for p in workdir.glob(path.name + "*")]
    assert pg_base
    name = f"kaitiaki_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(pg_base).set(database=name).render_as_string(hide_password=False), drop


def prepared(url: str):  # noqa: ANN201 - (Engine, channel id)
    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        load_demo(session)
        channel = register_queries.get_channel_by_handle(session, *CHANNEL)
        return engine, channel.id


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the checker's worker processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(work: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    value = work()
    return time.perf_counter() - wall, cpu_seconds() - cpu, value


def run_import(engine, channel_id: int, path: Path, workers: int) -> int:  # noqa: ANN001
    """`kaitiaki comments import FILE --workers N`, without the command-line wrapping."""
    pack = load_pack("dpmc")
    with session_scope(engine) as session, ExitStack() as stack:
        channel = session.get(Channel, channel_id)
        check = stack.enter_context(checker_pool("dpmc", workers)) if workers > 1 else None
        text_ = formats.read_import_file(path, max_bytes=1 << 30)
        report = import_comments(session, channel=channel, pack=pack, records=formats.parse_jsonl(text_),
                                 actor="bench", source="bench", commit_each_batch=session.commit,
                                 check_batch=check, in_flight=2 * workers if check else 1)
        return report.stored


def run_peer(engine, channel_id: int, path: Path) -> int:  # noqa: ANN001
    """Read, parse and bulk-insert the same comments, each with a constant pass result."""
    passed = Result(decision="pass", pack="peer", findings=[])
    stored = 0
    with session_scope(engine) as session:
        channel = session.get(Channel, channel_id)
        text_ = formats.read_import_file(path, max_bytes=1 << 30)
        batch: list[dict] = []
        for record in formats.parse_jsonl(text_):
            batch.append(comment_row(channel, record, passed, received_at=utcnow(), blocked=False))
            if len(batch) >= BATCH_SIZE:
                insert_comment_rows(session, batch)
                session.commit()
                stored += len(batch)
                batch = []
        if batch:
            insert_comment_rows(session, batch)
            stored += len(batch)
    return stored


def checker_alone(path: Path, items: int) -> dict[str, Any]:
    """check_many over batches of 1,000 against `check` one item at a time, in this process, on
    the first `items` comments of the file: what batching (one product for the meaning model,
    repeated texts checked once) saves, without the database."""
    pack = load_pack("dpmc")
    records = [r for r in formats.parse_jsonl(formats.read_import_file(path, max_bytes=1 << 30))][:items]
    batch = [{"id": r.external_id, "kind": "comment", "text": r.text, "platform": "x",
              "channel": CHANNEL[1]} for r in records]
    check_many(batch[:200], pack)  # warm the caches both ways share
    one_wall, one_cpu, alone = timed(lambda: [check(item, pack) for item in batch])
    many_wall, many_cpu, together = timed(
        lambda: [r for start in range(0, len(batch), BATCH_SIZE) for r in check_many(batch[start:start + BATCH_SIZE], pack)])
    assert [r.model_dump() for r in together] == [r.model_dump() for r in alone]
    return {"items": len(batch), "one_by_one_items_per_s": round(len(batch) / one_wall),
            "one_by_one_items_per_cpu_s": round(len(batch) / one_cpu),
            "check_many_items_per_s": round(len(batch) / many_wall),
            "check_many_items_per_cpu_s": round(len(batch) / many_cpu),
            "cpu_ratio": round(one_cpu / many_cpu, 2)}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def queue_latency(url: str, channel_id: int, workdir: Path) -> dict[str, dict[str, float]]:
    settings = Settings(env="test", database_url=url, var_dir=workdir / "var", secret_key=SECRET)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
        signed = client.post("/login", data={"email": OWNER, "password": DEMO_PASSWORD, "next": "/",
                                             "csrf_token": token})
        assert signed.status_code == 303, signed.text
        base = f"/moderation/channels/{channel_id}"
        cases = {
            "page: waiting, first page": (base, {}),
            "page: all, page 500": (base, {"state": "all", "page": "500"}),
            "page: category spam": (base, {"category": "spam"}),
            "page: search 'Napier'": (base, {"state": "all", "q": "Napier"}),
            "api: waiting, first page": ("/api/v1/comments", {"channel_id": str(channel_id)}),
        }
        results: dict[str, dict[str, float]] = {}
        for name, (path, params) in cases.items():
            for _ in range(3):
                assert client.get(path, params=params).status_code == 200
            samples, cpu = [], []
            for _ in range(QUEUE_REQUESTS):
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(path, params=params)
                samples.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
                assert response.status_code == 200
            # CPU time per request (server and client share this process) says what a request
            # costs when the machine is shared; wall-clock says what a person waited.
            results[name] = {"p50_ms": round(statistics.median(samples), 1),
                             "p99_ms": round(percentile(samples, 0.99), 1),
                             "cpu_p50_ms": round(statistics.median(cpu), 1),
                             "cpu_p99_ms": round(percentile(cpu, 0.99), 1)}
    return results


def bench_database(kind: str, pg_base: str | None, path: Path, count: int, runs: int,
                   workdir: Path, workers: int) -> dict[str, Any]:
    imports, peers = [], []
    latency: dict[str, Any] = {}
    stored_total = 0
    for run in range(runs):
        url, drop = fresh_database(kind, pg_base, workdir)
        try:
            engine, channel_id = prepared(url)
            wall, cpu, stored = timed(lambda: run_peer(engine, channel_id, path))
            assert stored == count, stored
            peers.append((wall, cpu))
            engine.dispose()
        finally:
            drop()
        url, drop = fresh_database(kind, pg_base, workdir)
        try:
            engine, channel_id = prepared(url)
            load = os.getloadavg()[0]
            wall, cpu, stored = timed(lambda: run_import(engine, channel_id, path, workers))
            assert stored == count, stored
            imports.append((wall, cpu, load))
            print(f"  {kind} run {run + 1}: import {wall:.1f} s wall ({cpu:.1f} s CPU, load {load:.1f}); "
                  f"peer {peers[-1][0]:.1f} s", flush=True)
            if run == runs - 1:
                with session_scope(engine) as session:
                    stored_total = session.scalar(select(func.count()).select_from(Comment))
                engine.dispose()
                latency = queue_latency(url, channel_id, workdir)
            else:
                engine.dispose()
        finally:
            drop()
    wall = statistics.median(w for w, _c, _l in imports)
    cpu = statistics.median(c for _w, c, _l in imports)
    peer_wall = statistics.median(w for w, _c in peers)
    return {
        "comments": count, "runs": runs, "checker_workers": workers, "comments_stored_when_queue_measured": stored_total,
        "import_wall_s": round(wall, 2), "import_cpu_s": round(cpu, 2),
        "import_comments_per_s_wall": round(count / wall), "import_comments_per_s_cpu": round(count / cpu),
        "load_average_at_start": [round(l, 2) for _w, _c, l in imports],
        "peer_wall_s": round(peer_wall, 2), "peer_comments_per_s": round(count / peer_wall),
        "import_to_peer_ratio": round(wall / peer_wall, 2),
        "within_goal": wall <= GOAL_S[kind], "goal_s": GOAL_S[kind], "queue": latency,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--pg-url", default=os.environ.get("KAITIAKI_TEST_DATABASE_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--distinct-texts", action="store_true",
                        help="number every text, so that no comment repeats another")
    parser.add_argument("--checker-items", type=int, default=10_000,
                        help="comments for the checker-alone comparison (0 skips it)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="checker processes (1: inline, as `kaitiaki comments import` by default)")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "seed": SEED, "distinct_texts": args.distinct_texts, "databases": {},
        "load_average_at_start": round(os.getloadavg()[0], 2),
    }
    with tempfile.TemporaryDirectory(prefix="kaitiaki-bench-") as tmp:
        workdir = Path(tmp)
        path = workdir / "comments.jsonl"
        generate(path, args.comments, args.distinct_texts)
        results["file_bytes"] = path.stat().st_size
        if args.checker_items:
            results["checker"] = checker_alone(path, args.checker_items)
            print(f"checker alone: {results['checker']}", flush=True)
        kinds = ([] if args.skip_sqlite else ["sqlite"]) + (["postgresql"] if args.pg_url else [])
        for kind in kinds:
            print(f"{kind}: {args.comments:,} comments, {args.runs} run(s)", flush=True)
            results["databases"][kind] = bench_database(kind, args.pg_url, path, args.comments,
                                                        args.runs, workdir, args.workers)
    results["load_average_at_end"] = round(os.getloadavg()[0], 2)
    written = RESULTS.with_name("moderation-distinct.json") if args.distinct_texts else RESULTS
    written.parent.mkdir(parents=True, exist_ok=True)
    written.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\n{'database':<11} {'import s':>9} {'CPU s':>7} {'per s':>7} {'peer s':>7} {'ratio':>6}  queue p50/p99 ms")
    for kind, r in results["databases"].items():
        queue = "; ".join(f"{name} {v['p50_ms']}/{v['p99_ms']} (CPU {v['cpu_p50_ms']})"
                          for name, v in r["queue"].items())
        print(f"{kind:<11} {r['import_wall_s']:>9} {r['import_cpu_s']:>7} {r['import_comments_per_s_wall']:>7} "
              f"{r['peer_wall_s']:>7} {r['import_to_peer_ratio']:>6}  {queue}")
    print(f"\n{results['machine']['cores']} cores; load average {results['load_average_at_start']} "
          f"at the start, {results['load_average_at_end']} at the end; wrote {written}")


if __name__ == "__main__":
    main()
