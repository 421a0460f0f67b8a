"""Checker throughput and latency on a generated mixed corpus, against a plain-regex peer.

    .venv/bin/python bench/bench_checker.py [--items 4000] [--runs 5] [--pack dpmc]

The corpus (posts, replies, interactions, comments, personal posts) is generated here with a fixed
seed. Measured in one process: items per second for an `--input`-style batch (JSON line in, JSON
line out), and p50/p99 latency of single `check` calls (wall clock and CPU time). Pack loading is
measured in fresh processes, as a command-line call or a server start pays it: the import of the
checker, then reading, validating and compiling the packs. The peer is a plain `re` scan of the same
texts for the same party names and identifier shapes, without normalisation or validation: the
ratio says what the checker's extra work costs. Medians of several runs; writes
bench/results/checker.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import percentile
from kaitiaki.checker.render import render_jsonl_line
from kaitiaki.check_service.batch import check_stream
from kaitiaki.check_service.routing import PackSet

SEED = 20261121
RESULTS = Path(__file__).resolve().parent / "results" / "checker.json"

OPENERS = ["Kia ora koutou,", "Update:", "Reminder:", "Today", "This week", "Heads up:", ""]
TOPICS = [
    "our offices are closed on Labour Day", "the National Emergency Management Agency has a new guide",
    "roads in the Hawke's Bay are reopening", "check getready.govt.nz for your household plan",
    "the Prime Minister visited the flood-affected region", "applications for the grant close on Friday",
    "vote for the Greens on Saturday", "Labour's plan is exactly what we need", "Air New Zealand has a sale on",
    "call 0800 22 22 00 for help", "the Budget is embargoed until 2pm", "our team has a new intranet",
    "join the webinar on civil defence at 10am", "the National Party announced a policy today",
]
CLOSERS = ["", "Thanks!", "#StaySafe", "#VoteGreen", "More at https://www.civildefence.govt.nz", "Ngā mihi."]
COMMENTS = [
    "Thanks for the update, very helpful.", "When will the water be back on in Petone?",
    "You are a useless idiot and a moron", "Earn $5000 a week from home, click http://bit.ly/x",
    "The government has handled this badly and should explain why.", "My IRD number is 049-091-850 please help",
    "Jane Smith lives at 12 Rata Street, Naenae and has diabetes.", "Great work, kia kaha!",
]
TARGETS = [
    {"handle": "@NZLabour", "name": "New Zealand Labour Party"},
    {"handle": "@NZcivildefence", "name": "Civil Defence"},
    {"handle": "@someone_random", "name": "A Person"},
    {"handle": "@nzherald", "name": "NZ Herald", "text": "Labour and National clash over housing"},
    {"handle": "@FlyAirNZ", "name": "Air New Zealand"},
]


def corpus(count: int) -> list[dict]:
    rng = random.Random(SEED)
    items: list[dict] = []
    for index in range(count):
        roll = rng.random()
        text = " ".join(part for part in (rng.choice(OPENERS), rng.choice(TOPICS) + ".", rng.choice(CLOSERS)) if part)
        if roll < 0.35:
            item = {"kind": "post", "text": text, "platform": rng.choice(["x", "facebook", "linkedin"])}
        elif roll < 0.5:
            item = {"kind": "reply", "text": "@resident " + text}
        elif roll < 0.65:
            item = {"kind": "interaction", "action": rng.choice(["like", "follow", "repost", "share"]),
                    "target": rng.choice(TARGETS)}
            if rng.random() < 0.4:
                item["business_purpose"] = "They share public-safety information for our region."
        elif roll < 0.9:
            item = {"kind": "comment", "text": rng.choice(COMMENTS) + " " + rng.choice(OPENERS)}
        else:
            item = {"kind": "personal_post", "text": "Off to the beach this weekend. " + rng.choice(TOPICS) + ".",
                    "author": {"employer_listed": rng.random() < 0.5}}
        item["id"] = f"b{index}"
        items.append(item)
    return items


PEER_PATTERN = re.compile(
    r"\b(?:labour|national|greens?|act|te pāti māori|nz first)\b|\b\d{2,3}-?\d{3}-?\d{3}\b|[\w.+-]+@[\w-]+\.\w+"
    r"|https?://\S+",
    re.IGNORECASE,
)


def peer_batch(lines: list[bytes]) -> int:
    """The peer: parse each line and scan its texts with one regex, writing a JSON line out."""
    found = 0
    out = io.StringIO()
    for raw in lines:
        item = json.loads(raw)
        texts = [item.get("text") or ""] + [str(v) for v in (item.get("target") or {}).values()]
        hits = [m.group() for text in texts for m in PEER_PATTERN.finditer(text)]
        found += len(hits)
        out.write(json.dumps({"id": item.get("id"), "hits": hits}) + "\n")
    return found


def checker_batch(payload: bytes, packs: PackSet) -> int:
    out = io.StringIO()
    count = 0
    for outcome in check_stream(io.BytesIO(payload), packs):
        out.write(render_jsonl_line(outcome) + "\n")
        count += 1
    return count


LOAD_SCRIPT = """
import json, sys, time
wall, cpu = time.perf_counter(), time.process_time()
from kaitiaki.check_service.routing import PackSet
imported_wall, imported_cpu = time.perf_counter(), time.process_time()
PackSet.open(sys.argv[1]).load_all()
print(json.dumps({"import_wall": imported_wall - wall, "import_cpu": imported_cpu - cpu,
                  "load_wall": time.perf_counter() - imported_wall, "load_cpu": time.process_time() - imported_cpu}))
