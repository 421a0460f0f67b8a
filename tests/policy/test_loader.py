"""The pack loader: a good pack loads; each kind of mistake is reported with its file, line and a
corrected example."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kaitiaki.errors import PackError
from kaitiaki.policy import PackLintError, read_pack, resolve_pack_path

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "mini"


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The last line holding `needle` (a duplicate is reported where it repeats)."""
    numbers = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line]
    assert numbers, f"{needle!r} not in {path}"
    return numbers[-1]


def test_the_fixture_pack_loads_with_its_parts() -> None:
    pack = read_pack(MINI)
    assert pack.name == "mini" and pack.version == "1.0"
    assert pack.id.startswith("mini@1.0+") and len(pack.id.split("+")[1]) == 8
    assert {lexicon for lexicon in pack.lexicons} == {"parties", "brands", "health_terms"}
    assert pack.registry.clause("exa-1.0/guidelines/commercial").kind == "must_not"
    kinds = {rule.id for rule in pack.registry.rules_for_kind("interaction")}
    assert kinds == {"mini.interaction.party", "mini.interaction.no-purpose"}
    assert {r.id for r in pack.registry.rules_citing("exa-1.0/guidelines/commercial")} == {
        "mini.commercial.link",
        "mini.commercial.brand",
    }


def test_a_changed_file_changes_the_pack_id(pack_copy: Path) -> None:
    before = read_pack(pack_copy).id
    assert read_pack(pack_copy).id == before
    edit(pack_copy / "rules" / "rules.yaml", 'message: "Plain language."', 'message: "Use plain language."')
    assert read_pack(pack_copy).id != before


def test_an_unknown_pack_name_lists_the_bundled_packs() -> None:
    with pytest.raises(PackError, match="bundled packs are .*dpmc"):
        resolve_pack_path("no-such-pack")


RULES = "rules/rules.yaml"
# (what to break, file, old text, new text, line marker in the broken file, words the error must contain,
#  words the corrected example must contain)
CASES: list[tuple[str, str, str, str, str, str, str]] = [
    ("unknown check type", RULES, "check: conditional", "check: conditonal", "check: conditonal",
     "unknown check 'conditonal'", "check: conditional"),
    ("misspelt key", RULES, "    entities: [nz_ird, email]", "    entities: [nz_ird, email]\n    entitys: [x]",
     "entitys:", "unknown key 'entitys'", "check:"),
    ("unknown identifier entity", RULES, "entities: [nz_ird, email]", "entities: [nz_ird, emial]",
     "emial", "rules[2].entities[1]", "entities: [nz_ird"),
    ("bad regex", RULES, r"patterns: ['\butili[sz]e\b']", r"patterns: ['\butili[sz]e\b(']",
     "utili", "not a valid regular expression", "check: existence"),
    ("missing message", RULES, '    message: "Plain language."\n', "", "id: mini.tone.plain",
     "missing required key 'message'", "message:"),
    ("rule without hit examples", RULES, '      hit: [{text: "We utilise new tools", platform: x}]\n', "",
     'miss: [{text: "We utilise', "examples.hit", "hit:"),
    ("clause that does not exist", RULES, "clause: exa-1.0/guidelines/plain-language",
     "clause: exa-1.0/guidelines/plain-english", "plain-english",
     "cites clause exa-1.0/guidelines/plain-english, which is not in clauses.yaml", "clause:"),
    ("lexicon that does not exist", RULES, "first: {gazetteer: parties}", "first: {gazetteer: partys}",
     "partys", "names lexicon 'partys'", "gazetteer:"),
    ("lexicon type that does not exist", RULES, "types: [party]", "types: [partie]", "types: [partie]",
     "no entries of type partie", "gazetteer:"),
    ("duplicate rule id", RULES, "id: mini.tone.plain", "id: mini.political.vote-party",
     "id: mini.political.vote-party", "rule ids are unique", "id:"),
    ("rule id without the pack name", RULES, "id: mini.tone.plain", "id: other.tone.plain",
     "other.tone.plain", "must start with the pack name", "id:"),
    ("kind the pack does not check", RULES, "applies_to: [post]\n", "applies_to: [personal_post]\n",
     "personal_post", "not among the pack's kinds", "applies_to"),
    ("unknown when attribute", RULES, "when: {platform: [x, facebook]}", "when: {colour: red}",
     "colour", "unknown item attribute 'colour'", "check: existence"),
    ("quote not in the source", "clauses.yaml", "Staff should write in plain language.",
     "Staff should write plainly.", "plainly", "not word for word", "quote:"),
    ("clause kind unknown", "clauses.yaml", "kind: info", "kind: optional", "kind: optional",
     "clauses[4].kind", "must_not | must"),
    ("must_not clause nobody cites", "clauses.yaml", '    quote: "Staff should write in plain language."\n',
     '    quote: "Staff should write in plain language."\n  - id: exa-1.0/guidelines/uncited\n'
     '    source: exa-1.0\n    section: Guidelines\n    kind: must_not\n'
     '    quote: "Staff must not endorse commercial businesses or brands."\n',
     "id: exa-1.0/guidelines/uncited", "no rule cites it", "clause:"),
    ("unquoted version", "pack.yaml", 'version: "1.0"', "version: 1.0", "version: 1.0",
     "write the version in quotes", 'version: "1.2"'),
    ("missing source document", "pack.yaml", "file: example-policy.txt", "file: missing.txt",
     "missing.txt", "sources/missing.txt is missing", "file:"),
    ("lexicons_from an unknown pack", "pack.yaml", "kinds:", "lexicons_from: [nowhere]\nkinds:",
     "lexicons_from", "no pack of that name", "lexicons_from"),
    ("lexicon entry without a source", "lexicons/brands.yaml", '    source: "Test fixture"\n', "",
     'name: "Kiwi Air"', "missing required key 'source'", "source:"),
    ("lexicon handle without @", "lexicons/brands.yaml", 'handles: ["@KiwiAir"]', 'handles: ["KiwiAir"]',
     'handles: ["KiwiAir"]', "must look like @name", "handles:"),
    ("YAML syntax error", "clauses.yaml", "    section: Guidelines\n", "    section: [Guidelines\n",
     "section: [Guidelines", "not valid YAML", ""),
    ("duplicate key", "pack.yaml", 'title: "Example Agency Social Media Policy"',
     'title: "Example Agency Social Media Policy"\ntitle: again', "title: again", "appears twice", ""),
]


