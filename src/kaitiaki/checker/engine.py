"""Runs a pack over an item: normalise -> deterministic checks -> model confidence -> decide.

`compile_pack` turns a validated `Pack` into a `CompiledPack` once (automata, regexes, models);
`check` then does work linear in the item's text. A rule's `model:` only moves the confidence of
evidence the deterministic check found (its score is shown in the detector); only a rule whose
check is `classifier` lets a model decide, and only at or above its threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from kaitiaki.checker.checks import CHECKS, CheckConfigError, Hit, ItemContext, Resources
from kaitiaki.checker.checks.base import vocabulary_of
from kaitiaki.checker.checks.classifier import shipped_model
from kaitiaki.checker.checks.meaning import EVIDENCE_KEY, combine, evidence_of, score_together
from kaitiaki.checker.checks.matching import CompiledMatcher
from kaitiaki.checker.items import MAX_TEXT_CHARS, SEVERITY_RANK, Evidence, Finding, Item, Kind, Result, decide
from kaitiaki.checker.periods import periods_in_force, tightened
from kaitiaki.errors import BadInput, FieldError
from kaitiaki.policy.loader import Pack, PackLintError
from kaitiaki.policy.schema import Rule
from kaitiaki.policy.yamlfile import Problem, read_yaml

if TYPE_CHECKING:
    from kaitiaki.checker.models import TextModel

KINDS: tuple[str, ...] = tuple(kind.value for kind in Kind)


# -- items ------------------------------------------------------------------------------------


def coerce_item(raw: Item | Mapping[str, Any]) -> Item:
    """An `Item` from a mapping, with the errors a person can act on."""
    if isinstance(raw, Item):
        return raw
    if not isinstance(raw, Mapping):
        raise BadInput("an item is a JSON object with a kind and a text, e.g. {\"kind\": \"post\", \"text\": \"...\"}")
    kind = raw.get("kind")
    if kind in (None, ""):
        raise BadInput(f"missing kind: give one of {', '.join(KINDS)}",
                       fields=[FieldError(["kind"], "missing", "missing")])
    if kind not in KINDS:
        raise BadInput(f"unknown kind {kind!r}: give one of {', '.join(KINDS)}",
                       fields=[FieldError(["kind"], "unknown kind", "enum")])
    text = raw.get("text")
    if isinstance(text, str) and len(text) > MAX_TEXT_CHARS:
        raise BadInput(f"the text is {len(text):,} characters, over the {MAX_TEXT_CHARS:,}-character limit",
                       fields=[FieldError(["text"], "too long", "string_too_long")])
    try:
        return Item.model_validate(raw)
    except ValidationError as exc:
        fields = [FieldError(list(error["loc"]), error["msg"], error["type"]) for error in exc.errors()]
        described = "; ".join(f"{'.'.join(map(str, f.loc))}: {f.msg}" for f in fields)
        raise BadInput(f"the item is not valid: {described}", fields=fields) from None


def example_item(rule: Rule, example: str | Mapping[str, Any]) -> dict[str, Any]:
    """A rule example as an item: a string is a text of the rule's first kind on platform other."""
    if isinstance(example, str):
        return {"kind": rule.applies_to[0], "text": example, "platform": "other"}
    return {"kind": rule.applies_to[0], **example}


# -- compiled rules -----------------------------------------------------------------------------


def _severity(severity: str, hits: list[Hit]) -> str:
    """The rule's severity, or less where every hit was found at less (never more)."""
    found = min((hit.severity or severity for hit in hits), key=SEVERITY_RANK.__getitem__)
    return max(found, severity, key=SEVERITY_RANK.__getitem__)


