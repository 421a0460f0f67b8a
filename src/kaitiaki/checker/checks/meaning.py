"""`meaning`: the meaning model judges the rule's category (docs/checker.md).

It runs after every other rule of the item, because what they found is part of what it reads
(`evidence_of`). It fires when its head's score reaches the threshold; the evidence is the words
that weighed most towards the score, so a person sees why. `combine` is the decision table that
joins its verdicts with the rules' findings.

The meaning model and the word models (and numpy with them) are imported by the functions that use
them: a pack without meaning rules never needs them, and a serving worker imports the checker
before it loads its pack (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kaitiaki.checker.checks.base import CheckConfigError, Hit, ItemContext, Resources, View
from kaitiaki.checker.checks.entities import EntityIndex
from kaitiaki.checker.items import SEVERITY_RANK, Finding
from kaitiaki.policy.schema import MeaningRule

if TYPE_CHECKING:
    from kaitiaki.checker.meaning.features import Evidence, Inputs
    from kaitiaki.checker.meaning.model import MeaningModel

#: The per-item cache key under which the engine leaves the other rules' evidence.
EVIDENCE_KEY = ("meaning", "evidence")
SCORES_KEY = ("meaning", "scores")
#: how a second look's detector ends (`MeaningRule.second_look`)
SECOND_LOOK = " second look"
TOP_WORDS = 3


def evidence_of(findings: Iterable[Finding], ctx: ItemContext) -> Evidence:
    """What the deterministic rules found, as the meaning model reads it."""
    from kaitiaki.checker.meaning.features import WORD_MODELS, Evidence
    from kaitiaki.checker.models import available_models, load_model

    flagged: set[str] = set()
    blocked: set[str] = set()
    for finding in findings:
        if finding.severity in ("warn", "block"):
            flagged.add(finding.category)
        if finding.severity == "block":
            blocked.add(finding.category)
    text = ctx.item.text or ""
    # available_models looks at the weight files: not for every item when no word model is read
    shipped = available_models() if WORD_MODELS and text else []
    scores = {name: ctx.cached(("score", name, "item"), lambda name=name: load_model(name).score(text))
              for name in WORD_MODELS if name in shipped and text}
    return Evidence(frozenset(flagged), frozenset(blocked), scores)


def meaning_inputs(ctx: ItemContext, model: MeaningModel) -> Inputs:
    """The item's features for the model, built once per item (the rules' evidence must be in
    its cache first)."""
    from kaitiaki.checker.meaning.features import Evidence, inputs_for

    def build() -> Inputs:
        evidence = ctx.cached(EVIDENCE_KEY, Evidence)
        text_views = ctx.views(["text"])
        normalized = text_views[0].norm.folded if text_views else ""
        return inputs_for(ctx.item, evidence, model.static, normalized)

    return ctx.cached(("meaning", "inputs"), build)


def score_together(model: MeaningModel, contexts: Sequence[ItemContext]) -> None:
    """Score many items' heads with one product (the batch check); each item's meaning rules
    then read their scores from its cache, the same scores as when scored alone."""
    batch = model.scores_many([meaning_inputs(ctx, model) for ctx in contexts])
    for ctx, scores in zip(contexts, batch, strict=True):
        ctx.cached(SCORES_KEY, lambda scores=scores: scores)


class MeaningCheck:
    default_fields = ("text",)

    def __init__(self, rule: MeaningRule, resources: Resources) -> None:
        from kaitiaki.checker.meaning.model import CONCERN_HEADS, load_meaning_model, meaning_model_available

        if not meaning_model_available():
            raise CheckConfigError(("check",), "the meaning model is not shipped: build it with "
                                   "`python -m kaitiaki.check_service.meaning_build`")
        self.model = load_meaning_model()
        self.head = rule.category if rule.head == "flag" else f"{rule.category}:block"
        if self.head not in self.model.head_index:
            heads = ", ".join(self.model.heads)
            raise CheckConfigError(("head",), f"the meaning model has no head {self.head!r} (heads: {heads})")
        self.threshold = rule.threshold if rule.threshold is not None else self.model.threshold(self.head)
        self.second_look = rule.second_look
        self.concern_heads = CONCERN_HEADS if rule.concern else {}
        # "at the blocking end" of a category presumes the category: a block head's verdict stands
        # only where the category's flag head finds it too (alone, it blocked polite replies that
        # merely sounded like the category)
        self.flag_head = rule.category if rule.head == "block" and rule.category in self.model.head_index else None
        # An interaction with a government body is never party-political: the registry's public
        # bodies are what an agency amplifies (the policy's own okay examples, as the interaction
        # rules hold). The model, reading only words, took "promote regeneration content" on a
        # Crown company's page for campaigning; where the registry knows the target, it decides.
        # (The same shared index as the interaction rules', so the target is classified once.)
        self.entities = EntityIndex.for_rule(resources, None) \
            if rule.category == "political_neutrality" and "interaction" in rule.applies_to else None

    def scores(self, ctx: ItemContext) -> dict[str, float]:
        return ctx.cached(SCORES_KEY, lambda: self.model.scores(meaning_inputs(ctx, self.model)))

    def run(self, ctx: ItemContext, views: Sequence[View]) -> list[Hit]:
        scores = self.scores(ctx)
        score = scores[self.head]
        severity = None
        explained_by = self.head
        kind = ctx.item.kind
        if score < self.threshold:
            if self.second_look and score >= self.model.kind_threshold(self.head, kind):
                severity = "warn"  # a second look: it warns at most until the rule's own threshold
            elif kind in self.concern_heads and self.model.likeliest_concern(scores, kind) == self.head:
                explained_by = self.concern_heads[kind]  # no category is sure, but the item reads as a problem
                severity = "warn"
            else:
                return []
        if self.flag_head is not None and scores[self.flag_head] < self.model.threshold(self.flag_head):
            return []
        if self.entities is not None and ctx.item.kind == "interaction" \
                and self.entities.classify_target(ctx).klass == "government":
            return []
        words = self.model.word_weights_for(meaning_inputs(ctx, self.model), explained_by)
        top = ", ".join(w.word for w in words[:TOP_WORDS])
        detector = f"model:meaning/{self.head}={score:.2f}"
        if explained_by != self.head:
            detector += f", {explained_by}={scores[explained_by]:.2f}"
        detector += f" (words: {top})" if top else ""
        if severity is not None:
            detector += SECOND_LOOK
        hits: list[Hit] = []
        for view in views:
            spans = sorted(span for weighed in words[:TOP_WORDS]
                           if (span := self.model.locate(view.norm, weighed.word)) is not None)
            for start, end in _joined(spans, view.original):
                hits.append(view.hit(start, end, score, detector))
        if not hits:  # nothing in the text weighed (an interaction): point at what was acted on
            target = [view for view in ctx.views(["target.text", "target.handle", "target.name"])]
            where = target[0] if target else None
            hits.append(Hit(where.field if where else "text", 0, len(where.original) if where else 0,
                            where.original if where else "", score, detector))
        for hit in hits:
            hit.severity = severity
        return hits


def _joined(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Neighbouring words (only spaces between) as one span: "Vote National", not two marks."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and (joined[-1][1] >= start or not text[joined[-1][1]:start].strip()):
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


def combine(findings: Sequence[Finding], meaning_findings: Sequence[Finding], judged: set[str],
            evidence_rules: set[str], judged_block: set[str] = frozenset()) -> list[Finding]:  # type: ignore[assignment]
    """The decision table (docs/checker.md):

    1. A finding of a `decides` rule stands as it is.
    2. A finding of an `evidence` rule stands if the model flags its category too (warns or
       blocks); if the model judged the category and did not flag it, the finding is kept as
       `advise` (shown, not deciding). A blocking `evidence` finding whose category the model's
       block head judged (`judged_block`) and did not block is lowered to `warn`, as is one the
       model flags only on a second look (below its rule's own threshold). Where no meaning rule
       judges its category for this item, it stands.
    3. The model's finding for a category is added beside the rules' (both are shown, each citing
       its clause); of its flag and block findings for one category only the more severe is kept.
       Its advice (a comment worth a look) backs no rule's finding and is left out where a rule
       already flags the category.
    """
    agreed = {finding.category for finding in meaning_findings if finding.severity != "advise"}
    agreed_block = {finding.category for finding in meaning_findings if finding.severity == "block"}
    second_looks = {finding.category for finding in meaning_findings if finding.detector.endswith(SECOND_LOOK)}
    out: list[Finding] = []
    for finding in findings:
        if finding.rule in evidence_rules and finding.severity != "advise":
            if finding.category in judged and finding.category not in agreed:
                finding = finding.model_copy(update={
                    "severity": "advise", "detector": f"{finding.detector}+model:meaning disagrees"})
            elif finding.severity == "block" and finding.category not in agreed_block \
                    and (finding.category in judged_block or finding.category in second_looks):
                finding = finding.model_copy(update={
                    "severity": "warn", "detector": f"{finding.detector}+model:meaning warns, not blocks"})
        out.append(finding)
    flagged_by_rules = {finding.category for finding in out if finding.severity != "advise"}
    seen: set[str] = set()
    for finding in sorted(meaning_findings, key=lambda f: SEVERITY_RANK[f.severity]):
        if finding.category in seen:
            continue
        seen.add(finding.category)
        if finding.severity == "advise" and finding.category in flagged_by_rules:
            continue
        out.append(finding)
    return out
