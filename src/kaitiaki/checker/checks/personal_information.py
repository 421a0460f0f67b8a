"""`personal_information`: fires when a person's name appears next to their contact details, an
identifier, an address or health details. A name on its own ("Kia ora Tom") is not a breach."""

from __future__ import annotations

from collections.abc import Sequence

from kaitiaki.checker.checks.base import Hit, ItemContext, Resources, View
from kaitiaki.checker.checks.pattern import identifiers_in
from kaitiaki.checker.detectors.gazetteer import TermMatcher
from kaitiaki.checker.detectors.personal import find_personal_information
from kaitiaki.policy.schema import PersonalInformationRule


class PersonalInformationCheck:
    default_fields = ("text",)

    def __init__(self, rule: PersonalInformationRule, resources: Resources) -> None:
        self.kinds = frozenset(rule.with_)
        self.health: TermMatcher | None = None
        if "health" in self.kinds and rule.health_lexicon:
            name = rule.health_lexicon
            lexicon = resources.lexicons[name]
            self.health = resources.shared(
                ("health-terms", name),
                lambda: TermMatcher(
                    [phrase for entry in lexicon.entries for phrase in entry.phrases()], lexicon.exclude
                ),
            )

    def run(self, ctx: ItemContext, views: Sequence[View]) -> list[Hit]:
        hits: list[Hit] = []
        health = self.health
        for view in views:
            found = ctx.cached(
                ("personal", id(view), id(health)),
                lambda view=view: find_personal_information(view.original, identifiers_in(ctx, view), health),
            )
            for match in found:
                if match.kind not in self.kinds:
                    continue
                detector = f"personal:{match.kind}"
                hits.append(view.hit(match.name.start, match.name.end, match.confidence, detector))
                hits.append(view.hit(match.detail.start, match.detail.end, match.confidence, detector))
        return hits
