"""Shared helpers of the benchmarks: where data and results live, the machine's description,
timing (medians, percentiles), scores, and a guard that refuses any connection off this machine.

Benchmarks compare Kaitiaki with a peer measured in the same run, on the same data; they report
medians of several runs, item counts, the core count, memory and load average, never a bare time.
"""

from __future__ import annotations

import ipaddress
import json
import os
import platform
import socket
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
REPO_ROOT = BENCH_DIR.parent
DATA_DIR = Path(os.environ.get("KAITIAKI_BENCH_DATA", REPO_ROOT.parent / "shared" / "data"))

# Peers (spaCy, Presidio, Hugging Face style libraries) read these before touching the network.
# The per-client limits on anonymous endpoints, raised for a server that one load generator (one
# address) drives on purpose; the limits notation has no "unlimited": a count no run reaches.
UNLIMITED_RATE_LIMITS = {f"KAITIAKI_RATE_LIMIT_{name}": "1000000/minute"
                         for name in ("CHECK_API", "COMPLAINT_FORM", "SIGN_IN")}
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "SPACY_WARNING_IGNORE": "W095",
    "TOKENIZERS_PARALLELISM": "false",
}


class NetworkRefused(RuntimeError):
    """A benchmark tried to reach another machine: every peer must run offline."""


def _loopback(host: object) -> bool:
    if host in (None, "", "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def forbid_network() -> None:
    """Refuse name look-ups and connections to anything but loopback, for the rest of the process.

    Peers that quietly fetch data (a spaCy model, a public suffix list) fail loudly instead of
    being measured with a download inside their time.
    """
    os.environ.update(OFFLINE_ENV)
    if getattr(socket, "_kaitiaki_bench_guarded", False):
        return
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(address: object) -> None:
        if isinstance(address, tuple) and address and not _loopback(address[0]):
            raise NetworkRefused(f"benchmark tried to connect to {address[0]}: peers must run offline")

    def connect(self: socket.socket, address: Any) -> None:
        check(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _loopback(host):
            raise NetworkRefused(f"benchmark tried to look up {host}: peers must run offline")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo
    socket._kaitiaki_bench_guarded = True  # type: ignore[attr-defined]


def memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / (1024 * 1024), 1)
    except OSError:
        pass
    return None


def machine() -> dict[str, Any]:
    """Cores, memory, load average and software: what a reader needs to compare figures."""
    return {
        "cores": os.cpu_count(),
        "memory_gib": memory_gib(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def timed(work: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, value): on a busy machine the two differ."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = work()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def median_rate(work: Callable[[], Any], count: int, runs: int) -> dict[str, float]:
    """Items per second (wall and CPU) over the median of `runs` runs of `work` on `count` items."""
    samples = [timed(work) for _ in range(runs)]
    wall = statistics.median(sample[0] for sample in samples)
    cpu = statistics.median(sample[1] for sample in samples)
    return {"per_second": round(count / wall, 1), "per_cpu_second": round(count / max(cpu, 1e-9), 1),
            "median_wall_s": round(wall, 4), "runs": runs}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def binary_scores(labels: list[int], predicted: list[int]) -> dict[str, float]:
    """Macro-F1 over both classes, and F1/precision/recall of the positive class."""
    def f1_for(positive: int) -> tuple[float, float, float]:
        tp = sum(1 for y, p in zip(labels, predicted, strict=True) if y == positive and p == positive)
        fp = sum(1 for y, p in zip(labels, predicted, strict=True) if y != positive and p == positive)
        fn = sum(1 for y, p in zip(labels, predicted, strict=True) if y == positive and p != positive)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return f1, precision, recall

    f1_pos, precision, recall = f1_for(1)
    f1_neg, _, _ = f1_for(0)
    one_class = len(set(labels)) == 1
    return {"macro_f1": None if one_class else round((f1_pos + f1_neg) / 2, 4),
            "f1": round(f1_pos, 4), "precision": round(precision, 4), "recall": round(recall, 4),
            "rows": len(labels)}


def f_beta(precision: float, recall: float, beta: float) -> float:
    weight = beta * beta
    denominator = weight * precision + recall
    return (1 + weight) * precision * recall / denominator if denominator else 0.0


def write_result(name: str, report: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def data_missing(*parts: str) -> str | None:
    """A note naming the missing data folder, or None when it is there."""
    path = DATA_DIR.joinpath(*parts)
    return None if path.exists() else f"skipped: {path} is not present (see ../shared/data/README.md)"
