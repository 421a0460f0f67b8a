"""`gazetteer`: fires when an entry of a lexicon is named (the lexicon's exclude phrases,
case-sensitive and needs-context aliases applied), optionally only entries of some types."""

from __future__ import annotations

from collections.abc import Sequence

from kaitiaki.checker.checks.base import DEFAULT_FIELDS, Hit, ItemContext, Resources, View
from kaitiaki.checker.checks.matching import CompiledMatcher
from kaitiaki.policy.schema import GazetteerRule, Matcher


class GazetteerCheck:
    default_fields = DEFAULT_FIELDS

    def __init__(self, rule: GazetteerRule, resources: Resources) -> None:
        self.matcher = CompiledMatcher(Matcher(gazetteer=rule.gazetteer, types=rule.types), resources)

    def run(self, ctx: ItemContext, views: Sequence[View]) -> list[Hit]:
        hits: list[Hit] = []
        for view in views:
            hits.extend(self.matcher.find(ctx, view))
        return hits
