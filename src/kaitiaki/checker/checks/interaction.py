"""`interaction`: judges a follow, like, repost, share or link by who its target is.

* `party_political`: the target is a party or party-political account (by handle, web address,
  name or a bio that names a party). A business purpose never excuses this.
* `commercial`: the target is a company or brand.
* `news_political`: the target is a news outlet and the content interacted with is political.
* `unknown_without_purpose`: nobody the lexicons know, and no business purpose given.

A government body is never flagged by these targets: public-safety and related partners are what
an agency should amplify.
"""

from __future__ import annotations

from collections.abc import Sequence

from kaitiaki.checker.checks.base import Hit, ItemContext, Resources, View
from kaitiaki.checker.checks.entities import EntityIndex
from kaitiaki.policy.schema import InteractionRule

_UNKNOWN = frozenset({"unknown", "social", "shortener"})


class InteractionCheck:
    default_fields: tuple[str, ...] = ()

    def __init__(self, rule: InteractionRule, resources: Resources) -> None:
        self.index = EntityIndex.for_rule(resources, rule.lexicons)
        self.targets = frozenset(rule.targets)
        self.actions = frozenset(rule.actions) if rule.actions else None

    def run(self, ctx: ItemContext, views: Sequence[View]) -> list[Hit]:
        item = ctx.item
        if item.kind != "interaction" or (self.actions is not None and item.action not in self.actions):
            return []
        target = self.index.classify_target(ctx)
        klass = target.klass
        if klass == "party" and "party_political" in self.targets:
            return list(target.evidence)
        if klass == "commercial" and "commercial" in self.targets:
            return list(target.evidence)
        if klass == "news" and "news_political" in self.targets:
            political = [hit for view in ctx.views(["target.text"]) for hit in self.index.name_matches(ctx, view, "party")]
            return list(target.evidence) + political if political else []
        if klass in _UNKNOWN and "unknown_without_purpose" in self.targets:
            if (item.business_purpose or "").strip():
                return []
            return list(target.evidence) or _who(ctx)
        return []


def _who(ctx: ItemContext) -> list[Hit]:
    """Evidence naming the unknown target: its handle, else its name, else its address."""
    for view in ctx.views(["target.handle", "target.name", "target.url"]):
        return [Hit(view.field, 0, len(view.original), view.original, 1.0, "interaction:unknown")]
    return [Hit("target", 0, 0, "", 1.0, "interaction:unknown")]
