"""Validated identifiers: table-driven cases, recall on generated valid numbers, and no
full-confidence finding for a number with a wrong check digit."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import stdnum
from stdnum.nz import bankaccount, ird

from kaitiaki.checker.detectors.identifiers import (
    FULL_CONFIDENCE,
    IdentifierMatch,
    find_identifiers,
    is_valid_ird,
    is_valid_nhi,
)

# --- generators (independent of the detector's own check-digit code) ----------------------------

NHI_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _nhi_code(char: str) -> int:
    return int(char) if char.isdigit() else NHI_LETTERS.index(char) + 1


def nhi_check(first_six: str) -> str | None:
    """HISO 10046 check character for six characters; None where no check character exists."""
    total = sum(_nhi_code(c) * w for c, w in zip(first_six, range(7, 1, -1)))
    if first_six[-1].isdigit():
        remainder = total % 11
        return None if remainder == 0 else str((11 - remainder) % 10)
    return NHI_LETTERS[24 - total % 24 - 1]


def generate_nhi(rng: random.Random) -> str:
    while True:
        letters = "".join(rng.choice(NHI_LETTERS) for _ in range(3))
        if rng.random() < 0.5:
            six = letters + f"{rng.randrange(1000):03d}"
        else:
            six = letters + f"{rng.randrange(100):02d}" + rng.choice(NHI_LETTERS)
        check = nhi_check(six)
        if check is not None:
            return six + check


def generate_ird(rng: random.Random) -> str:
    while True:
        base = f"{rng.randrange(1_000_000, 15_000_000):08d}"
        check = ird.calc_check_digit(base)
        number = (base + check).lstrip("0")
        if len(check) == 1 and 10_000_000 <= int(number) <= 150_000_000:
            return number


def _branches() -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    bank = ""
    data = Path(stdnum.__file__).parent / "nz" / "banks.dat"
    for line in data.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\d\d ", line):
            bank = line[:2]
        elif match := re.match(r"^ ([\d,\-]+) branch=", line):
            for part in match.group(1).split(","):
                first, _, last = part.partition("-")
                for branch in range(int(first), int(last or first) + 1):
                    pairs.append((bank, f"{branch:04d}"))
    return pairs


BRANCHES = _branches()


def generate_bank_account(rng: random.Random) -> str:
    while True:
        bank, branch = rng.choice(BRANCHES)
        number = bank + branch + f"{rng.randrange(10**7):07d}" + f"{rng.randrange(100):03d}"
        if bankaccount.is_valid(number):
            return number


def _luhn_digit(partial: str) -> str:
    total = 0
    for index, char in enumerate(reversed(partial)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            value = value - 9 if value > 9 else value
        total += value
    return str((10 - total % 10) % 10)


CARD_PREFIXES = [("4", 16), ("4", 13), ("51", 16), ("55", 16), ("2221", 16), ("34", 15), ("37", 15), ("6011", 16)]


def generate_card(rng: random.Random) -> str:
    prefix, length = rng.choice(CARD_PREFIXES)
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return body + _luhn_digit(body)


# --- formatting -------------------------------------------------------------------------------


def format_ird(number: str, rng: random.Random) -> str:
    head = number[:-6]
    style = rng.choice(["plain", "dash", "space"])
    if style == "plain":
        return number
    separator = "-" if style == "dash" else " "
    return separator.join([head, number[-6:-3], number[-3:]])


def format_bank(number: str, rng: random.Random) -> str:
    parts = [number[:2], number[2:6], number[6:13], number[13:] if rng.random() < 0.5 else number[14:]]
    return rng.choice(["-", " ", ""]).join(parts)


def format_card(number: str, rng: random.Random) -> str:
    if len(number) == 16 and rng.random() < 0.6:
        return rng.choice([" ", "-"]).join(number[i:i + 4] for i in range(0, 16, 4))
    if len(number) == 15 and rng.random() < 0.6:
        return " ".join([number[:4], number[4:10], number[10:]])
    return number


TEMPLATES = {
    "nz_ird": ["My IRD number is {}.", "IRD: {}", "{} is my tax number", "Please update {} thanks", "ref {}"],
    "nz_nhi": ["My NHI is {}", "Patient {} was seen", "{}", "The number {} was on the letter"],
    "nz_bank_account": ["Pay into {} please", "bank account {}", "{}", "Acc no. {} (Kiwibank)"],
    "payment_card": ["card {} exp 12/29", "{}", "Visa: {}.", "charged to {} yesterday"],
}
GENERATORS: dict[str, tuple[Callable[[random.Random], str], Callable[[str, random.Random], str]]] = {
    "nz_ird": (generate_ird, format_ird),
    "nz_nhi": (generate_nhi, lambda number, rng: number),
    "nz_bank_account": (generate_bank_account, format_bank),
    "payment_card": (generate_card, format_card),
}


def _hit(matches: list[IdentifierMatch], entity: str, start: int, end: int) -> bool:
    return any(
        m.entity == entity and m.valid and m.confidence >= FULL_CONFIDENCE and m.start == start and m.end == end
        for m in matches
    )


@pytest.mark.parametrize("entity", sorted(GENERATORS))
def test_recall_on_generated_valid_numbers(entity: str) -> None:
    rng = random.Random(f"recall-{entity}")
    generate, format_number = GENERATORS[entity]
    samples = 1200
    found = 0
    for _ in range(samples):
        written = format_number(generate(rng), rng)
        template = rng.choice(TEMPLATES[entity])
        text = template.format(written)
        start = template.index("{}")
        if _hit(find_identifiers(text), entity, start, start + len(written)):
            found += 1
    assert found / samples >= 0.98, f"{entity}: recall {found / samples:.3f}"


def _wrong_check_digit(entity: str, number: str, rng: random.Random) -> str | None:
    if entity == "nz_nhi":
        alphabet = "0123456789" if number[-1].isdigit() else NHI_LETTERS
        return number[:-1] + rng.choice([c for c in alphabet if c != number[-1]])
    if entity == "nz_bank_account":
        # Change a digit of the account base; a few banks (Citibank) carry no checksum at all.
        for _ in range(20):
            position = rng.randrange(9, 13)
            digit = rng.choice([d for d in "0123456789" if d != number[position]])
            candidate = number[:position] + digit + number[position + 1:]
            if not bankaccount.is_valid(candidate):
                return candidate
        return None
    return number[:-1] + rng.choice([d for d in "0123456789" if d != number[-1]])


@pytest.mark.parametrize("entity", sorted(GENERATORS))
def test_a_wrong_check_digit_never_fires_at_full_confidence(entity: str) -> None:
    rng = random.Random(f"invalid-{entity}")
    generate, format_number = GENERATORS[entity]
    reported_low = 0
    checked = 0
    while checked < 1000:
        wrong = _wrong_check_digit(entity, generate(rng), rng)
        if wrong is None:
            continue
        checked += 1
        written = format_number(wrong, rng)
        template = rng.choice(TEMPLATES[entity])
        text = template.format(written)
        start = template.index("{}")
        end = start + len(written)
        overlapping = [m for m in find_identifiers(text) if m.start < end and start < m.end]
        assert all(m.confidence < FULL_CONFIDENCE for m in overlapping), (text, overlapping)
        assert all(not m.valid for m in overlapping if m.entity == entity), (text, overlapping)
        reported_low += any(m.entity == entity for m in overlapping)
    assert reported_low > 0  # with a context word the typo is still reported, as a hint


def test_ird_check_digit_agrees_with_python_stdnum() -> None:
    rng = random.Random(11)
    for _ in range(5000):
        number = str(rng.randrange(9_000_000, 160_000_000))
        assert is_valid_ird(number) == ird.is_valid(number), number


@pytest.mark.parametrize(
    ("nhi", "valid"),
    [
        # Test numbers published with HISO 10046 (the Z range is reserved for testing).
        ("ZZZ0016", True), ("ZZZ0024", True), ("ZAA0067", True), ("ZAC5361", True),
        ("ZZZ00AX", True), ("ZVU27KZ", True), ("ZHW58CN", True), ("ZLV86AX", True),
        ("ZZZ0044", False), ("ZZZ0017", False), ("ZZZ00AA", False), ("ZVU27KY", False),
        ("ZIZ0016", False), ("ZZ0016", False),
    ],
)
def test_nhi_check(nhi: str, valid: bool) -> None:
    assert is_valid_nhi(nhi) is valid


def _entities(text: str, minimum: float = FULL_CONFIDENCE) -> list[tuple[str, str]]:
    return [(m.entity, m.text) for m in find_identifiers(text) if m.confidence >= minimum]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My IRD number is 49-091-850.", [("nz_ird", "49-091-850")]),
        ("IRD number 049091850", [("nz_ird", "049091850")]),
        ("NHI ZZZ0016", [("nz_nhi", "ZZZ0016")]),
        ("Account 01-0242-0100194-00", [("nz_bank_account", "01-0242-0100194-00")]),
        ("01 0242 0100194 000", [("nz_bank_account", "01 0242 0100194 000")]),
        ("Card 4111 1111 1111 1111", [("payment_card", "4111 1111 1111 1111")]),
        ("Text me on 021 555 1234", [("nz_phone", "021 555 1234")]),
        ("Call +64 4 817 9698 or (04) 817 9698", [("nz_phone", "+64 4 817 9698"), ("nz_phone", "(04) 817 9698")]),
        ("Freephone 0800 22 22 00", [("nz_phone", "0800 22 22 00")]),
        ("Email tom.smith@example.co.nz.", [("email", "tom.smith@example.co.nz")]),
        ("She lives at 12 Queen Street, Thorndon, Wellington 6011.", [("nz_street_address", "12 Queen Street, Thorndon, Wellington 6011")]),
        ("Flat 2, 14a Te Awa Road", [("nz_street_address", "Flat 2, 14a Te Awa Road")]),
        ("at 2/14 Smith St", [("nz_street_address", "2/14 Smith St")]),
        ("My driver licence number is DL123456", [("nz_driver_licence", "DL123456")]),
        ("passport no. LA123456", [("nz_passport", "LA123456")]),
        ("Rangiora claim EQC-2291-4478: your visit is on Friday", [("case_reference", "EQC-2291-4478")]),
        ("ACC claim number 10045678", [("case_reference", "10045678")]),
        ("case ref CR-2024-0091", [("case_reference", "CR-2024-0091")]),
    ],
)
def test_finds_identifiers(text: str, expected: list[tuple[str, str]]) -> None:
    assert _entities(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Budget 2024 puts $1,250,000,000 into resilience.",
        "Open 8.30am to 5pm, Monday 12/03/2024.",
        "Population 5,223,100 in 2023",
        "Reference AB123456 for your records",  # licence/passport shape without a context word
        "It is a 5 minute drive from town",
        "Call 111 in an emergency",
        "The score was 49091851 points",  # fails the IRD check
        "Order 4111111111111112",  # fails Luhn, no card word
        "Room ABC1234 is booked",  # NHI shape but wrong check digit, no NHI word
        "email us at @ the office",
        "Applications for 2025-26 close on Friday",  # a span of years, not a case number
        "Your claim 1234 is being processed",  # too few digits to identify anyone
    ],
)
def test_ordinary_numbers_are_not_identifiers(text: str) -> None:
    assert _entities(text) == []


def test_phone_and_email_subtypes_tell_agency_contacts_apart() -> None:
    by_text = {m.text: m.subtype for m in find_identifiers(
        "Call 0800 22 22 00 or 021 555 1234, email info@civildefence.govt.nz or tom@example.nz"
    )}
    assert by_text == {
        "0800 22 22 00": "toll_free", "021 555 1234": "mobile",
        "info@civildefence.govt.nz": "generic", "tom@example.nz": "personal",
    }


def test_ird_context_settles_a_number_that_is_also_a_landline() -> None:
    assert _entities("call 049091850") == [("nz_phone", "049091850")]
    assert _entities("IRD 049091850") == [("nz_ird", "049091850")]


def test_lower_case_street_names_stay_below_full_confidence() -> None:
    matches = find_identifiers("meet at 12 queen street")
    assert [(m.entity, m.confidence < FULL_CONFIDENCE) for m in matches] == [("nz_street_address", True)]
    assert find_identifiers("Applications for the Budget 2024 grant close on Friday") == []
    assert find_identifiers("a 5 minute drive away") == []


def test_entities_filter_and_unknown_entity() -> None:
    text = "IRD 49-091-850, phone 021 555 1234"
    assert [m.entity for m in find_identifiers(text, ["nz_phone"])] == ["nz_phone"]
    with pytest.raises(ValueError, match="unknown identifier entities: nz_tfn"):
        find_identifiers(text, ["nz_tfn"])


def test_offsets_are_on_the_original_text() -> None:
    text = "Kia ora! Tō mātou IRD: 49-091-850 — ka pai"
    for match in find_identifiers(text):
        assert text[match.start:match.end] == match.text
