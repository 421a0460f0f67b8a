"""`classifier`: a trained model decides. Fires only when the model's score reaches the rule's
threshold (by default the model's own validated threshold); the score is the finding's
confidence and the words that pushed it up most are the evidence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kaitiaki.checker.checks.base import CheckConfigError, Hit, ItemContext, Resources, View
from kaitiaki.policy.schema import ClassifierRule

if TYPE_CHECKING:
    from kaitiaki.checker.models import TextModel


def shipped_model(name: str, loc: Sequence[str | int]) -> TextModel:
    # The models (and numpy) are imported when a pack that uses one is compiled, not when a
    # serving worker imports the checker (docs/performance.md).
    from kaitiaki.checker.models import available_models, load_model

    if name not in available_models():
        shipped = ", ".join(available_models()) or "none"
        raise CheckConfigError(loc, f"model {name!r} is not shipped (shipped models: {shipped})")
    return load_model(name)


class ClassifierCheck:
    default_fields = ("text",)

    def __init__(self, rule: ClassifierRule, resources: Resources) -> None:
        self.model = shipped_model(rule.model, ("model",))
        self.threshold = rule.threshold if rule.threshold is not None else self.model.threshold
        self.detector = f"model:{self.model.name}"

    def run(self, ctx: ItemContext, views: Sequence[View]) -> list[Hit]:
        hits: list[Hit] = []
        model = self.model
        for view in views:
            score = ctx.cached(("score", model.name, id(view)), lambda view=view: model.score(view.original))
            if score < self.threshold:
                continue
            spans = model.explain(view.original, k=3) or [(0, len(view.original), score)]
            hits.extend(view.hit(start, end, score, self.detector) for start, end, _ in spans)
        return hits
