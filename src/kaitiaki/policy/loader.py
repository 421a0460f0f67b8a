"""Read a pack folder, validate every file, cross-check the parts, and build a `Pack`.

Errors never stop at the first one: every problem is collected with its file, line and a corrected
example, and raised together as one `PackLintError`. The pack is pure data here; the checker
compiles its matchers (`kaitiaki.checker.engine.compile_pack`), so this package imports nothing of
the checker.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from kaitiaki.errors import PackError
from kaitiaki.policy.examples import example_for
from kaitiaki.policy.registry import Registry
from kaitiaki.policy.schema import (
    CHECK_TYPES,
    Clause,
    ClausesFile,
    ConditionalRule,
    ExistenceRule,
    GazetteerRule,
    InteractionRule,
    Lexicon,
    LinkRule,
    Matcher,
    PackMeta,
    PersonalInformationRule,
    Rule,
)
from kaitiaki.policy.yamlfile import Problem, YamlFile, read_yaml

BUNDLED_PACKS = Path(__file__).resolve().parent / "packs"
_RULE = TypeAdapter(Rule)


class PackLintError(PackError):
    """A pack that cannot be used; `problems` lists every finding with its file and line."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        head = f"the policy pack has {count} problem{'s' if count != 1 else ''}"
        super().__init__(head + ":\n" + "\n".join(problem.render() for problem in self.problems))


@dataclass(frozen=True)
class RuleOrigin:
    file: YamlFile
    index: int


@dataclass(frozen=True, eq=False)
class Pack:
    path: Path
    meta: PackMeta
    clauses: tuple[Clause, ...]
    rules: tuple[Rule, ...]
    lexicons: Mapping[str, Lexicon]
    sources: Mapping[str, str]
    sha: str
    registry: Registry
    origins: Mapping[str, RuleOrigin] = field(repr=False)

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def version(self) -> str:
        return self.meta.version

    @property
    def id(self) -> str:
        """`<name>@<version>+<sha>`: a changed file gives a changed id."""
        return f"{self.meta.name}@{self.meta.version}+{self.sha}"

    def rule_problem(self, rule_id: str, loc: Sequence[str | int], message: str) -> Problem:
        """A problem about a rule, located in its file (used by the checker's compile step)."""
        origin = self.origins[rule_id]
        rule = self.registry.rule(rule_id)
        full_loc = ("rules", origin.index, *loc)
        return Problem(
            origin.file.path,
            origin.file.line_of(full_loc),
            f"rule {rule_id}: {message}",
            example_for("rules", full_loc, rule.check),
        )


def resolve_pack_path(name_or_path: str | Path) -> Path:
    """A bundled pack's name or a path to a pack folder."""
    candidate = Path(name_or_path)
    if candidate.is_dir():
        return candidate.resolve()
    bundled = BUNDLED_PACKS / str(name_or_path)
    if re.fullmatch(r"[a-z0-9][a-z0-9_-]*", str(name_or_path)) and (bundled / "pack.yaml").is_file():
        return bundled
    names = ", ".join(bundled_pack_names()) or "none"
    raise PackError(f"no policy pack {str(name_or_path)!r}: not a folder, and the bundled packs are {names}")


def bundled_pack_names() -> list[str]:
    return sorted(p.parent.name for p in BUNDLED_PACKS.glob("*/pack.yaml"))


def read_pack(name_or_path: str | Path) -> Pack:
    """Load and validate a pack; raises `PackLintError` listing every problem found."""
    return _PackReader(resolve_pack_path(name_or_path)).read()


