"""`personal_information`: fires when a person's name appears next to their contact details, an
identifier, an address or health details. A name on its own ("Kia ora Tom") is not a breach."""

from __future__ import annotations

from collections.abc import Sequence

from kaitiaki.checker.checks.base import Hit, ItemContext, Resources, View
from kaitiaki.checker.checks.pattern import identifiers_in
from kaitiaki.checker.detectors.gazetteer import TermMatcher
from kaitiaki.checker.detectors.identifiers import load_validators
from kaitiaki.checker.detectors.personal import DEFAULT_HEALTH_TERMS, find_personal_information
from kaitiaki.policy.schema import PersonalInformationRule


class PersonalInformationCheck:
    default_fields = ("text",)

    def __init__(self, rule: PersonalInformationRule, resources: Resources) -> None:
        self.kinds = frozenset(rule.with_)
        load_validators()
        self.health: TermMatcher | None = None
        if "health" in self.kinds:
            name = rule.health_lexicon
            if name:
                lexicon = resources.lexicons[name]
                phrases = [phrase for entry in lexicon.entries for phrase in entry.phrases()]
                exclude = lexicon.exclude
            else:
                phrases, exclude = list(DEFAULT_HEALTH_TERMS), []
            self.health = resources.shared(("health-terms", name), lambda: TermMatcher(phrases, exclude))

    def run(self, ctx: ItemContext, views: Sequence[View]) -> list[Hit]:
        hits: list[Hit] = []
        health = self.health
        for view in views:
            # a name is only personal information next to a detail: look for names only then
            identifiers = identifiers_in(ctx, view)
            if not identifiers and (health is None or not self._health_words(ctx, view)):
                continue
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

    def _health_words(self, ctx: ItemContext, view: View) -> bool:
        health = self.health
        assert health is not None
        return bool(ctx.cached(("terms", id(health), id(view)), lambda: health.find(view.norm)))
