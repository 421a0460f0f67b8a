"""Necessary literals are read from the pattern's source without Python's private parser; every
literal set given must hold for every text the pattern matches."""

from __future__ import annotations

import re

import pytest

from kaitiaki.checker import load_pack
from kaitiaki.checker.detectors.regex_literals import necessary_literals


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\x41bc", {"bc"}),               # an escape is never read as the digits after it
        (r"\u00e9t\u00e9s", {"t"}),
        (r"\N{BULLET} point", {" point"}),
        (r"(a)\1 23", {" 23"}),            # a back-reference adds nothing, nor do its digits
        (r"\0123 go", {" go"}),
        (r"[\]x]yz", {"yz"}),              # the class ends at the unescaped ]
        (r"[]a]bc", {"bc"}),
        (r"a{2}b", {"a"}),
        (r"ab{0,3}c", {"a"}),
        (r"x{y", {"x{y"}),                 # not a repeat: a literal brace
        (r"colou?r", {"colo"}),
        (r"(?P<word>hello) (?P=word)", {"hello"}),
        (r"(?#a comment)vote", {"vote"}),
        (r"(?-i:Vote) now", {"vote"}),
        (r"(?x) v o t e", None),            # verbose mode: spaces mean nothing
        (r"(?x:v o t e)", None),
        (r"(a)?(?(1)b|c)d", None),          # conditional groups are not followed
        (r"(unclosed", None),
        (r"go (home|away)|leave", {"home", "away", "leave"}),
        (r"(?=vote)\w+", None),
        (r"(?<!no )vote", {"vote"}),
    ],
)
def test_literals_read_from_the_source(pattern: str, literals: set[str] | None) -> None:
    found = necessary_literals(pattern)
    assert (set(found) if found is not None else None) == literals


def _pack_patterns_and_examples() -> tuple[set[str], list[str]]:
    pack = load_pack("dpmc")
    patterns: set[str] = set()
    texts: list[str] = []
    for rule in pack.pack.rules:
        data = rule.model_dump()
        stack = [data]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                for key, inner in value.items():
                    if key == "patterns" and isinstance(inner, list):
                        patterns.update(p for p in inner if isinstance(p, str))
                    elif key == "examples" and isinstance(inner, dict):
                        for examples in inner.values():
                            texts.extend(e if isinstance(e, str) else str(e.get("text", ""))
                                         for e in examples or [] if isinstance(e, (str, dict)))
                    else:
                        stack.append(inner)
            elif isinstance(value, list):
                stack.extend(value)
    return patterns, texts


def test_every_bundled_pattern_only_matches_texts_holding_one_of_its_literals() -> None:
    patterns, texts = _pack_patterns_and_examples()
    assert len(patterns) > 100 and len(texts) > 100
    checked = 0
    for pattern in patterns:
        literals = necessary_literals(pattern)
        if literals is None:
            continue
        compiled = re.compile(pattern, re.IGNORECASE)
        for text in texts:
            if compiled.search(text):
                checked += 1
                assert any(literal in text.lower() for literal in literals), (pattern, text)
    assert checked > 50
