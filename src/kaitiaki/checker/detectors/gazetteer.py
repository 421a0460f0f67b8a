"""Lexicon matching: Aho-Corasick over the folded text, reported on the original text.

Phrases are folded with `fold_term`, so they match however the text is dressed up (case, macrons,
homoglyphs, leetspeak). A match counts only at word boundaries on both sides; where matches overlap
the longest wins. Three kinds of lexicon data keep ordinary words from firing:

* `exclude` phrases (lexicon-wide hard negatives): a match inside "Labour Day" is not "Labour".
* `case_sensitive` aliases count only when the original text is capitalised like the alias
  ("Green" yes, "green" no); an all-capitals spelling ("GREEN") also counts, since people shout.
* `needs_context` aliases count only when one of the entry's `context` words is in the same
  sentence ("National" next to "vote" or "party", not "national park" on its own).

Building is done once (at pack load); `find` is linear in the length of the text.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from kaitiaki.checker.detectors.spans import Containers, keep_non_overlapping
from kaitiaki.checker.normalize import LEET, Normalized, SentenceIndex, fold_keep_case, fold_term


@dataclass(frozen=True, slots=True)
class GazEntry:
    lexicon: str
    name: str
    type: str
    attributes: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    case_sensitive: frozenset[str] = frozenset()
    needs_context: frozenset[str] = frozenset()
    context: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GazMatch:
    start: int
    end: int
    text: str
    entry: GazEntry
    alias: str


@dataclass(slots=True)
class _Key:
    length: int
    aliases: list[tuple[str, GazEntry]] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    exclude: bool = False
    context: bool = False


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int  # on the folded text
    end: int
    key: str
    record: _Key


class _PhraseIndex:
    """One automaton over every folded phrase, exclude phrase and context word of a matcher."""

    def __init__(self) -> None:
        self._records: dict[str, _Key] = {}
        self._automaton: ahocorasick.Automaton | None = None

    def record(self, phrase: str) -> _Key | None:
        key = fold_term(phrase)
        if not key:
            return None
        if key not in self._records:
            self._records[key] = _Key(length=len(key))
        return self._records[key]

    def build(self) -> None:
        if not self._records:
            return
        automaton = ahocorasick.Automaton()
        for key, record in self._records.items():
            automaton.add_word(key, (key, record))
        automaton.make_automaton()
        self._automaton = automaton

    def scan(self, folded: str) -> tuple[list[_Hit], list[tuple[int, int]], list[_Hit]]:
        """Phrase hits outside exclude phrases, the exclude spans, and context-word hits."""
        if self._automaton is None or not folded:
            return [], [], []
        phrases: list[_Hit] = []
        excludes: list[tuple[int, int]] = []
        contexts: list[_Hit] = []
        length = len(folded)
        for last, (key, record) in self._automaton.iter(folded):
            end = last + 1
            start = end - record.length
            if (start > 0 and folded[start - 1].isalnum()) or (end < length and folded[end].isalnum()):
                continue
            hit = _Hit(start, end, key, record)
            if record.exclude:
                excludes.append((start, end))
            if record.context:
                contexts.append(hit)
            if record.aliases or record.terms:
                phrases.append(hit)
        if excludes:
            excluded = Containers(excludes)
            phrases = [hit for hit in phrases if not excluded.contain(hit.start, hit.end)]
        return phrases, excludes, contexts


def _longest_first(spans: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The spans kept when overlapping matches are resolved in favour of the longest (then first)."""
    return set(keep_non_overlapping(set(spans), lambda span: span, lambda span: (span[0] - span[1], span[0])))


def _case_shape(text: str) -> str:
    """'U' for capitals, 'l' for small letters, '?' for leet digits; everything else ignored."""
    return "".join(
        "U" if char.isupper() else "l" if char.isalpha() else "?" if char in LEET else ""
        for char in text
    )


def _same_case(original: str, alias: str) -> bool:
    found, wanted = _case_shape(fold_keep_case(original)), _case_shape(alias)
    if len(found) != len(wanted):
        return False
    if all(f == w or f == "?" for f, w in zip(found, wanted)):
        return True
    # Shouting: "VOTE NATIONAL" spells the capitalised alias "National" in capitals.
    return wanted[:1] == "U" and len(wanted) > 1 and set(found) <= {"U", "?"}