@pytest.mark.parametrize(("what", "file", "old", "new", "marker", "message", "example"), CASES,
                         ids=[case[0] for case in CASES])
def test_each_mistake_is_reported_with_file_line_and_example(
    pack_copy: Path, what: str, file: str, old: str, new: str, marker: str, message: str, example: str
) -> None:
    path = pack_copy / file
    edit(path, old, new)
    with pytest.raises(PackLintError) as caught:
        read_pack(pack_copy)
    matching = [p for p in caught.value.problems if message in p.message]
    assert matching, f"no problem mentions {message!r}: {[p.message for p in caught.value.problems]}"
    problem = matching[0]
    assert problem.file == path
    expected_line = line_of(path, marker)
    # a missing key is reported on its enclosing block, which starts a few lines up; the YAML parser
    # notices an unclosed bracket on the line after it
    assert problem.line is not None and expected_line - 12 <= problem.line <= expected_line + 1, (
        problem.line, expected_line)
    if example:
        assert problem.example and example in problem.example
    assert f"{path}:{problem.line}: " in str(caught.value)


def test_all_problems_are_reported_together(pack_copy: Path) -> None:
    edit(pack_copy / RULES, "check: conditional", "check: conditonal")
    edit(pack_copy / RULES, "entities: [nz_ird, email]", "entities: [nz_ird, emial]")
    edit(pack_copy / "clauses.yaml", "Staff should write in plain language.", "Staff should write plainly.")
    with pytest.raises(PackLintError) as caught:
        read_pack(pack_copy)
    assert len(caught.value.problems) == 3
    assert caught.value.detail.startswith("the policy pack has 3 problems")


def test_quotes_compare_whitespace_and_typographic_marks_loosely(pack_copy: Path) -> None:
    edit(pack_copy / "sources" / "example-policy.txt", "Staff should write in plain language.",
         "Staff should write\n   in ‘plain’ language.")
    edit(pack_copy / "clauses.yaml", "Staff should write in plain language.", "Staff should write in 'plain' language.")
    assert read_pack(pack_copy).name == "mini"


BreakFn = Callable[[Path], None]


@pytest.mark.parametrize("missing", ["pack.yaml", "clauses.yaml"])
def test_a_missing_file_is_named(pack_copy: Path, missing: str) -> None:
    (pack_copy / missing).unlink()
    with pytest.raises(PackLintError, match=f"{missing}: the file is missing"):
        read_pack(pack_copy)


def test_a_pack_without_rules_is_refused(pack_copy: Path) -> None:
    shutil.rmtree(pack_copy / "rules")
    (pack_copy / "rules").mkdir()
    with pytest.raises(PackLintError, match="no rules/\\*.yaml files"):
        read_pack(pack_copy)


def test_lexicons_from_another_pack_are_usable(tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path / "mini")
    other = tmp_path / "other"
    shutil.copytree(MINI, other)
    shutil.rmtree(other / "lexicons")
    edit(other / "pack.yaml", "name: mini", "name: other")
    edit(other / "pack.yaml", "kinds:", "lexicons_from: [mini]\nkinds:")
    rules = other / "rules" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("id: mini.", "id: other."), encoding="utf-8")
    pack = read_pack(other)
    assert set(pack.lexicons) == {"parties", "brands", "health_terms"}
