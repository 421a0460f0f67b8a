"""What every check type shares: the per-item context (fields, cached normalisation and matches),
the `Hit` a check reports, and the error a check raises when a rule cannot be compiled.

An item is read through *views*: one per field string a rule may look at. A hashtag gets a view of
its words ("#VoteNational" -> "Vote National") so phrase matchers see words; a match in it is
reported as the whole hashtag.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from kaitiaki.checker.items import Item
from kaitiaki.checker.normalize import (
    Normalized,
    extract,
    fold_keep_case,
    fold_term,
    normalize,
    sentences,
    split_hashtag,
)

#: Fields a rule looks at when it names none.
DEFAULT_FIELDS: tuple[str, ...] = ("text", "hashtags", "mentions")


class CheckConfigError(Exception):
    """A rule that validates but cannot be compiled (e.g. it names a model that is not shipped).
    `loc` is relative to the rule, for a file:line error."""

    def __init__(self, loc: Sequence[str | int], message: str) -> None:
        super().__init__(message)
        self.loc = tuple(loc)
        self.message = message


@dataclass(slots=True)
class Hit:
    """One piece of evidence: a span of the original string of `field`."""

    field: str
    start: int
    end: int
    text: str
    confidence: float = 1.0
    detector: str = ""
    # a check may find less than its rule's severity (a meaning rule's second look only warns)
    severity: str | None = None


@dataclass(slots=True)
class View:
    field: str
    norm: Normalized
    # for a hashtag: (start, end, text) of the whole hashtag, reported for any match inside it
    whole: tuple[int, int, str] | None = None

    def hit(self, start: int, end: int, confidence: float, detector: str) -> Hit:
        if self.whole is not None:
            whole_start, whole_end, whole_text = self.whole
            return Hit(self.field, whole_start, whole_end, whole_text, confidence, detector)
        return Hit(self.field, start, end, self.norm.original[start:end], confidence, detector)

    @property
    def original(self) -> str:
        return self.norm.original


class CompiledCheck(Protocol):
    #: fields looked at when the rule names none
    default_fields: tuple[str, ...]

    def run(self, ctx: ItemContext, views: Sequence[View]) -> list[Hit]: ...


Compiler = Callable[[Any, "Resources"], CompiledCheck]


class ItemContext:
    """One item being checked: its views, built on first use, and caches shared by all rules."""

    __slots__ = ("item", "_views", "_cache", "_extracted", "_vocabulary")

    def __init__(self, item: Item, vocabulary: frozenset[str] = frozenset()) -> None:
        self.item = item
        self._views: dict[str, list[View]] | None = None
        self._cache: dict[Any, Any] = {}
        self._extracted = None
        self._vocabulary = vocabulary

    @property
    def extracted(self):  # noqa: ANN201 - kaitiaki.checker.normalize.Extracted
        if self._extracted is None:
            self._extracted = extract(self.item.text)
        return self._extracted

    def views(self, fields: Sequence[str]) -> list[View]:
        """The views of the named field groups, each built (normalised) on first use."""
        if self._views is None:
            self._views = {}
        key = ("views", tuple(fields))
        known = self._cache.get(key)
        if known is not None:
            return known
        found: list[View] = []
        for name in fields:
            group = self._views.get(name)
            if group is None:
                group = self._views[name] = self._build_group(name)
            found.extend(group)
        self._cache[key] = found
        return found

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        """A per-item memo, so two rules using one matcher on one field match once."""
        try:
            return self._cache[key]
        except KeyError:
            value = self._cache[key] = compute()
            return value

    def sentence_of(self, view: View) -> Callable[[int], int]:
        """A function from an original offset in `view` to its sentence number."""
        spans = self.cached(("sentences", id(view)), lambda: sentences(view.original))
        starts = [start for start, _ in spans]

        def index(position: int) -> int:
            return max(0, bisect_right(starts, position) - 1)

        return index

    def _build_group(self, group: str) -> list[View]:
        item = self.item
        if group == "text":
            return [View("text", normalize(item.text))] if item.text else []
        if group == "hashtags":
            return self._hashtag_views()
        if group in ("mentions", "links"):
            return [View(f"{group}[{index}]", normalize(value))
                    for index, value in enumerate(getattr(item, group)) if value]
        if group == "business_purpose":
            value = item.business_purpose
        elif group.startswith("target.") and item.target is not None:
            value = getattr(item.target, group.removeprefix("target."), None)
        else:
            value = None
        return [View(group, normalize(value))] if value else []

    def _hashtag_views(self) -> list[View]:
        views: list[View] = []
        seen: set[str] = set()
        for index, tag in enumerate(self.item.hashtags):
            key = tag.lstrip("#").casefold()
            if key and key not in seen:
                seen.add(key)
                views.append(View(f"hashtags[{index}]", normalize(self._words(tag)), (0, len(tag), tag)))
        for span in self.extracted.hashtags:
            key = span.text.lstrip("#＃").casefold()
            if key not in seen:
                seen.add(key)
                views.append(View("text", normalize(self._words(span.text)), (span.start, span.end, span.text)))
        return views

    def _words(self, tag: str) -> str:
        """The words of a hashtag, keeping their capitals (case-sensitive aliases need them)."""
        body = fold_keep_case(tag.lstrip("#＃"))
        lower = body.casefold()
        words: list[str] = []
        position = 0
        for word in split_hashtag(tag, self._vocabulary or None):
            found = lower.find(word, position)
            if found < 0 or len(lower) != len(body):
                words.append(word)
                continue
            words.append(body[found:found + len(word)])
            position = found + len(word)
        return " ".join(words)


@dataclass
class Resources:
    """Everything built once per pack and shared by its compiled rules."""

    lexicons: dict[str, Any]
    _built: dict[Any, Any] = field(default_factory=dict)

    def shared(self, key: Any, build: Callable[[], Any]) -> Any:
        if key not in self._built:
            self._built[key] = build()
        return self._built[key]


_WORD = re.compile(r"[^\W\d_]+")


def vocabulary_of(phrases: Sequence[str]) -> frozenset[str]:
    """Folded words of the given phrases: what an all-lower-case hashtag may be split into."""
    words: set[str] = set()
    for phrase in phrases:
        words.update(word for word in _WORD.findall(fold_term(phrase)) if len(word) > 1)
    return frozenset(words)