@dataclass(frozen=True, eq=False)
class CompiledRule:
    rule: Rule
    check: Any  # a CompiledCheck
    fields: tuple[str, ...]
    unless: CompiledMatcher | None
    when: tuple[tuple[tuple[str, ...], Any], ...]
    model: TextModel | None
    quote: str

    @property
    def is_meaning(self) -> bool:
        return self.rule.check == "meaning"

    def applies(self, item: Item) -> bool:
        for path, wanted in self.when:
            value: Any = item
            for part in path:
                value = getattr(value, part, None) if value is not None else None
            if isinstance(wanted, list):
                if value not in wanted:
                    return False
            elif value != wanted:
                return False
        return True

    def evaluate(self, ctx: ItemContext) -> Finding | None:
        if self.when and not self.applies(ctx.item):
            return None
        hits = self.check.run(ctx, ctx.views(self.fields))
        if hits and self.unless is not None:
            hits = self._apply_unless(ctx, hits)
        if not hits:
            return None
        return self._finding(ctx, hits)

    def _apply_unless(self, ctx: ItemContext, hits: list[Hit]) -> list[Hit]:
        groups = {hit.field.split("[")[0] for hit in hits}
        if "text" in groups:
            groups.add("hashtags")  # a hashtag in the text is reported on the text
        unless = self.unless
        assert unless is not None
        suppressed = {view.field for view in ctx.views(sorted(groups)) if unless.find(ctx, view)}
        return [hit for hit in hits if hit.field not in suppressed]

    def _finding(self, ctx: ItemContext, hits: list[Hit]) -> Finding:
        rule = self.rule
        evidence: list[Evidence] = []
        seen: set[tuple[str, int, int]] = set()
        detectors: list[str] = []
        for hit in sorted(hits, key=lambda h: (h.field != "text", h.field, h.start, h.end)):
            if hit.detector and hit.detector not in detectors:
                detectors.append(hit.detector)
            key = (hit.field, hit.start, hit.end)
            if key not in seen:
                seen.add(key)
                evidence.append(Evidence.model_construct(field=hit.field, start=hit.start, end=hit.end, text=hit.text))
        confidence = rule.confidence * max(hit.confidence for hit in hits)
        detector = "+".join(detectors) or rule.check
        if self.model is not None and rule.model is not None:
            text = ctx.item.text or (ctx.item.target.text if ctx.item.target else "") or ""
            score = ctx.cached(("score", self.model.name, "item"), lambda: self.model.score(text))
            confidence += rule.model.weight * (score - self.model.threshold)
            detector += f"+model:{self.model.name}={score:.2f}"
        return Finding.model_construct(
            rule=rule.id,
            category=rule.category,
            severity=_severity(rule.severity, hits),
            clause=rule.clause,
            quote=self.quote,
            message=rule.message,
            suggestion=rule.suggestion,
            evidence=evidence,
            confidence=round(min(1.0, max(0.05, confidence)), 3),
            detector=detector,
        )


class CompiledPack:
    """A pack ready to check items. `pack` is the validated data (clauses, lexicons, metadata)."""

    def __init__(self, pack: Pack, rules: Sequence[CompiledRule], vocabulary: frozenset[str]) -> None:
        self.pack = pack
        self.rules = tuple(rules)
        self.vocabulary = vocabulary
        self.by_kind: dict[str, tuple[CompiledRule, ...]] = {
            kind: tuple(rule for rule in self.rules if kind in rule.rule.applies_to and not rule.is_meaning)
            for kind in pack.meta.kinds
        }
        self.meaning_by_kind: dict[str, tuple[CompiledRule, ...]] = {
            kind: tuple(rule for rule in self.rules if kind in rule.rule.applies_to and rule.is_meaning)
            for kind in pack.meta.kinds
        }
        self.evidence_rules = frozenset(rule.rule.id for rule in self.rules if rule.rule.role == "evidence")
        periods = {period.id: period for period in pack.meta.periods}
        self.period_rules = {rule.rule.id: periods[rule.rule.during] for rule in self.rules
                             if rule.rule.during is not None}

    @property
    def id(self) -> str:
        return self.pack.id

    @property
    def name(self) -> str:
        return self.pack.name

    @property
    def version(self) -> str:
        return self.pack.version

    @property
    def meta(self):  # noqa: ANN201 - kaitiaki.policy.schema.PackMeta
        return self.pack.meta

    @property
    def registry(self):  # noqa: ANN201 - kaitiaki.policy.registry.Registry
        return self.pack.registry

    def __repr__(self) -> str:
        return f"CompiledPack({self.id!r}, {len(self.rules)} rules)"