"""


def fresh_load(pack: str, runs: int) -> dict[str, float]:
    """Medians over fresh processes of the checker's import and of loading the packs (seconds)."""
    samples = [
        json.loads(subprocess.run([sys.executable, "-c", LOAD_SCRIPT, pack], check=True, capture_output=True,
                                  text=True).stdout)
        for _ in range(runs)
    ]
    return {key: statistics.median(sample[key] for sample in samples) for key in samples[0]}


def timed(function, *args) -> tuple[float, float]:  # noqa: ANN001
    """(wall seconds, CPU seconds of this process): on a busy machine the two differ."""
    start, cpu = time.perf_counter(), time.process_time()
    function(*args)
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pack", default="dpmc")
    args = parser.parse_args()

    load = fresh_load(args.pack, args.runs)
    packs = PackSet.open(args.pack)
    packs.load_all()
    items = corpus(args.items)
    lines = [json.dumps(item, ensure_ascii=False).encode() for item in items]
    payload = b"\n".join(lines) + b"\n"
    checker_batch(payload, packs)  # warm caches (model word cache, lazily built views)

    checker_runs = [timed(checker_batch, payload, packs) for _ in range(args.runs)]
    peer_runs = [timed(peer_batch, lines) for _ in range(args.runs)]
    checker_seconds = statistics.median(wall for wall, _ in checker_runs)
    peer_seconds = statistics.median(wall for wall, _ in peer_runs)
    checker_cpu = statistics.median(cpu for _, cpu in checker_runs)
    peer_cpu = statistics.median(cpu for _, cpu in peer_runs)

    latencies, cpu_latencies = [], []
    for item in items:
        start, cpu = time.perf_counter(), time.thread_time()
        packs.check(item)
        cpu_latencies.append((time.thread_time() - cpu) * 1000)
        latencies.append((time.perf_counter() - start) * 1000)
    p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
    cpu_p50, cpu_p99 = percentile(cpu_latencies, 0.5), percentile(cpu_latencies, 0.99)

    report = {
        "items": args.items,
        "runs": args.runs,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "packs": [pack.id for pack in packs.packs],
        "import_seconds": round(load["import_wall"], 3),
        "import_cpu_seconds": round(load["import_cpu"], 3),
        "pack_load_seconds": round(load["load_wall"], 3),
        "pack_load_cpu_seconds": round(load["load_cpu"], 3),
        "checker_items_per_second": round(args.items / checker_seconds, 1),
        "checker_items_per_cpu_second": round(args.items / checker_cpu, 1),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "peer_regex_items_per_second": round(args.items / peer_seconds, 1),
        "checker_time_over_peer_time": round(checker_seconds / peer_seconds, 2),
        "peer_regex_items_per_cpu_second": round(args.items / peer_cpu, 1),
        "checker_cpu_over_peer_cpu": round(checker_cpu / peer_cpu, 2),
        "single_check_p50_ms": round(p50, 3),
        "single_check_p99_ms": round(p99, 3),
        "single_check_cpu_p50_ms": round(cpu_p50, 3),
        "single_check_cpu_p99_ms": round(cpu_p99, 3),
        "targets": {"items_per_second": 2000, "p99_ms": 10},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    rows = [
        ("load average", " ".join(f"{value:.1f}" for value in os.getloadavg())),
        ("corpus", f"{args.items} items, {args.runs} runs (median), {os.cpu_count()} cores"),
        ("import (fresh process)", f"{load['import_wall']:.2f} s, CPU {load['import_cpu']:.2f} s"),
        ("pack load (fresh process)", f"{load['load_wall']:.2f} s, CPU {load['load_cpu']:.2f} s"),
        ("checker batch", f"{report['checker_items_per_second']:,.0f} items/s"),
        ("checker batch (CPU time)", f"{report['checker_items_per_cpu_second']:,.0f} items/s"),
        ("plain-regex peer", f"{report['peer_regex_items_per_second']:,.0f} items/s"),
        ("checker / peer time", f"{report['checker_time_over_peer_time']}x"),
        ("checker / peer CPU time", f"{report['checker_cpu_over_peer_cpu']}x"),
        ("single check p50", f"{p50:.2f} ms"),
        ("single check p99", f"{p99:.2f} ms"),
        ("single check p50 (CPU time)", f"{cpu_p50:.2f} ms"),
        ("single check p99 (CPU time)", f"{cpu_p99:.2f} ms"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