class Gazetteer:
    """Finds the entries of one or more lexicons in a normalised text."""

    def __init__(self, phrases: Iterable[tuple[str, GazEntry]], exclude: Iterable[str] = ()) -> None:
        # Built on first use: a pack names large lexicons (global companies) that many runs never
        # need, and building their automata is most of the cost of loading a pack.
        self._source: tuple[Iterable[tuple[str, GazEntry]], Iterable[str]] | None = (phrases, exclude)
        self._index = _PhraseIndex()
        self._context_keys: dict[GazEntry, frozenset[str]] = {}
        self._lock = threading.Lock()

    def _build(self) -> None:
        with self._lock:
            if self._source is None:
                return
            phrases, exclude = self._source
            index = _PhraseIndex()
            context_keys: dict[GazEntry, frozenset[str]] = {}
            for alias, entry in phrases:
                record = index.record(alias)
                if record is None:
                    continue
                record.aliases.append((alias, entry))
                if entry.needs_context and entry not in context_keys:
                    keys = set()
                    for word in entry.context:
                        context_record = index.record(word)
                        if context_record is not None:
                            context_record.context = True
                            keys.add(fold_term(word))
                    context_keys[entry] = frozenset(keys)
            for phrase in exclude:
                record = index.record(phrase)
                if record is not None:
                    record.exclude = True
            index.build()
            self._index, self._context_keys = index, context_keys
            self._source = None

    @classmethod
    def from_lexicon(
        cls,
        lexicon: str,
        entries: Iterable[Mapping[str, Any] | Any],
        exclude: Iterable[str] = (),
        types: Collection[str] | None = None,
    ) -> Gazetteer:
        """Build from lexicon entries (mappings or objects with the PACK_SPEC entry fields).

        Matched phrases are each entry's name, aliases, case-sensitive aliases and handles.
        """
        return cls(_lexicon_phrases(lexicon, list(entries), types), list(exclude))

    def find(self, norm: Normalized) -> list[GazMatch]:
        if self._source is not None:
            self._build()
        phrase_hits, _, context_hits = self._index.scan(norm.folded)
        if not phrase_hits:
            return []
        context_by_sentence: dict[int, list[_Hit]] | None = None
        sentence_index = SentenceIndex(norm.original) if context_hits else None
        candidates: list[tuple[int, int, str, GazEntry]] = []
        for hit in phrase_hits:
            start, end = norm.to_original(hit.start, hit.end)
            for alias, entry in hit.record.aliases:
                if alias in entry.case_sensitive and not _same_case(norm.original[start:end], alias):
                    continue
                if alias in entry.needs_context:
                    if sentence_index is None:
                        continue  # no context word anywhere in the text
                    if context_by_sentence is None:
                        context_by_sentence = {}
                        for context in context_hits:
                            sentence = sentence_index.index(norm.offsets[context.start])
                            context_by_sentence.setdefault(sentence, []).append(context)
                    same_sentence = context_by_sentence.get(sentence_index.index(norm.offsets[hit.start]), [])
                    if not self._has_context(hit, entry, same_sentence):
                        continue
                candidates.append((start, end, alias, entry))
        kept = _longest_first((start, end) for start, end, _, _ in candidates)
        matches: list[GazMatch] = []
        reported: set[tuple[int, int, GazEntry]] = set()
        for start, end, alias, entry in candidates:
            # Two aliases of one entry can fold alike ("Rāwiri" / "Rawiri"): report the entry once.
            if (start, end) in kept and (start, end, entry) not in reported:
                reported.add((start, end, entry))
                matches.append(GazMatch(start, end, norm.original[start:end], entry, alias))
        matches.sort(key=lambda match: (match.start, match.end))
        return matches

    def _has_context(self, hit: _Hit, entry: GazEntry, same_sentence: list[_Hit]) -> bool:
        """Is one of the entry's context words among the sentence's context hits (not the hit itself)?"""
        wanted = self._context_keys.get(entry, frozenset())
        return any(
            context.key in wanted and not (context.start < hit.end and hit.start < context.end)
            for context in same_sentence
        )


class TermMatcher:
    """Finds plain `terms` (no lexicon entries) at word boundaries, longest match first."""

    def __init__(self, terms: Iterable[str], exclude: Iterable[str] = ()) -> None:
        self._index = _PhraseIndex()
        for term in terms:
            record = self._index.record(term)
            if record is not None:
                record.terms.append(term)
        for phrase in exclude:
            record = self._index.record(phrase)
            if record is not None:
                record.exclude = True
        self._index.build()

    def find(self, norm: Normalized) -> list[tuple[int, int, str]]:
        """(start, end, text) on the original text for every term found."""
        return [(start, end, text) for start, end, text, _ in self.find_terms(norm)]

    def find_terms(self, norm: Normalized) -> list[tuple[int, int, str, str]]:
        """Like `find`, with the term (as listed) that matched as a fourth element."""
        hits = [hit for hit in self._index.scan(norm.folded)[0] if hit.record.terms]
        kept = _longest_first((hit.start, hit.end) for hit in hits)
        found = []
        for hit in sorted(hits, key=lambda h: (h.start, h.end)):
            if (hit.start, hit.end) in kept:
                start, end = norm.to_original(hit.start, hit.end)
                found.append((start, end, norm.original[start:end], hit.record.terms[0]))
        return found


def _lexicon_phrases(
    lexicon: str, entries: Iterable[Mapping[str, Any] | Any], types: Collection[str] | None
) -> Iterator[tuple[str, GazEntry]]:
    for raw in entries:
        entry = gaz_entry(lexicon, raw)
        if types is not None and entry.type not in types:
            continue
        seen: set[str] = set()
        for phrase in entry_phrases(raw):
            if phrase not in seen:
                seen.add(phrase)
                yield phrase, entry


def _field(raw: Mapping[str, Any] | Any, name: str, default: Any) -> Any:
    value = raw.get(name, default) if isinstance(raw, Mapping) else getattr(raw, name, default)
    return default if value is None else value


def gaz_entry(lexicon: str, raw: Mapping[str, Any] | Any) -> GazEntry:
    """The GazEntry for one lexicon entry (a mapping or an object with PACK_SPEC entry fields)."""
    return GazEntry(
        lexicon=lexicon,
        name=_field(raw, "name", ""),
        type=_field(raw, "type", ""),
        attributes=dict(_field(raw, "attributes", {})),
        case_sensitive=frozenset(_field(raw, "case_sensitive", ())),
        needs_context=frozenset(_field(raw, "needs_context", ())),
        context=tuple(_field(raw, "context", ())),
    )


def entry_phrases(raw: Mapping[str, Any] | Any) -> list[str]:
    """The phrases that find an entry in text: name, aliases, case-sensitive aliases, handles."""
    phrases = [_field(raw, "name", "")]
    for key in ("aliases", "case_sensitive", "needs_context", "handles"):
        phrases.extend(_field(raw, key, ()))
    return [phrase for phrase in phrases if phrase]
