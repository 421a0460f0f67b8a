"""Checker throughput in one process and in as many processes as there are cores.

    .venv/bin/python bench/bench_checker_parallel.py [--items 4000] [--runs 3] [--processes N]

The corpus is the mixed one of bench_checker.py (posts, replies, interactions, comments, personal
posts; fixed seed), checked as `--input`-style JSON-line batches. The packs are loaded once and the
worker processes are forked from that loaded state, as a pre-forking server or a batch job would
do; the batch is split into one chunk per process. Reported: items per second with 1 process and
with N, the speed-up (the reference is the single process in the same run) and p50 / p99 of a single
check, medians of --runs runs. Writes bench/results/checker_parallel.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import time

from bench_checker import checker_batch, corpus
from common import machine, percentile, write_result
from kaitiaki.check_service.routing import PackSet

PACKS: PackSet | None = None  # loaded before forking, so every process shares the compiled packs


def check_chunk(payload: bytes) -> int:
    assert PACKS is not None
    return checker_batch(payload, PACKS)


def chunks(lines: list[bytes], parts: int) -> list[bytes]:
    return [b"\n".join(lines[index::parts]) + b"\n" for index in range(parts)]


def throughput(pool: multiprocessing.pool.Pool, lines: list[bytes], processes: int, runs: int) -> float:
    payloads = chunks(lines, processes)
    pool.map(check_chunk, payloads)  # warm every process's caches
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        assert sum(pool.map(check_chunk, payloads)) == len(lines)
        walls.append(time.perf_counter() - start)
    return len(lines) / statistics.median(walls)


def main() -> None:
    global PACKS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--pack", default="dpmc")
    args = parser.parse_args()

    PACKS = PackSet.open(args.pack)
    PACKS.load_all()
    items = corpus(args.items)
    lines = [json.dumps(item, ensure_ascii=False).encode() for item in items]
    context = multiprocessing.get_context("fork")
    rates = {}
    for processes in sorted({1, args.processes}):
        with context.Pool(processes) as pool:
            rates[processes] = throughput(pool, lines, processes, args.runs)
        print(f"{processes} process(es): {rates[processes]:,.0f} items/s", flush=True)

    latencies = []
    for item in items:
        start = time.perf_counter()
        PACKS.check(item)
        latencies.append((time.perf_counter() - start) * 1000)
    report = {
        "machine": machine(), "items": args.items, "runs": args.runs, "processes": args.processes,
        "items_per_second_1_process": round(rates[1], 1),
        "items_per_second_n_processes": round(rates[args.processes], 1),
        "speed_up": round(rates[args.processes] / rates[1], 2),
        "single_check_p50_ms": round(percentile(latencies, 0.5), 3),
        "single_check_p99_ms": round(percentile(latencies, 0.99), 3),
    }
    print(f"speed-up with {args.processes} processes: {report['speed_up']}x; single check p50 "
          f"{report['single_check_p50_ms']} ms, p99 {report['single_check_p99_ms']} ms")
    print(f"written to {write_result('checker_parallel', report)}")


if __name__ == "__main__":
    main()
