"""Who a handle, name or web address belongs to: a party, a business, a news outlet, a government
body or a link shortener, according to the lexicons of each class. Shared by `link` and
`interaction` rules; built once per pack for each distinct class-to-lexicon mapping."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kaitiaki.checker.checks.base import Hit, ItemContext, Resources, View
from kaitiaki.checker.checks.matching import gazetteer_matches, lexicon_gazetteer
from kaitiaki.checker.detectors.gazetteer import Gazetteer
from kaitiaki.checker.detectors.links import LinkClassifier
from kaitiaki.policy.schema import DEFAULT_CLASS_LEXICONS

#: When a name matches lexicons of several classes, the first class listed here wins.
CLASS_ORDER = ("government", "party", "news", "commercial", "shortener")


def class_lexicons(resources: Resources, explicit: Mapping[str, list[str]] | None) -> dict[str, tuple[str, ...]]:
    """The rule's own mapping, or the default one restricted to lexicons this pack has."""
    if explicit:
        return {klass: tuple(names) for klass, names in explicit.items()}
    return {
        klass: tuple(name for name in names if name in resources.lexicons)
        for klass, names in DEFAULT_CLASS_LEXICONS.items()
    }


@dataclass(frozen=True)
class TargetClass:
    klass: str  # party | commercial | news | government | shortener | social | unknown
    entity: str | None
    evidence: tuple[Hit, ...]


class EntityIndex:
    def __init__(self, resources: Resources, mapping: Mapping[str, tuple[str, ...]]) -> None:
        self.mapping = dict(mapping)
        self.handles: dict[str, tuple[str, str, str]] = {}  # handle -> (class, entity, lexicon)
        domains: dict[str, tuple[str, str]] = {}
        self.gazetteers: dict[str, list[tuple[str, Gazetteer]]] = {}
        for klass in CLASS_ORDER:
            for name in self.mapping.get(klass, ()):
                lexicon = resources.lexicons[name]
                self.gazetteers.setdefault(klass, []).append((name, lexicon_gazetteer(resources, name)))
                for entry in lexicon.entries:
                    for handle in entry.handles:
                        self.handles.setdefault(handle.casefold(), (klass, entry.name, name))
                    for domain in entry.domains:
                        domains.setdefault(domain, (klass, entry.name))
        self.links = LinkClassifier(domains)

    @classmethod
    def for_rule(cls, resources: Resources, explicit: Mapping[str, list[str]] | None) -> EntityIndex:
        mapping = class_lexicons(resources, explicit)
        key = ("entities", tuple(sorted(mapping.items())))
        return resources.shared(key, lambda: cls(resources, mapping))

    def name_matches(self, ctx: ItemContext, view: View, klass: str) -> list[Hit]:
        hits: list[Hit] = []
        for lexicon, gazetteer in self.gazetteers.get(klass, ()):
            for match in gazetteer_matches(ctx, view, gazetteer):
                hits.append(view.hit(match.start, match.end, 1.0, f"gazetteer:{lexicon}"))
        return hits

    def classify_target(self, ctx: ItemContext) -> TargetClass:
        return ctx.cached(("target-class", id(self)), lambda: self._classify(ctx))

    def _classify(self, ctx: ItemContext) -> TargetClass:
        target = ctx.item.target
        if target is None:
            return TargetClass("unknown", None, ())
        if target.handle:
            handle = target.handle.strip()
            key = (handle if handle.startswith("@") else "@" + handle).casefold()
            found = self.handles.get(key)
            if found:
                klass, entity, lexicon = found
                return TargetClass(klass, entity, (Hit("target.handle", 0, len(target.handle), target.handle,
                                                       1.0, f"handle:{lexicon}"),))
        if target.url:
            info = self.links.classify(target.url)
            if info.klass not in ("unknown", "social"):
                hit = Hit("target.url", 0, len(target.url), target.url, 1.0, f"link:{info.klass}")
                return TargetClass(info.klass, info.entity, (hit,))
        for field in ("target.name", "target.handle"):
            for view in ctx.views([field]):
                for klass in CLASS_ORDER:
                    hits = self.name_matches(ctx, view, klass)
                    if hits:
                        return TargetClass(klass, hits[0].text, tuple(hits))
        for view in ctx.views(["target.bio"]):
            hits = self.name_matches(ctx, view, "party")
            if hits:  # an account that describes itself by a party (an MP, a candidate, a branch)
                return TargetClass("party", hits[0].text, tuple(hits))
        return TargetClass("unknown", None, ())