def compile_pack(pack: Pack) -> CompiledPack:
    """Build every rule's matchers once; problems are raised as one `PackLintError`."""
    problems: list[Problem] = _kind_problems(pack)
    resources = Resources(lexicons=dict(pack.lexicons))
    compiled: list[CompiledRule] = []
    for rule in pack.rules:
        try:
            compiled.append(_compile_rule(rule, pack, resources))
        except CheckConfigError as exc:
            problems.append(pack.rule_problem(rule.id, exc.loc, exc.message))
            continue
        problems.extend(_example_problems(rule, pack))
    if problems:
        raise PackLintError(problems)
    return CompiledPack(pack, compiled, _vocabulary(pack))


def _compile_rule(rule: Rule, pack: Pack, resources: Resources) -> CompiledRule:
    check = CHECKS[rule.check](rule, resources)
    model = None
    if rule.check != "classifier" and rule.model is not None:
        model = shipped_model(rule.model.name, ("model", "name"))
    return CompiledRule(
        rule=rule,
        check=check,
        fields=tuple(rule.fields) if rule.fields else check.default_fields,
        unless=CompiledMatcher(rule.unless, resources) if rule.unless else None,
        when=tuple((tuple(path.split(".")), value) for path, value in rule.when.items()),
        model=model,
        quote=pack.registry.clause(rule.clause).quote,
    )


def _kind_problems(pack: Pack) -> list[Problem]:
    unknown = [(index, kind) for index, kind in enumerate(pack.meta.kinds) if kind not in KINDS]
    if not unknown:
        return []
    meta_file = read_yaml(pack.path / "pack.yaml")
    return [
        Problem(meta_file.path, meta_file.line_of(("kinds", index)),
                f"unknown item kind {kind!r}; kinds are {', '.join(KINDS)}", "kinds: [post, reply, interaction, comment]")
        for index, kind in unknown
    ]


def _example_problems(rule: Rule, pack: Pack) -> list[Problem]:
    problems = []
    for group in ("hit", "miss"):
        for index, example in enumerate(getattr(rule.examples, group)):
            try:
                item = coerce_item(example_item(rule, example))
            except BadInput as exc:
                problems.append(pack.rule_problem(rule.id, ("examples", group, index), exc.detail))
                continue
            if item.kind not in rule.applies_to:
                problems.append(pack.rule_problem(
                    rule.id, ("examples", group, index),
                    f"the example is a {item.kind} item, but the rule applies to {', '.join(rule.applies_to)}"))
    return problems


def _vocabulary(pack: Pack) -> frozenset[str]:
    phrases: list[str] = []
    for lexicon in pack.lexicons.values():
        for entry in lexicon.entries:
            phrases.extend(entry.phrases())
            phrases.extend(entry.context)
    for rule in pack.rules:
        for spec in (getattr(rule, "first", None), getattr(rule, "second", None), rule.unless):
            if spec is not None:
                phrases.extend(spec.terms)
        phrases.extend(getattr(rule, "terms", ()))
    return vocabulary_of(phrases)


# -- checking -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Started:
    """An item whose rules have run; its meaning rules (which read the rules' findings) wait."""

    ctx: ItemContext
    periods: tuple[Any, ...]  # the pack's periods in force when the item is published
    findings: list[Finding]
    meaning_rules: list[CompiledRule]


