"""`existence`: fires when anything the rule's matcher keys describe is found."""

from __future__ import annotations

from collections.abc import Sequence

from kaitiaki.checker.checks.base import DEFAULT_FIELDS, Hit, ItemContext, Resources, View
from kaitiaki.checker.checks.matching import CompiledMatcher
from kaitiaki.policy.schema import ExistenceRule, Matcher


class ExistenceCheck:
    default_fields = DEFAULT_FIELDS

    def __init__(self, rule: ExistenceRule, resources: Resources) -> None:
        spec = Matcher(terms=rule.terms, patterns=rule.patterns, gazetteer=rule.gazetteer, types=rule.types)
        self.matcher = CompiledMatcher(spec, resources)

    def run(self, ctx: ItemContext, views: Sequence[View]) -> list[Hit]:
        hits: list[Hit] = []
        for view in views:
            hits.extend(self.matcher.find(ctx, view))
        return hits
