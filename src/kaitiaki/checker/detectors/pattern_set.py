"""A rule's `patterns` as one case-insensitive, leftmost-first regex scan that skips what cannot
match.

Python's `re` tries every alternative of a long alternation at every position of the text, so a
rule with forty patterns costs tens of microseconds per field even when nothing matches. Most
patterns cannot match without some literal text: `\\bclick (here|the link)\\b` needs "click ",
`\\$\\s?\\d` needs "$". `necessary_literals` (regex_literals.py) works those out from the
pattern; at scan time an alternative none of whose literals is in the text is left out of the
scan. Leaving out an alternative that matches nowhere changes nothing about what the others match
(at each position the engine would have tried it and failed), so the matches are exactly those of
the full scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

import ahocorasick

from kaitiaki.checker.detectors.regex_literals import necessary_literals

# Non-ASCII characters that an ASCII letter matches under re.IGNORECASE (Turkish dotted and dotless
# i, long s, Kelvin sign). A text holding one of them is scanned in full, as literals are looked
# for with plain substring tests.
IGNORECASE_TWINS = frozenset("\u0130\u0131\u017f\u212a")
_TWIN = re.compile("[" + "".join(sorted(IGNORECASE_TWINS)) + "]")
# Distinct subsets of alternatives compiled per set; past this the full scan is used.
_SUBSET_CACHE_LIMIT = 256


class LiteralIndex:
    """Every necessary literal of a pack's pattern sets in one automaton, so a text is searched
    for all of them at once (one scan per field, shared by every rule)."""

    def __init__(self) -> None:
        self._literals: set[str] = set()
        self._automaton: ahocorasick.Automaton | None = None

    def add(self, literals: Iterable[str]) -> None:
        before = len(self._literals)
        self._literals.update(literals)
        if len(self._literals) != before:
            self._automaton = None

    def present(self, text: str) -> frozenset[str] | None:
        """The literals that occur in `text` (case-insensitively); None when that cannot be told
        by substring search (the text holds an IGNORECASE twin of an ASCII letter)."""
        if not text.isascii() and _TWIN.search(text):
            return None
        if not self._literals:
            return frozenset()
        automaton = self._automaton
        if automaton is None:
            automaton = self._automaton = _automaton(self._literals)
        return frozenset(literal for _, literal in automaton.iter(text.lower()))


def _automaton(literals: Iterable[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for literal in literals:
        automaton.add_word(literal, literal)
    automaton.make_automaton()
    return automaton


class PatternSet:
    """`finditer` over the folded text gives the matches of `(?:p1)|(?:p2)|...` compiled with
    re.IGNORECASE, scanning only the alternatives whose necessary literals occur in the text."""

    def __init__(self, patterns: Sequence[str], literal_index: LiteralIndex | None = None) -> None:
        self.patterns = tuple(patterns)
        self.full = _combine(self.patterns)
        self.literal_index = literal_index if literal_index is not None else LiteralIndex()
        self._always: list[int] = []
        self._by_literal: dict[str, list[int]] = {}
        for index, pattern in enumerate(self.patterns):
            literals = necessary_literals(pattern)
            if literals is None:
                self._always.append(index)
                continue
            for literal in literals:
                self._by_literal.setdefault(literal, []).append(index)
        self._own_literals = frozenset(self._by_literal)
        self.literal_index.add(self._own_literals)
        self._subsets: dict[tuple[int, ...], re.Pattern[str]] = {}

    def finditer(self, text: str, present: frozenset[str] | None = None) -> Iterator[re.Match[str]]:
        """Matches in `text`; `present` is `literal_index.present(text)` when the caller has it."""
        if present is None:
            present = self.literal_index.present(text)
        scanner = self._scanner(present) if present is not None else self.full
        return scanner.finditer(text) if scanner is not None else iter(())

    def _scanner(self, present: frozenset[str]) -> re.Pattern[str] | None:
        found = present & self._own_literals
        if not found:
            possible = tuple(self._always)
        else:
            indices = set(self._always)
            for literal in found:
                indices.update(self._by_literal[literal])
            possible = tuple(sorted(indices))
        if not possible:
            return None
        if len(possible) == len(self.patterns):
            return self.full
        scanner = self._subsets.get(possible)
        if scanner is None:
            if len(self._subsets) >= _SUBSET_CACHE_LIMIT:
                return self.full
            scanner = self._subsets[possible] = _combine([self.patterns[index] for index in possible])
        return scanner


def _combine(patterns: Sequence[str]) -> re.Pattern[str]:
    if len(patterns) == 1:
        return re.compile(patterns[0], re.IGNORECASE)
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)
