"""The fixed menu of check types. Each module compiles one kind of rule into an object whose
`run(ctx, views)` returns the evidence it found; the engine does the rest (when, unless, models,
findings). docs/pack-authoring.md documents every entry of `CHECKS`."""

from __future__ import annotations

from kaitiaki.checker.checks.base import CheckConfigError, Compiler, Hit, ItemContext, Resources, View
from kaitiaki.checker.checks.classifier import ClassifierCheck
from kaitiaki.checker.checks.conditional import ConditionalCheck
from kaitiaki.checker.checks.existence import ExistenceCheck
from kaitiaki.checker.checks.gazetteer import GazetteerCheck
from kaitiaki.checker.checks.interaction import InteractionCheck
from kaitiaki.checker.checks.link import LinkCheck
from kaitiaki.checker.checks.meaning import MeaningCheck
from kaitiaki.checker.checks.pattern import PatternCheck
from kaitiaki.checker.checks.personal_information import PersonalInformationCheck

CHECKS: dict[str, Compiler] = {
    "existence": ExistenceCheck,
    "gazetteer": GazetteerCheck,
    "conditional": ConditionalCheck,
    "pattern": PatternCheck,
    "personal_information": PersonalInformationCheck,
    "link": LinkCheck,
    "interaction": InteractionCheck,
    "classifier": ClassifierCheck,
    "meaning": MeaningCheck,
}

__all__ = ["CHECKS", "CheckConfigError", "Hit", "ItemContext", "Resources", "View"]
