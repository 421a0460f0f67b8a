"""Abusive comments: Kaitiaki against alt-profanity-check and better-profanity, same data, same run.

    .venv/bin/python bench/bench_abusive.py [--runs 3] [--quick]

Data (read from ../shared/data; a missing set is skipped with a note):
* TweetEval `offensive/test` (860 tweets, 240 offensive): macro-F1 over both classes;
* the toxic_spans SemEval trial set (690 Civil Comments posts, all rated toxic): recall only.

Kaitiaki is the whole checker as the moderation queue uses it: each text is checked as a
`comment` and counts as abusive when a finding of category `offensive`, `threat` or
`hate_or_discrimination` warns or blocks. The shipped `abusive` model alone (its own threshold) is
reported too. Peers run with their defaults: alt-profanity-check's `predict` (a linear SVM on a
bag of words, 1 = profane) and better-profanity's `contains_profanity` (a word list with
variants). Speed is comments per second (wall and CPU), median of --runs runs of the whole set in one
process; a system whose first run takes over 20 s is timed on that run only.
Writes bench/results/abusive.json.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable

from common import DATA_DIR, binary_scores, data_missing, forbid_network, machine, timed, write_result

SLOW_RUN_SECONDS = 20.0
ABUSIVE_CATEGORIES = frozenset({"offensive", "threat", "hate_or_discrimination"})


def kaitiaki_checker() -> Callable[[list[str]], list[int]]:
    from kaitiaki.check_service.routing import PackSet
    from kaitiaki.errors import BadInput

    packs = PackSet.open("dpmc")
    packs.load_all()

    def predict(texts: list[str]) -> list[int]:
        flags = []
        for text in texts:
            try:
                result = packs.check({"kind": "comment", "text": text})
            except BadInput:  # an empty line: nothing to check
                flags.append(0)
                continue
            flags.append(int(any(finding.category in ABUSIVE_CATEGORIES and finding.severity in ("warn", "block")
                                 for finding in result.findings)))
        return flags

    return predict


def kaitiaki_model() -> Callable[[list[str]], list[int]]:
    from kaitiaki.checker.models import load_model

    model = load_model("abusive")
    return lambda texts: [int(score >= model.threshold) for score in model.score_many(texts)]


def alt_profanity_check() -> Callable[[list[str]], list[int]]:
    from profanity_check import predict

    return lambda texts: [int(value) for value in predict(texts)]


def better_profanity() -> Callable[[list[str]], list[int]]:
    from better_profanity import profanity

    profanity.load_censor_words()
    return lambda texts: [int(profanity.contains_profanity(text)) for text in texts]


SYSTEMS: dict[str, Callable[[], Callable[[list[str]], list[int]]]] = {
    "Kaitiaki checker": kaitiaki_checker,
    "Kaitiaki abusive model alone": kaitiaki_model,
    "alt-profanity-check": alt_profanity_check,
    "better-profanity": better_profanity,
}


def datasets(quick: bool) -> tuple[dict[str, tuple[list[str], list[int]]], dict[str, str]]:
    from kaitiaki.checker.models.datasets import toxic_spans, tweeteval

    found: dict[str, tuple[list[str], list[int]]] = {}
    notes: dict[str, str] = {}
    for name, parts, load in (
        ("tweeteval offensive/test", ("tweeteval", "offensive"), lambda: tweeteval(DATA_DIR, "offensive", "test")),
        ("toxic_spans trial (all toxic)", ("toxic_spans", "tsd_trial.csv"), lambda: toxic_spans(DATA_DIR, "trial")),
    ):
        missing = data_missing(*parts)
        if missing:
            notes[name] = missing
            continue
        data = load()
        texts, labels = list(data.texts), [int(label) for label in data.labels]
        if quick:
            texts, labels = texts[::3], labels[::3]
        found[name] = (texts, labels)
    return found, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="every third text, one run")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    forbid_network()

    sets, notes = datasets(args.quick)
    report: dict = {"machine": machine(), "runs": runs, "quick": args.quick, "notes": notes, "sets": {}}
    predictors = {name: build() for name, build in SYSTEMS.items()}
    for set_name, (texts, labels) in sets.items():
        rows = {}
        for name, predict in predictors.items():
            predict(texts[:20])  # warm caches
            first = timed(lambda: predict(texts))
            # A slow peer (better-profanity: a few comments a second) is timed on its scoring run only.
            extra = runs - 1 if first[0] < SLOW_RUN_SECONDS else 0
            samples = [first] + [timed(lambda: predict(texts)) for _ in range(extra)]
            wall = statistics.median(sample[0] for sample in samples)
            cpu = statistics.median(sample[1] for sample in samples)
            rows[name] = {**binary_scores(labels, first[2]), "timed_runs": len(samples),
                          "comments_per_second": round(len(texts) / wall, 1),
                          "comments_per_cpu_second": round(len(texts) / max(cpu, 1e-9), 1)}
        peer = rows["alt-profanity-check"]
        for row in rows.values():
            key = "macro_f1" if row["macro_f1"] is not None else "recall"
            row["score_minus_alt_profanity_check"] = round(row[key] - peer[key], 4)
            row["speed_over_alt_profanity_check"] = round(row["comments_per_second"] / peer["comments_per_second"], 3)
        report["sets"][set_name] = {"rows": len(texts), "positives": sum(labels), "systems": rows}
        print(f"\n{set_name}: {len(texts)} texts, {sum(labels)} abusive")
        for name, row in rows.items():
            score = f"macro-F1 {row['macro_f1']:.3f}" if row["macro_f1"] is not None else f"recall {row['recall']:.3f}"
            print(f"  {name:<30} {score}  {row['comments_per_second']:>9,.0f} comments/s")
    for name, note in notes.items():
        print(f"{name}: {note}")
    print(f"written to {write_result('abusive', report)}")


if __name__ == "__main__":
    main()
