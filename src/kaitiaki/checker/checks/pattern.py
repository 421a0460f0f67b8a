"""`pattern`: fires when a validated identifier (IRD, NHI, bank account, phone, email, street
address, payment card, driver licence, passport) is found. A number whose checksum fails is found at
low confidence, so it only counts when the rule lowers `min_confidence` below 0.5."""

from __future__ import annotations

from collections.abc import Sequence

from kaitiaki.checker.checks.base import Hit, ItemContext, Resources, View
from kaitiaki.checker.detectors.identifiers import IdentifierMatch, find_identifiers, load_validators
from kaitiaki.policy.schema import PatternRule


def identifiers_in(ctx: ItemContext, view: View) -> list[IdentifierMatch]:
    """Every identifier in a field, found once per item whatever rules ask for it."""
    return ctx.cached(("identifiers", id(view)), lambda: find_identifiers(view.original))


class PatternCheck:
    default_fields = ("text",)

    def __init__(self, rule: PatternRule, resources: Resources) -> None:
        self.entities = frozenset(rule.entities)
        self.min_confidence = rule.min_confidence
        load_validators()

    def run(self, ctx: ItemContext, views: Sequence[View]) -> list[Hit]:
        hits: list[Hit] = []
        for view in views:
            for match in identifiers_in(ctx, view):
                if match.entity in self.entities and match.confidence >= self.min_confidence:
                    hits.append(view.hit(match.start, match.end, match.confidence, f"pattern:{match.entity}"))
        return hits