def _start(raw: Item | Mapping[str, Any], pack: CompiledPack) -> _Started:
    item = coerce_item(raw)
    if item.kind not in pack.by_kind:
        raise BadInput(f"the {pack.name} pack does not check {item.kind} items; its kinds are "
                       f"{', '.join(pack.meta.kinds)}")
    if item.kind != "interaction" and not item.text.strip() and not (item.links or item.hashtags or item.mentions):
        raise BadInput("nothing to check: the text is empty", fields=[FieldError(["text"], "empty", "missing")])
    ctx = ItemContext(item, pack.vocabulary)
    periods = periods_in_force(pack.meta, item.published_at)
    findings = rule_findings(ctx, pack, {period.id for period in periods})
    meaning_rules = [rule for rule in pack.meaning_by_kind[item.kind] if rule.applies(item)]
    if meaning_rules:
        ctx.cached(EVIDENCE_KEY, lambda: evidence_of(findings, ctx))
    return _Started(ctx, periods, findings, meaning_rules)


def _finish(started: _Started, pack: CompiledPack) -> Result:
    ctx, findings, meaning_rules = started.ctx, started.findings, started.meaning_rules
    if meaning_rules:
        meaning = [finding for rule in meaning_rules if (finding := rule.evaluate(ctx)) is not None]
        judged = {rule.rule.category for rule in meaning_rules if getattr(rule.rule, "head", "") == "flag"}
        judged_block = {rule.rule.category for rule in meaning_rules if getattr(rule.rule, "head", "") == "block"}
        findings = combine(findings, meaning, judged, set(pack.evidence_rules), judged_block)
    findings = tightened(findings, started.periods, pack.period_rules)
    findings.sort(key=lambda finding: SEVERITY_RANK[finding.severity])
    return Result.model_construct(id=ctx.item.id, decision=decide(findings), pack=pack.id, findings=findings)


def check_item(raw: Item | Mapping[str, Any], pack: CompiledPack) -> Result:
    return _finish(_start(raw, pack), pack)


def rule_findings(ctx: ItemContext, pack: CompiledPack, periods: frozenset[str] | set[str] = frozenset()
                  ) -> list[Finding]:
    """The findings of every rule but the meaning rules (which read these), in pack order; a
    rule of a dated period only while one of `periods` is in force."""
    return [finding for rule in pack.by_kind[ctx.item.kind]
            if (rule.rule.during is None or rule.rule.during in periods)
            and (finding := rule.evaluate(ctx)) is not None]


def check_items(items: Iterable[Item | Mapping[str, Any]], pack: CompiledPack) -> list[Result]:
    """Check a batch: the same results as `check_item` one by one, for less work. An item whose
    text and context repeat one earlier in the batch (a spam wave) is checked once, and the
    meaning model scores every item's heads in one product."""
    started: list[_Started] = []
    first_with: dict[str, int] = {}
    order: list[tuple[int, str | None]] = []
    for index, raw in enumerate(items):
        try:
            item = coerce_item(raw)
            same_as = first_with.setdefault(item.model_dump_json(exclude={"id"}), len(started))
            if same_as == len(started):
                started.append(_start(item, pack))
        except BadInput as exc:
            raise BadInput(f"item {index}: {exc.detail}", fields=exc.fields) from None
        order.append((same_as, item.id))
    by_model: dict[int, tuple[Any, list[ItemContext]]] = {}
    for each in started:
        if each.meaning_rules:
            model = each.meaning_rules[0].check.model
            by_model.setdefault(id(model), (model, []))[1].append(each.ctx)
    for model, contexts in by_model.values():
        score_together(model, contexts)
    finished = [_finish(each, pack) for each in started]
    # a repeat gets its own result and list; the findings themselves are shared and never changed
    return [finished[at] if finished[at].id == item_id
            else finished[at].model_copy(update={"id": item_id, "findings": list(finished[at].findings)})
            for at, item_id in order]
