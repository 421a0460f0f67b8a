"""Span bookkeeping, checked against a brute-force answer on random spans."""

from __future__ import annotations

import random

from kaitiaki.checker.detectors.identifiers import MAX_DIGIT_RUNS, find_identifiers
from kaitiaki.checker.detectors.spans import Containers, DisjointSpans, keep_non_overlapping


def _random_spans(rng: random.Random, count: int) -> list[tuple[int, int]]:
    spans = []
    for _ in range(count):
        start = rng.randrange(0, 200)
        spans.append((start, start + rng.randrange(1, 30)))
    return spans


def test_keep_non_overlapping_matches_brute_force() -> None:
    rng = random.Random(3)
    for _ in range(300):
        spans = _random_spans(rng, rng.randrange(0, 40))
        order = lambda span: (span[0] - span[1], span[0])  # noqa: E731 - longest first
        expected: list[tuple[int, int]] = []
        for start, end in sorted(spans, key=order):
            if all(end <= s or start >= e for s, e in expected):
                expected.append((start, end))
        assert keep_non_overlapping(spans, lambda span: span, order) == sorted(expected)


def test_disjoint_spans_and_containers_match_brute_force() -> None:
    rng = random.Random(5)
    for _ in range(300):
        kept = keep_non_overlapping(_random_spans(rng, 20), lambda s: s, lambda s: s)
        disjoint = DisjointSpans(kept)
        all_spans = _random_spans(rng, 10) + kept  # these may overlap each other
        containers = Containers(all_spans)
        for start, end in _random_spans(rng, 30):
            assert disjoint.overlaps(start, end) == any(s < end and start < e for s, e in kept)
            assert containers.contain(start, end) == any(s <= start and end <= e for s, e in all_spans)


def test_a_text_of_thousands_of_numbers_still_reports_the_first_ones() -> None:
    text = ", ".join(["021 555 1234"] * (MAX_DIGIT_RUNS + 100))
    matches = find_identifiers(text)
    assert len(matches) == MAX_DIGIT_RUNS
    assert all(m.entity == "nz_phone" for m in matches)
