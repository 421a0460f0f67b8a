"""The meaning model: speed of the whole checker with it, and quality on public sets, next to the
peers alt-profanity-check and better-profanity in the same run.

    .venv/bin/python bench/bench_meaning.py [--items 3000] [--runs 3] [--quick]

Speed: one process, a mixed stream of the project's labelled items (tests/cases/*.jsonl except the
held-out meaning_eval.jsonl: posts, replies with their parents, interactions, comments, personal
posts), repeated to --items; items per second and single-check p50/p99, for the packs as shipped
(rules + meaning model) and for the same packs without the meaning rules; the peers' rates on the
same texts. Quality (comments): a text is flagged when the checker raises offensive, threat or
hate_or_discrimination (warn or block); the peers flag profanity. Reported: TweetEval offensive test
(macro-F1), the Gab Hate Corpus test split (hd or cv = positive; never trained on), HateCheck (accuracy,
hateful and non-hateful cases; never trained on). Writes bench/results/meaning.json.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
import time
from pathlib import Path

from common import DATA_DIR, REPO_ROOT, RESULTS_DIR, binary_scores, forbid_network, machine, percentile

from kaitiaki.check_service.routing import PackSet
from kaitiaki.checker.engine import compile_pack
from kaitiaki.policy.loader import read_pack, resolve_pack_path

ABUSE = {"offensive", "threat", "hate_or_discrimination"}


def case_items(count: int) -> list[dict]:
    items = []
    for path in sorted((REPO_ROOT / "tests" / "cases").glob("*.jsonl")):
        if path.name == "meaning_eval.jsonl":
            continue
        items += [json.loads(line)["item"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [items[i % len(items)] for i in range(count)]


def pack_set(with_meaning: bool) -> PackSet:
    def compiled(name: str):  # noqa: ANN202
        pack = read_pack(resolve_pack_path(name))
        if not with_meaning:
            pack = dataclasses.replace(pack, rules=tuple(r for r in pack.rules if r.check != "meaning"))
        return compile_pack(pack)

    packs = PackSet(compiled("dpmc"), ())
    packs._by_kind["personal_post"] = compiled("psc-personal")  # noqa: SLF001 - a bench's own pair of packs
    return packs


def speed(packs: PackSet, items: list[dict], runs: int) -> dict:
    for item in items[:200]:
        packs.check(item)  # warm the caches (regexes, word pieces), as a running server has
    rates, latencies = [], []
    for _ in range(runs):
        start = time.perf_counter()
        for item in items:
            packs.check(item)
        rates.append(len(items) / (time.perf_counter() - start))
    for item in items[:2000]:
        start = time.perf_counter()
        packs.check(item)
        latencies.append((time.perf_counter() - start) * 1000)
    rates.sort()
    return {"items_per_second": round(rates[len(rates) // 2], 1), "p50_ms": round(percentile(latencies, 0.5), 3),
            "p99_ms": round(percentile(latencies, 0.99), 3), "max_ms": round(max(latencies), 3)}


def peers() -> dict:
    found = {}
    try:
        from profanity_check import predict  # noqa: PLC0415 - optional bench peer

        found["alt-profanity-check"] = lambda texts: [int(v) for v in predict(texts)]
    except ImportError:
        pass
    try:
        from better_profanity import profanity  # noqa: PLC0415 - optional bench peer

        profanity.load_censor_words()
        found["better-profanity"] = lambda texts: [int(profanity.contains_profanity(t)) for t in texts]
    except ImportError:
        pass
    return found


def checker_flags(packs: PackSet, texts: list[str]) -> list[int]:
    out = []
    for text in texts:
        result = packs.check({"kind": "comment", "text": text or "."})
        out.append(int(bool(ABUSE & {f.category for f in result.findings if f.severity != "advise"})))
    return out


def public_sets(limit: int | None) -> dict[str, tuple[list[str], list[int], list[str]]]:
    sets = {}
    folder = DATA_DIR / "tweeteval" / "offensive"
    if folder.exists():
        texts = (folder / "test_text.txt").read_text(encoding="utf-8").split("\n")
        labels = [int(v) for v in (folder / "test_labels.txt").read_text(encoding="utf-8").split()]
        sets["tweeteval_offensive_test"] = (texts[:len(labels)], labels, [""] * len(labels))
    path = DATA_DIR / "gab_hate_corpus" / "ghc_test.tsv"
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        sets["gab_hate_test"] = ([r["text"] for r in rows], [int(r["hd"] == "1" or r["cv"] == "1") for r in rows],
                                 [""] * len(rows))
    path = DATA_DIR / "hatecheck" / "test_suite_cases.csv"
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        sets["hatecheck"] = ([r["test_case"] for r in rows], [int(r["label_gold"] == "hateful") for r in rows],
                             [r["functionality"] for r in rows])
    if limit:
        sets = {k: (t[:limit], y[:limit], g[:limit]) for k, (t, y, g) in sets.items()}
    return sets


def quality(packs: PackSet, limit: int | None) -> dict:
    judges = {"kaitiaki": lambda texts: checker_flags(packs, texts), **peers()}
    report = {}
    for name, (texts, labels, groups) in public_sets(limit).items():
        report[name] = {"items": len(texts)}
        for judge, run in judges.items():
            predicted = run(texts)
            scores = binary_scores(labels, predicted)
            scores["accuracy"] = round(sum(int(p == y) for p, y in zip(predicted, labels)) / len(labels), 4)
            if name == "hatecheck":
                hateful = [p == y for p, y in zip(predicted, labels) if y == 1]
                benign = [p == y for p, y in zip(predicted, labels) if y == 0]
                scores["hateful_cases_accuracy"] = round(sum(hateful) / len(hateful), 4)
                scores["non_hateful_cases_accuracy"] = round(sum(benign) / len(benign), 4)
            report[name][judge] = scores
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="500 items, 1 run, 400 texts per public set")
    args = parser.parse_args()
    forbid_network()
    count, runs, limit = (500, 1, 400) if args.quick else (args.items, args.runs, None)
    items = case_items(count)
    shipped = pack_set(True)
    rules_only = pack_set(False)
    texts = [item.get("text") or "" for item in items]
    peer_speed = {}
    for name, run in peers().items():
        start = time.perf_counter()
        run(texts)
        peer_speed[name] = {"texts_per_second": round(len(texts) / (time.perf_counter() - start), 1)}
    result = {
        "machine": machine(),
        "items": count,
        "speed": {"rules_and_meaning_model": speed(shipped, items, runs), "rules_only": speed(rules_only, items, runs),
                  **peer_speed},
        "quality": quality(shipped, limit),
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "meaning.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