class _PackReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.hashed: list[Path] = []
        self._meta_file: YamlFile | None = None
        self._clauses_file: YamlFile | None = None

    def read(self) -> Pack:
        meta = self._read_meta()
        sources = self._read_sources(meta) if meta else {}
        clauses = self._read_clauses()
        rules, origins = self._read_rules()
        lexicons = self._read_lexicons(self.path / "lexicons")
        if meta:
            for index, other in enumerate(meta.lexicons_from):
                for name, lexicon in self._lexicons_from(index, other).items():
                    lexicons.setdefault(name, lexicon)  # the pack's own lexicon of that name wins
        if meta:
            self._cross_check(meta, sources, clauses, rules, origins, lexicons)
        if self.problems or meta is None:
            raise PackLintError(self.problems)
        return Pack(
            path=self.path,
            meta=meta,
            clauses=tuple(clauses),
            rules=tuple(rules),
            lexicons=lexicons,
            sources=sources,
            sha=self._sha(),
            registry=Registry(clauses, rules),
            origins=origins,
        )

    # -- files ------------------------------------------------------------------------------

    def _load(self, path: Path) -> YamlFile | None:
        if not path.is_file():
            self.problems.append(Problem(path, None, "the file is missing", example_for(_kind_of(path), ())))
            return None
        self.hashed.append(path)
        yaml_file = read_yaml(path)
        self.problems.extend(yaml_file.problems)
        return yaml_file if yaml_file.parsed else None

    def _validate(self, yaml_file: YamlFile, model: Any, data: Any, prefix: tuple = ()) -> Any:
        try:
            return model.validate_python(data) if isinstance(model, TypeAdapter) else model.model_validate(data)
        except ValidationError as exc:
            self._report(yaml_file, exc, prefix, data)
            return None

    def _report(self, yaml_file: YamlFile, exc: ValidationError, prefix: tuple, data: Any) -> None:
        kind = _kind_of(yaml_file.path)
        check = data.get("check") if isinstance(data, dict) and isinstance(data.get("check"), str) else None
        seen: set[tuple[int | None, str]] = set()
        for error in exc.errors():
            loc = tuple(error["loc"])
            if kind == "rules" and loc and loc[0] in CHECK_TYPES:
                loc = loc[1:]  # pydantic names the union member; the file does not
            if error["type"] == "union_tag_invalid":
                loc = (*loc, "check")
                close = difflib.get_close_matches(str(check), CHECK_TYPES, n=1)
                check = close[0] if close else None  # show the example of the check meant
            full = (*prefix, *loc)
            line = yaml_file.line_of(full)
            message = f"{_dotted(full)}: {_message(error, full)}" if full else _message(error, full)
            if (line, message) in seen:
                continue
            seen.add((line, message))
            self.problems.append(Problem(yaml_file.path, line, message, example_for(kind, full, check)))

    def _read_meta(self) -> PackMeta | None:
        yaml_file = self._load(self.path / "pack.yaml")
        if yaml_file is None:
            return None
        self._meta_file = yaml_file
        return self._validate(yaml_file, PackMeta, yaml_file.data)

    def _read_sources(self, meta: PackMeta) -> dict[str, str]:
        texts: dict[str, str] = {}
        for index, source in enumerate(meta.sources):
            path = self.path / "sources" / source.file
            if not path.is_file():
                self._at(self._meta_file, ("sources", index, "file"),
                         f"the source document sources/{source.file} is missing from the pack folder")
                continue
            self.hashed.append(path)
            texts[source.id] = path.read_text(encoding="utf-8")
        return texts

    def _read_clauses(self) -> list[Clause]:
        yaml_file = self._load(self.path / "clauses.yaml")
        if yaml_file is None:
            return []
        self._clauses_file = yaml_file
        parsed = self._validate(yaml_file, ClausesFile, yaml_file.data)
        return list(parsed.clauses) if parsed else []

    def _read_rules(self) -> tuple[list[Rule], dict[str, RuleOrigin]]:
        rules: list[Rule] = []
        origins: dict[str, RuleOrigin] = {}
        files = sorted((self.path / "rules").glob("*.yaml"))
        if not files:
            self.problems.append(Problem(self.path / "rules", None, "the pack has no rules/*.yaml files",
                                         example_for("rules", ())))
        for path in files:
            yaml_file = self._load(path)
            if yaml_file is None:
                continue
            data = yaml_file.data
            if not isinstance(data, dict) or not isinstance(data.get("rules"), list) or set(data) != {"rules"}:
                self._at(yaml_file, (), "a rules file holds one top-level key, rules:, with a list of rules")
                continue
            for index, raw in enumerate(data["rules"]):
                rule = self._validate(yaml_file, _RULE, raw, ("rules", index))
                if rule is None:
                    continue
                if rule.id in origins:
                    first = origins[rule.id].file
                    self._at(yaml_file, ("rules", index, "id"),
                             f"rule id {rule.id} is also used in {first.path.name}; rule ids are unique")
                    continue
                origins[rule.id] = RuleOrigin(yaml_file, index)
                rules.append(rule)
        return rules, origins

    def _read_lexicons(self, folder: Path) -> dict[str, Lexicon]:
        lexicons: dict[str, Lexicon] = {}
        for path in sorted(folder.glob("*.yaml")):
            digest = _digest(path)
            known = _VALID_LEXICONS.get(digest) if digest else None
            if known is not None and known.name not in lexicons:
                self.hashed.append(path)
                lexicons[known.name] = known
                continue
            yaml_file = self._load(path)
            if yaml_file is None:
                continue
            lexicon = self._validate(yaml_file, Lexicon, yaml_file.data)
            if lexicon is None:
                continue
            if lexicon.name in lexicons:
                self._at(yaml_file, ("name",), f"lexicon {lexicon.name} is defined twice in {folder}")
                continue
            lexicons[lexicon.name] = lexicon
            if digest and not yaml_file.problems:
                if len(_VALID_LEXICONS) >= _VALID_LEXICONS_LIMIT:
                    _VALID_LEXICONS.clear()
                _VALID_LEXICONS[digest] = lexicon
        return lexicons

    def _lexicons_from(self, index: int, other: str) -> dict[str, Lexicon]:
        sibling = self.path.parent / other
        folder = sibling if (sibling / "pack.yaml").is_file() else BUNDLED_PACKS / other
        if not (folder / "pack.yaml").is_file():
            self._at(self._meta_file, ("lexicons_from", index),
                     f"lexicons_from names {other!r}, but there is no pack of that name next to this one "
                     "or among the bundled packs")
            return {}
        return self._read_lexicons(folder / "lexicons")

    def _at(self, yaml_file: YamlFile | None, loc: tuple, message: str, check: str | None = None) -> None:
        if yaml_file is None:
            return  # the file itself failed to load and already has its problem
        example = example_for(_kind_of(yaml_file.path), loc, check)
        self.problems.append(Problem(yaml_file.path, yaml_file.line_of(loc), message, example))

    def _sha(self) -> str:
        digest = hashlib.sha256()
        for path in sorted(set(self.hashed)):
            # names relative to the pack, so a copied pack folder keeps its id
            name = path.relative_to(self.path) if path.is_relative_to(self.path) else path.relative_to(path.parents[2])
            digest.update(str(name).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
        return digest.hexdigest()[:8]

    # -- cross-checks ------------------------------------------------------------------------

    def _cross_check(self, meta: PackMeta, sources: Mapping[str, str], clauses: list[Clause],
                     rules: list[Rule], origins: Mapping[str, RuleOrigin],
                     lexicons: Mapping[str, Lexicon]) -> None:
        clause_ids = self._check_clauses(meta, sources, clauses)
        self._check_meta(meta, clause_ids)
        cited: set[str] = set()
        for rule in rules:
            origin = origins[rule.id]
            where = origin.file, ("rules", origin.index)
            cited.add(rule.clause)
            if not rule.id.startswith(meta.name + "."):
                self._at(where[0], (*where[1], "id"),
                         f"rule id {rule.id} must start with the pack name: {meta.name}.<area>.<name>", rule.check)
            if rule.clause not in clause_ids:
                self._at(where[0], (*where[1], "clause"),
                         f"rule {rule.id} cites clause {rule.clause}, which is not in clauses.yaml", rule.check)
            if rule.during is not None and rule.during not in {period.id for period in meta.periods}:
                self._at(where[0], (*where[1], "during"),
                         f"rule {rule.id} applies during period {rule.during!r}, which pack.yaml does not "
                         f"declare (periods: {', '.join(p.id for p in meta.periods) or 'none'})", rule.check)
            for position, kind in enumerate(rule.applies_to):
                if kind not in meta.kinds:
                    self._at(where[0], (*where[1], "applies_to", position),
                             f"rule {rule.id} applies to {kind!r}, which is not among the pack's kinds "
                             f"({', '.join(meta.kinds)})", rule.check)
            for loc, lexicon_name, types in _lexicon_uses(rule):
                self._check_lexicon_use(where, loc, rule, lexicon_name, types, lexicons)
        if self._clauses_file is not None:
            for index, clause in enumerate(clauses):
                if clause.kind == "must_not" and clause.id not in cited:
                    self.problems.append(Problem(
                        self._clauses_file.path, self._clauses_file.line_of(("clauses", index, "id")),
                        f"clause {clause.id} is a must_not clause but no rule cites it; add a rule with "
                        f"clause: {clause.id}", example_for("rules", ())))

    def _check_clauses(self, meta: PackMeta, sources: Mapping[str, str], clauses: list[Clause]) -> set[str]:
        flattened = {source_id: flatten_text(text) for source_id, text in sources.items()}
        known_sources = {source.id for source in meta.sources}
        counts = Counter(clause.id for clause in clauses)
        for index, clause in enumerate(clauses):
            if counts[clause.id] > 1:
                self._at(self._clauses_file, ("clauses", index, "id"), f"clause id {clause.id} is used twice")
            if clause.source not in known_sources:
                self._at(self._clauses_file, ("clauses", index, "source"),
                         f"clause {clause.id} names source {clause.source!r}, which pack.yaml does not list "
                         f"(sources: {', '.join(sorted(known_sources))})")
            elif clause.source in flattened and flatten_text(clause.quote) not in flattened[clause.source]:
                self._at(self._clauses_file, ("clauses", index, "quote"),
                         f"the quote of clause {clause.id} is not word for word in the source document "
                         f"{clause.source} (spacing, line breaks and quote marks may differ; words may not)")
        return set(counts)

    def _check_meta(self, meta: PackMeta, clause_ids: set[str]) -> None:
        units = {unit.code for unit in meta.units}
        agencies = {unit.code for unit in meta.units if unit.kind == "agency"}
        roles = {role.id for role in meta.roles}
        for index, unit in enumerate(meta.units):
            if unit.parent and unit.parent not in units:
                self._at(self._meta_file, ("units", index, "parent"),
                         f"unit {unit.code} names parent {unit.parent}, which is not a unit in this pack")
        for index, rule in enumerate(meta.approval_rules):
            if rule.agency not in agencies:
                self._at(self._meta_file, ("approval_rules", index, "agency"),
                         f"approval rule for {rule.agency}: no unit of kind agency has that code")
            if rule.clause not in clause_ids:
                self._at(self._meta_file, ("approval_rules", index, "clause"),
                         f"approval rule cites clause {rule.clause}, which is not in clauses.yaml")
            for position, requirement in enumerate(rule.required):
                if requirement.role not in roles:
                    self._at(self._meta_file, ("approval_rules", index, "required", position, "role"),
                             f"role {requirement.role} is not in the pack's roles")
        period_ids = Counter(period.id for period in meta.periods)
        for index, period in enumerate(meta.periods):
            if period_ids[period.id] > 1:
                self._at(self._meta_file, ("periods", index, "id"), f"period id {period.id} is used twice")
            if period.clause not in clause_ids:
                self._at(self._meta_file, ("periods", index, "clause"),
                         f"period {period.id} cites clause {period.clause}, which is not in clauses.yaml")
        for agency, requirement in meta.complaint_escalation.items():
            if agency not in agencies:
                self._at(self._meta_file, ("complaint_escalation", agency),
                         f"complaint_escalation names {agency}, which is not an agency unit of this pack")
            if requirement.role not in roles:
                self._at(self._meta_file, ("complaint_escalation", agency, "role"),
                         f"role {requirement.role} is not in the pack's roles")

    def _check_lexicon_use(self, where: tuple[YamlFile, tuple], loc: tuple, rule: Rule,
                           lexicon_name: str, types: Iterable[str], lexicons: Mapping[str, Lexicon]) -> None:
        yaml_file, prefix = where
        lexicon = lexicons.get(lexicon_name)
        if lexicon is None:
            known = ", ".join(sorted(lexicons)) or "none"
            self._at(yaml_file, (*prefix, *loc),
                     f"rule {rule.id} names lexicon {lexicon_name!r}, which the pack does not have "
                     f"(its lexicons: {known})", rule.check)
            return
        unknown = sorted(set(types) - lexicon.types())
        if unknown:
            self._at(yaml_file, (*prefix, *loc),
                     f"rule {rule.id}: lexicon {lexicon_name} has no entries of type {', '.join(unknown)} "
                     f"(its types: {', '.join(sorted(lexicon.types()))})", rule.check)


# Validated lexicons by the SHA-256 of their file's bytes: a pack that borrows another's lexicons
# (lexicons_from) and a pack loaded again reuse them instead of validating thousands of entries
# again. Lexicons are immutable, so sharing them is safe.
_VALID_LEXICONS: dict[bytes, Lexicon] = {}
_VALID_LEXICONS_LIMIT = 512


def _digest(path: Path) -> bytes | None:
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return None


def _lexicon_uses(rule: Rule) -> list[tuple[tuple, str, list[str]]]:
    """(location, lexicon name, entry types) for every lexicon a rule names."""
    uses: list[tuple[tuple, str, list[str]]] = []

    def matcher(loc: tuple, spec: Matcher | None) -> None:
        if spec is not None and spec.gazetteer:
            uses.append(((*loc, "gazetteer"), spec.gazetteer, spec.types))

    if isinstance(rule, (ExistenceRule, GazetteerRule)) and rule.gazetteer:
        uses.append((("gazetteer",), rule.gazetteer, rule.types))
    if isinstance(rule, ConditionalRule):
        matcher(("first",), rule.first)
        matcher(("second",), rule.second)
    if isinstance(rule, PersonalInformationRule) and rule.health_lexicon:
        uses.append((("health_lexicon",), rule.health_lexicon, []))
    if isinstance(rule, (InteractionRule, LinkRule)) and rule.lexicons:
        for klass, names in rule.lexicons.items():
            uses.extend((("lexicons", klass, position), name, []) for position, name in enumerate(names))
    matcher(("unless",), rule.unless)
    return uses


_MARKUP = re.compile(r"</?u>")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def flatten_text(text: str) -> str:
    """Text with runs of whitespace collapsed, typographic quotes and dashes made plain and the
    source's underline markup removed: what 'verbatim' is compared on."""
    return " ".join(_MARKUP.sub("", text).translate(_QUOTES).split())


def _kind_of(path: Path) -> str:
    if path.parent.name == "rules":
        return "rules"
    if path.parent.name == "lexicons":
        return "lexicon"
    if path.name == "clauses.yaml":
        return "clauses"
    return "pack"


def _dotted(loc: Sequence[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _message(error: Mapping[str, Any], loc: Sequence[str | int]) -> str:
    kind = error["type"]
    last = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        return f"unknown key {last!r}"
    if kind == "missing":
        return f"missing required key {last!r}"
    if kind == "union_tag_not_found":
        return f"missing key 'check'; one of: {', '.join(CHECK_TYPES)}"
    if kind == "union_tag_invalid":
        given = str(error["input"].get("check"))
        close = difflib.get_close_matches(given, CHECK_TYPES, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        return f"unknown check {given!r}{hint}; one of: {', '.join(CHECK_TYPES)}"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")
