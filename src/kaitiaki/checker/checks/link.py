"""`link`: fires when a link (in the text or the item's `links`) points to a site of one of the
rule's classes: party, commercial, news, shortener, government, social or unknown. Domains come
from the lexicons' `domains`; *.govt.nz, *.mil.nz and *.parliament.nz are government anyway."""

from __future__ import annotations

from collections.abc import Sequence

from kaitiaki.checker.checks.base import Hit, ItemContext, Resources, View
from kaitiaki.checker.checks.entities import EntityIndex
from kaitiaki.checker.normalize import Span, extract
from kaitiaki.policy.schema import LinkRule


class LinkCheck:
    default_fields = ("text", "links")

    def __init__(self, rule: LinkRule, resources: Resources) -> None:
        self.index = EntityIndex.for_rule(resources, rule.lexicons)
        self.classes = frozenset(rule.classes)

    def run(self, ctx: ItemContext, views: Sequence[View]) -> list[Hit]:
        hits: list[Hit] = []
        classify = self.index.links.classify
        for view in views:
            if view.field == "text":
                spans = [(span.start, span.end, span.text) for span in ctx.extracted.links]
            elif view.field.startswith("links["):
                spans = [(0, len(view.original), view.original)]
            else:
                spans = [(span.start, span.end, span.text) for span in _links_in(ctx, view)]
            for start, end, url in spans:
                info = ctx.cached(("link", id(self.index), url), lambda url=url: classify(url))
                if info.klass in self.classes:
                    hits.append(Hit(view.field, start, end, url, 1.0, f"link:{info.klass}"))
        return hits


def _links_in(ctx: ItemContext, view: View) -> list[Span]:
    return ctx.cached(("extract", id(view)), lambda: extract(view.original).links)
