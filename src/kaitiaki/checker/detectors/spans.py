"""Span bookkeeping shared by the detectors, in O(log n) per question so that a 100,000-character
text full of matches stays linear-ish rather than quadratic."""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import TypeVar

T = TypeVar("T")


class DisjointSpans:
    """A growing set of non-overlapping spans that answers "does this span overlap one of them?"."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._spans: list[tuple[int, int]] = []
        for start, end in spans:
            if not self.overlaps(start, end):
                self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_right(self._spans, (start, float("inf")))
        if index > 0 and self._spans[index - 1][1] > start:
            return True
        return index < len(self._spans) and self._spans[index][0] < end

    def add(self, start: int, end: int) -> None:
        insort(self._spans, (start, end))


def keep_non_overlapping(items: Iterable[T], span: Callable[[T], tuple[int, int]], order: Callable[[T], object]) -> list[T]:
    """The items kept when overlaps are resolved greedily in `order` (best first), in text order."""
    kept: list[T] = []
    taken = DisjointSpans()
    for item in sorted(items, key=order):
        start, end = span(item)
        if not taken.overlaps(start, end):
            taken.add(start, end)
            kept.append(item)
    return sorted(kept, key=span)


class Containers:
    """Spans that may overlap each other; answers "is this span inside one of them?"."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._max_end = list(accumulate((end for _, end in ordered), max))

    def contain(self, start: int, end: int) -> bool:
        index = bisect_right(self._starts, start)
        return index > 0 and self._max_end[index - 1] >= end
