"""Withholding personal information under section 9(2)(a) of the Official Information Act 1982
("to protect the privacy of natural persons").

What is withheld: the names, contact details, identifiers and addresses of members of the public
(complainants, commenters) and of staff who are not senior leaders. Senior leaders (people who
hold a pack role marked `senior: true`) act in public for the agency, so their names stay.

Three sources find what to withhold, and every replacement is listed in the schedule:

- the checker's detectors: validated identifiers (emails, phone numbers, street addresses, IRD,
  NHI, bank, card, licence and passport numbers) and person names;
- the names Kaitiaki knows: staff, complainants and comment authors (full names; for members of
  the public also each part of the name, since a reply may use only one), and authors' handles;
- whole fields that are personal by nature (a complainant's contact details, a comment's author).

An agency's generic mailboxes (info@, socialmedia@ ...) and 0800 / 0508 numbers are not personal
and stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kaitiaki.checker.detectors.identifiers import FULL_CONFIDENCE, find_identifiers
from kaitiaki.checker.detectors.personal import find_person_names

WITHHELD = "[withheld under s9(2)(a)]"
GROUND = "s9(2)(a): to protect the privacy of natural persons"
MIN_NAME_PART = 3
# The kinds a schedule names, by what was found.
ENTITY_KINDS = {
    "email": "email address", "nz_phone": "phone number", "nz_street_address": "street address",
    "nz_ird": "identifier", "nz_nhi": "identifier", "nz_bank_account": "identifier",
    "payment_card": "identifier", "nz_driver_licence": "identifier", "nz_passport": "identifier",
    "case_reference": "identifier",
}


@dataclass(frozen=True)
class Withholding:
    file: str
    record: str
    field: str
    kind: str  # "name", "email address", "phone number", "street address", "identifier", "handle"
    ground: str = GROUND


@dataclass(frozen=True)
class KnownPeople:
    """Names Kaitiaki holds. `private_*` are withheld wherever they appear; `released` are
    senior leaders' names, which the name detector must leave alone."""

    private_names: frozenset[str] = frozenset()
    public_member_names: frozenset[str] = frozenset()
    private_handles: frozenset[str] = frozenset()
    released: frozenset[str] = frozenset()


def _alternation(terms: Iterable[str], *, ignore_case: bool = True) -> re.Pattern[str] | None:
    cleaned = sorted({t.strip() for t in terms if t and t.strip()}, key=lambda t: (-len(t), t))
    if not cleaned:
        return None
    body = "|".join(re.escape(term) for term in cleaned)
    return re.compile(rf"(?<![\w@.])(?:{body})(?![\w])", re.IGNORECASE if ignore_case else 0)


def _released_folded(people: KnownPeople) -> set[str]:
    return {name.casefold() for name in people.released}


def _full_name_terms(people: KnownPeople) -> set[str]:
    """Whole names, found in any letter case: "aroha ngata" is still Aroha Ngata."""
    released = _released_folded(people)
    return {name for name in people.private_names | people.public_member_names
            if name.casefold() not in released}


def _name_part_terms(people: KnownPeople) -> set[str]:
    """Each part of a member of the public's name, since a reply may use only one. A part stands
    for the person only written as a name is (capitalised): a commenter called "Cheap Deals" makes
    "Deals" a name, never the word "deals"."""
    released = _released_folded(people)
    parts = {part for name in people.public_member_names for part in re.split(r"[\s\-]+", name)
             if len(part) >= MIN_NAME_PART and part[:1].isupper() and part.isalpha()}
    return {part for part in parts if part.casefold() not in released}


def _handle_terms(handles: Iterable[str]) -> set[str]:
    """A handle with its @ always; bare only when it cannot be an ordinary word (it has a digit,
    an underscore, a dot or a capital inside), so "@deals" does not withhold "deals"."""
    terms: set[str] = set()
    for handle in handles:
        bare = handle.strip().removeprefix("@")
        if len(bare) >= MIN_NAME_PART:
            terms.add(f"@{bare}")
            if not bare.isalpha() or any(ch.isupper() for ch in bare[1:]):
                terms.add(bare)
    return terms


@dataclass
class Redactor:
    """Replaces personal information with WITHHELD and records each replacement."""

    people: KnownPeople
    withholdings: list[Withholding] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._names = _alternation(_full_name_terms(self.people))
        self._name_parts = _alternation(_name_part_terms(self.people), ignore_case=False)
        self._handles = _alternation(_handle_terms(self.people.private_handles))
        self._released = {name.casefold() for name in self.people.released}

    def withhold(self, value: str | None, *, file: str, record: str, field_name: str,
                 kind: str) -> str:
        """A whole field that is personal by nature: withheld when it holds anything."""
        if not value or not str(value).strip():
            return ""
        self.withholdings.append(Withholding(file, record, field_name, kind))
        return WITHHELD

    def redact(self, text: str | None, *, file: str, record: str, field_name: str) -> str:
        """Free text with every personal detail in it replaced."""
        if not text:
            return ""
        spans = self._spans(text)
        if not spans:
            return text
        pieces: list[str] = []
        cursor = 0
        for start, end, kind in spans:
            pieces.append(text[cursor:start])
            pieces.append(WITHHELD)
            cursor = end
            self.withholdings.append(Withholding(file, record, field_name, kind))
        pieces.append(text[cursor:])
        return "".join(pieces)

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        for match in find_identifiers(text):
            if match.confidence < FULL_CONFIDENCE:
                continue
            if match.entity == "email" and match.subtype == "generic":
                continue
            if match.entity == "nz_phone" and match.subtype == "toll_free":
                continue
            found.append((match.start, match.end, ENTITY_KINDS[match.entity]))
        for pattern, kind in ((self._names, "name"), (self._name_parts, "name"),
                              (self._handles, "handle")):
            if pattern is not None:
                found.extend((m.start(), m.end(), kind) for m in pattern.finditer(text))
        for span in find_person_names(text):
            if not self._is_released(span.text):
                found.append((span.start, span.end, "name"))
        return _merged(found)

    def _is_released(self, name: str) -> bool:
        folded = name.casefold().strip()
        return any(folded == released or folded in released.split() or folded in released
                   for released in self._released)


def _merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping spans joined into one; the kind of the first (longest at that start) wins."""
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
        if merged and start < merged[-1][1]:
            last_start, last_end, last_kind = merged[-1]
            merged[-1] = (last_start, max(last_end, end), last_kind)
        else:
            merged.append((start, end, kind))
    return merged


__all__ = ["GROUND", "KnownPeople", "Redactor", "WITHHELD", "Withholding"]
