"""Detector throughput on a generated NZ-format corpus, against a plain-regex peer.

    .venv/bin/python bench/bench_detectors.py [--texts 5000] [--runs 5]

The corpus is generated here with a fixed seed: social media posts and comments, about a third of
them carrying NZ-format details (phone numbers, emails, IRD / NHI / bank / card numbers, street
addresses) and names. Measured in one process: texts per second for `find_identifiers` +
`find_personal_information` (the personal-information path of the checker), for `normalize`, and
for a peer that scans the same texts with plain regexes for the same shapes, with no validation,
no folding and no name heuristics. The ratio says what validation and context cost. Medians of
several runs; writes bench/results/detectors.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from kaitiaki.checker.detectors.identifiers import find_identifiers
from kaitiaki.checker.detectors.personal import find_personal_information
from kaitiaki.checker.normalize import normalize

SEED = 20261121
RESULTS = Path(__file__).resolve().parent / "results" / "detectors.json"

PLAIN = [
    "Kia ora koutou, our offices are closed on Labour Day.",
    "Roads in Hawke's Bay are reopening this afternoon; check the NZTA map before you travel.",
    "The National Emergency Management Agency has a new guide for households at getready.govt.nz",
    "Thanks for the update, very helpful. Ngā mihi nui!",
    "When will the water be back on in Petone? It has been 3 days.",
    "Applications for the Budget 2024 grant close on Friday 12 April at 5pm.",
    "Great work team, kia kaha Tairāwhiti 💪 #StaySafe",
    "The government has handled this badly and should explain why.",
]
NAMES = ["Sarah Jones", "Tom", "Mrs Mere Parata", "Hēmi Walker", "Dr Smith", "Sione Tuilagi", "Priya Patel"]
DETAILS = [
    "my number is 021 555 {n4}", "call me on (04) 817 {n4}", "email {first}.{last}@gmail.com",
    "IRD number 49-091-850", "my NHI is ZZZ0016", "pay into 01-0242-0100194-00",
    "lives at {n2} Rata Street, Naenae", "card 4111 1111 1111 1111", "has been diagnosed with diabetes",
    "or call us on 0800 22 22 00", "or email info@civildefence.govt.nz",
]


def corpus(count: int) -> list[str]:
    rng = random.Random(SEED)
    texts = []
    for _ in range(count):
        text = rng.choice(PLAIN)
        if rng.random() < 0.35:
            name = rng.choice(NAMES)
            detail = rng.choice(DETAILS).format(
                n4=f"{rng.randrange(10000):04d}", n2=rng.randrange(1, 200),
                first=rng.choice(["tom", "sarah", "mere"]), last=rng.choice(["smith", "jones"]),
            )
            text = f"{text} {name} {detail}."
        texts.append(text)
    return texts


PEER_PATTERNS = re.compile(
    r"\+?\(?\d[\d ()\-]{6,}\d"  # digit runs (phone, IRD, bank, card)
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # emails
    r"|\b[A-Z]{3}\d{4}\b"  # NHI shape
    r"|\b\d{1,5} [A-Z][a-z]+ (?:Street|St|Road|Rd|Avenue|Ave)\b"  # addresses
    r"|\b(?:Mr|Mrs|Ms|Dr) [A-Z][a-z]+|\b[A-Z][a-z]+ [A-Z][a-z]+\b"  # names
)


def peer(texts: list[str]) -> int:
    return sum(len(PEER_PATTERNS.findall(text)) for text in texts)


def detectors(texts: list[str]) -> int:
    found = 0
    for text in texts:
        identifiers = find_identifiers(text)
        found += len(identifiers) + len(find_personal_information(text, identifiers))
    return found


def normalise_only(texts: list[str]) -> int:
    return sum(len(normalize(text).folded) for text in texts)


def median_seconds(function: Callable[[list[str]], int], texts: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(texts)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    texts = corpus(args.texts)
    detectors(texts)  # warm caches (given names, health terms, suffix list, lru caches)
    detector_seconds = median_seconds(detectors, texts, args.runs)
    normalize_seconds = median_seconds(normalise_only, texts, args.runs)
    peer_seconds = median_seconds(peer, texts, args.runs)

    with_details = sum(1 for text in texts if find_identifiers(text))
    report = {
        "texts": args.texts,
        "texts_with_identifiers": with_details,
        "runs": args.runs,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "detectors_texts_per_second": round(args.texts / detector_seconds, 1),
        "normalize_texts_per_second": round(args.texts / normalize_seconds, 1),
        "peer_regex_texts_per_second": round(args.texts / peer_seconds, 1),
        "detectors_time_over_peer_time": round(detector_seconds / peer_seconds, 2),
        "findings": detectors(texts),
        "peer_hits": peer(texts),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    rows = [
        ("corpus", f"{args.texts} texts ({with_details} with identifiers), {args.runs} runs (median), {os.cpu_count()} cores"),
        ("identifiers + personal info", f"{report['detectors_texts_per_second']:,.0f} texts/s"),
        ("normalize", f"{report['normalize_texts_per_second']:,.0f} texts/s"),
        ("plain-regex peer", f"{report['peer_regex_texts_per_second']:,.0f} texts/s"),
        ("detectors / peer time", f"{report['detectors_time_over_peer_time']}x"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
