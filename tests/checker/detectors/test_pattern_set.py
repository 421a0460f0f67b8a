"""Pattern sets skip alternatives that cannot match, and find exactly what the full scan finds."""

from __future__ import annotations

import re

import pytest

from kaitiaki.checker.detectors.pattern_set import IGNORECASE_TWINS, LiteralIndex, PatternSet, necessary_literals
from kaitiaki.checker.normalize import normalize

SPAM = [
    r"\b(earn|make|made)\s+\$\s?\d[\d,]*",
    r"\$\s?\d[\d,]*\s*(a|per)\s+(week|day|month|hour)\b",
    r"\b(work|working) from home\b",
    r"\bdm me\b",
    r"\bclick (here|the link|below)\b",
    r"\bf+[\W_]*u*[\W_]*c+[\W_]*k\w*",
    r"(?<!\w)\d{3}-\d{4}\b",
    r"\bfree (iphone|gift ?cards?)\b",
    r"\b(?:so )?(?=bad)\w+ly\b",
]
TEXTS = [
    "", "Kia ora, the offices are closed today.", "Earn $5000 a week working from home, DM me!",
    "Click here: free iphone giveaway", "call 555-1234 now", "what the fuuuck", "so badly done",
    "ſcam: click here", "CLICK HERE", "Ⓒlick here", "the Kelvin sign: ₭ and \u212a", "made $ 12,000 per day",
    "free giftcards and free gift cards", "dm\u00a0me", "İstanbul click below", "emoji 🎉 click the link",
]


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\bclick (here|the link)\b", {"click "}),
        (r"\$\s?\d", {"$"}),
        (r"\b(earn|make|made)\s+\$", {"earn", "make", "made"}),
        (r"\b(earn|make)?\s+money", {"money"}),
        (r"(a|)b", {"b"}),
        (r"\d+", None),
        (r"(?<=vote )\w+", None),
        (r"(?i:Vote) now", {"vote"}),
        (r"(👏|🔥)", None),
    ],
)
def test_necessary_literals(pattern: str, literals: set[str] | None) -> None:
    found = necessary_literals(pattern)
    assert (set(found) if found is not None else None) == literals


def _full(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


@pytest.mark.parametrize("text", TEXTS)
def test_same_matches_as_the_full_scan(text: str) -> None:
    folded = normalize(text).folded
    pattern_set = PatternSet(SPAM)
    expected = [match.span() for match in _full(SPAM).finditer(folded)]
    assert [match.span() for match in pattern_set.finditer(folded)] == expected
    # also on the raw text, which may hold capitals and IGNORECASE twins of ASCII letters
    raw = [match.span() for match in _full(SPAM).finditer(text)]
    assert [match.span() for match in pattern_set.finditer(text)] == raw


def test_twin_letters_still_match() -> None:
    pattern_set = PatternSet([r"\bscam\b", r"\bkiwi\b"])
    assert [m.group() for m in pattern_set.finditer("a ſcam and a \u212aiwi")] == ["ſcam", "\u212aiwi"]


def test_nothing_scanned_when_no_literal_occurs() -> None:
    index = LiteralIndex()
    pattern_set = PatternSet(SPAM[:5], index)
    assert index.present("nothing to see") == frozenset()
    assert list(pattern_set.finditer("nothing to see")) == []
    assert index.present("dm me now") >= {"dm me"}


def test_one_index_serves_several_sets() -> None:
    index = LiteralIndex()
    first, second = PatternSet([r"\bvote\b"], index), PatternSet([r"\bgreens?\b"], index)
    present = index.present("Vote Greens")
    assert present == {"vote", "green"}
    assert [m.group() for m in first.finditer("Vote Greens", present)] == ["Vote"]
    assert [m.group() for m in second.finditer("Vote Greens", present)] == ["Greens"]


def test_ignorecase_twins_are_every_non_ascii_match_of_an_ascii_character() -> None:
    every_other = "".join(chr(code) for code in range(0x80, 0x110000) if not 0xD800 <= code <= 0xDFFF)
    found = {match.group() for match in re.finditer(r"[\x00-\x7f]", every_other, re.IGNORECASE)}
    assert found == IGNORECASE_TWINS
