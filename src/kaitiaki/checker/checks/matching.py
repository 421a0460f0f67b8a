"""The compiled form of a matcher spec ({terms, patterns, gazetteer, types}), shared by the
`existence`, `gazetteer` and `conditional` checks and by every rule's `unless`."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from kaitiaki.checker.checks.base import Hit, ItemContext, Resources, View
from kaitiaki.checker.detectors.gazetteer import Gazetteer, GazMatch, TermMatcher
from kaitiaki.checker.detectors.pattern_set import LiteralIndex, PatternSet
from kaitiaki.policy.schema import Matcher


def lexicon_gazetteer(resources: Resources, name: str) -> Gazetteer:
    """One automaton per lexicon, whatever types rules ask for (types are filtered after)."""
    lexicon = resources.lexicons[name]
    return resources.shared(
        ("gazetteer", name), lambda: Gazetteer.from_lexicon(name, lexicon.entries, lexicon.exclude)
    )


def gazetteer_matches(ctx: ItemContext, view: View, gazetteer: Gazetteer) -> list[GazMatch]:
    return ctx.cached(("gaz", id(gazetteer), id(view)), lambda: gazetteer.find(view.norm))


class CompiledMatcher:
    def __init__(self, spec: Matcher, resources: Resources) -> None:
        self.terms = TermMatcher(spec.terms) if spec.terms else None
        # applied to the folded text (lower-case, macrons and look-alikes folded); one combined
        # scan instead of one per pattern, unless a pattern refers back to its own groups
        self.literal_index: LiteralIndex = resources.shared(("literal-index",), LiteralIndex)
        self.patterns = _compile_patterns(spec.patterns, self.literal_index)
        self.lexicon = spec.gazetteer
        self.gazetteer = lexicon_gazetteer(resources, spec.gazetteer) if spec.gazetteer else None
        self.types: Collection[str] | None = frozenset(spec.types) if spec.types else None

    def find(self, ctx: ItemContext, view: View) -> list[Hit]:
        hits: list[Hit] = []
        if self.gazetteer is not None:
            detector = f"gazetteer:{self.lexicon}"
            for match in gazetteer_matches(ctx, view, self.gazetteer):
                if self.types is None or match.entry.type in self.types:
                    hits.append(view.hit(match.start, match.end, 1.0, detector))
        if self.terms is not None:
            terms = self.terms
            for start, end, _ in ctx.cached(("terms", id(terms), id(view)), lambda: terms.find(view.norm)):
                hits.append(view.hit(start, end, 1.0, "terms"))
        if not self.patterns:
            return hits
        folded = view.norm.folded
        index = self.literal_index
        present = ctx.cached(("literals", id(index), id(view)), lambda: index.present(folded))
        for pattern in self.patterns:
            for match in pattern.finditer(folded, present):
                if match.end() > match.start():
                    start, end = view.norm.to_original(match.start(), match.end())
                    hits.append(view.hit(start, end, 1.0, "regex"))
        return hits

    def any_in(self, ctx: ItemContext, views: Sequence[View]) -> bool:
        return any(self.find(ctx, view) for view in views)


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


def _compile_patterns(patterns: Sequence[str], literal_index: LiteralIndex) -> list[PatternSet]:
    if len(patterns) > 1 and not any(_BACKREFERENCE.search(pattern) for pattern in patterns):
        return [PatternSet(patterns, literal_index)]
    return [PatternSet([pattern], literal_index) for pattern in patterns]
