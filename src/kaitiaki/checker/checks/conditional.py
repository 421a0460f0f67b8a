"""`conditional`: fires when `first` and `second` both match within one sentence (or anywhere in
the same field with `scope: text`). Both matches are evidence."""

from __future__ import annotations

from collections.abc import Sequence

from kaitiaki.checker.checks.base import DEFAULT_FIELDS, Hit, ItemContext, Resources, View
from kaitiaki.checker.checks.matching import CompiledMatcher
from kaitiaki.policy.schema import ConditionalRule


class ConditionalCheck:
    default_fields = DEFAULT_FIELDS

    def __init__(self, rule: ConditionalRule, resources: Resources) -> None:
        self.first = CompiledMatcher(rule.first, resources)
        self.second = CompiledMatcher(rule.second, resources)
        self.by_sentence = rule.scope == "sentence"

    def run(self, ctx: ItemContext, views: Sequence[View]) -> list[Hit]:
        hits: list[Hit] = []
        for view in views:
            firsts = self.first.find(ctx, view)
            if not firsts:
                continue
            seconds = self.second.find(ctx, view)
            if not seconds:
                continue
            if not self.by_sentence or view.whole is not None:
                hits.extend(firsts + seconds)  # a hashtag is one sentence
                continue
            sentence = ctx.sentence_of(view)
            first_sentences = {sentence(hit.start) for hit in firsts}
            second_sentences = {sentence(hit.start) for hit in seconds}
            shared = first_sentences & second_sentences
            hits.extend(hit for hit in firsts + seconds if sentence(hit.start) in shared)
        return hits
