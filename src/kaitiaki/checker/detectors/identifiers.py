"""Validated identifiers: NZ IRD, NHI, bank account, phone, email, street address, payment card,
driver licence and passport numbers, and case references (a claim, case, application or policy
number).

Every candidate is checked before it is reported: check digits (IRD mod 11 with the secondary
weighting, NHI mod 11 / mod 24, bank account per Payments NZ via python-stdnum, Luhn for cards),
number plans (phonenumbers, region NZ) or the shape plus a context word (licence, passport, claim).
A number that fails its check is reported only where a context word says what it was meant to be
("IRD number 49-091-851"), and then below 0.5 confidence: an invalid checksum never fires at full
confidence.

One pre-filter regex finds digit runs; the validators only look inside those runs, so a text without
digits costs one scan. phonenumbers and python-stdnum are imported by the functions that use them;
a pack's compile imports them (`load_validators`), so a serving worker does so before traffic but
not while importing the application (docs/performance.md).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

from kaitiaki.checker.detectors.spans import DisjointSpans, keep_non_overlapping
from kaitiaki.policy.schema import IDENTIFIER_ENTITIES

# the entities a pack's rules may name (policy.schema) are the ones found here
ENTITIES = IDENTIFIER_ENTITIES
# Below this a match is a hint, not a finding (invalid checksums, lower-case street names).
FULL_CONFIDENCE = 0.5
# Bounds on the slower validators (phonenumbers, the bank branch register) for pathological input:
# only the first MAX_DIGIT_RUNS digit runs of a text are validated, and a run longer than
# MAX_PHONE_RUN characters ("1 2 3 4 ...") is not searched for phone numbers.
MAX_DIGIT_RUNS = 400
MAX_PHONE_RUN = 64
INVALID_WITH_CONTEXT = 0.3


@dataclass(frozen=True, slots=True)
class IdentifierMatch:
    entity: str
    start: int
    end: int
    text: str
    valid: bool
    confidence: float
    # More detail where it matters to callers: phone "mobile" | "fixed_line" | "toll_free" | "other";
    # email "generic" (info@, media@ ...) | "personal".
    subtype: str = ""


# --- check digits -----------------------------------------------------------------------------

_IRD_PRIMARY = (3, 2, 7, 6, 5, 4, 3, 2)
_IRD_SECONDARY = (7, 4, 3, 2, 5, 2, 7, 6)
IRD_MIN, IRD_MAX = 10_000_000, 150_000_000


def ird_check_digit(base: str) -> int | None:
    """The IRD check digit for the digits before it (None: no digit works, the number is invalid)."""
    digits = base.zfill(8)
    for weights in (_IRD_PRIMARY, _IRD_SECONDARY):
        remainder = sum(w * int(d) for w, d in zip(weights, digits)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            return check
    return None


def is_valid_ird(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    if len(digits) not in (8, 9) or not IRD_MIN <= int(digits) <= IRD_MAX:
        return False
    return ird_check_digit(digits[:-1]) == int(digits[-1])


_NHI_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O


def _nhi_value(char: str) -> int:
    return int(char) if char.isdigit() else _NHI_LETTERS.index(char) + 1


def is_valid_nhi(nhi: str) -> bool:
    """HISO 10046 check: old AAANNNC (mod 11, check digit) and new AAANNAX (mod 24, check letter).

    The new format's modulus is 24, as in the published standard and its test numbers (ZZZ00AX);
    an early draft said 23.
    """
    nhi = nhi.upper()
    if not _NHI_SHAPE.fullmatch(nhi):
        return False
    values = [_nhi_value(char) for char in nhi]
    total = sum(value * weight for value, weight in zip(values, (7, 6, 5, 4, 3, 2)))
    if nhi[-1].isdigit():
        remainder = total % 11
        return remainder != 0 and (11 - remainder) % 10 == values[-1]
    return 24 - total % 24 == values[-1]


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_brand(digits: str) -> str | None:
    """The card scheme for a number's issuer prefix and length, or None when none fits."""
    length = len(digits)
    two, four = int(digits[:2]), int(digits[:4])
    if digits[0] == "4" and length in (13, 16, 19):
        return "visa"
    if (51 <= two <= 55 or 2221 <= four <= 2720) and length == 16:
        return "mastercard"
    if two in (34, 37) and length == 15:
        return "amex"
    if (digits.startswith("6011") or two == 65 or 644 <= int(digits[:3]) <= 649) and 16 <= length <= 19:
        return "discover"
    if (two in (36, 38, 39) or 300 <= int(digits[:3]) <= 305) and length == 14:
        return "diners"
    if 3528 <= four <= 3589 and 16 <= length <= 19:
        return "jcb"
    if two == 62 and 16 <= length <= 19:
        return "unionpay"
    if (two == 50 or 56 <= two <= 69) and 12 <= length <= 19:
        return "maestro"
    return None


# --- patterns ---------------------------------------------------------------------------------

# The pre-filter: a run of digits and separators at least six characters long.
_DIGIT_RUN = re.compile(r"\+?\(?\d[\d \t().\-–/]{4,}\d")
_IRD = re.compile(r"(?<![\d\-–])(?:\d{2,3}([- ])\d{3}\1\d{3}|\d{8,9})(?![\d\-–])")
_BANK = re.compile(r"(?<![\d\-–])\d{2}([- ]?)\d{4}\1\d{7}\1\d{2,3}(?![\d\-–])")
_CARD = re.compile(
    r"(?<![\d\-–])(?:\d{4}([- ])\d{4}\1\d{4}\1\d{1,7}|\d{4}([- ])\d{6}\2\d{4,5}|\d{13,19})(?![\d\-–])"
)
_NHI_SHAPE = re.compile(r"[A-HJ-NP-Z]{3}(?:\d{4}|\d{2}[A-HJ-NP-Z]{2})")
_ALNUM_ID = re.compile(r"(?<![\w-])(?:[A-Za-z]{3}\d{2}(?:\d{2}|[A-Za-z]{2})|[A-Za-z]{2}\d{6})(?![\w-])")
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?![\w\-])")

_STREET_TYPES = (
    "Street|St|Road|Rd|Avenue|Ave|Place|Pl|Crescent|Cres|Terrace|Tce|Drive|Dr|Lane|Ln|Way|Quay|"
    "Parade|Pde|Highway|Hwy|Boulevard|Blvd|Close|Cl|Court|Ct|Grove|Gr|Rise|Heights|Hts|Mews|"
    "Esplanade|Square|Sq|Track|View|Glen|Row|Loop|Mall|Promenade|Walk|Crest|Strand|Motorway|Gardens"
)
_NAME_WORD = r"[^\W\d_][\w'’\-]*"
_CAP_WORD = r"(?-i:[A-ZĀĒĪŌŪ][\w'’\-]*)"
_ADDRESS = re.compile(
    r"(?<![\w/])(?:(?:flat|unit|apt|apartment|level)\s*\d{1,4}[a-z]?,?\s+)?"
    r"(?P<number>\d{1,5}[a-z]?(?:\s*/\s*\d{1,5}[a-z]?)?),?\s+"
    r"(?P<name>(?:" + _NAME_WORD + r"\s+){1,3}?)"
    r"(?P<type>" + _STREET_TYPES + r")\b\.?"
    r"(?P<place>(?:,\s*" + _CAP_WORD + r"(?:\s" + _CAP_WORD + r")?){0,2})"
    r"(?P<postcode>,?\s+\d{4}(?!\d))?",
    re.IGNORECASE,
)

# Small words that stay lower case inside capitalised street names ("Te Ara o Tahu Road").
_NAME_PARTICLES = frozenset({"te", "o", "a", "de", "la", "le", "van", "von", "du", "des", "of", "the"})
# Street types that are also everyday words: they need a capitalised street name.
_EVERYDAY_STREET_TYPES = frozenset(
    "way close view walk row loop mall track rise glen crest court gardens square place strand "
    "parade drive lane grove dr pl gr cl ct st".split()
)
_IRD_CONTEXT = re.compile(r"\b(?:ird|tax|inland revenue|tin|gst)\b", re.IGNORECASE)
_NHI_CONTEXT = re.compile(r"\b(?:nhi|national health index|health number|patient)\b", re.IGNORECASE)
_BANK_CONTEXT = re.compile(r"\b(?:bank|account|acc|a/c|deposit|pay)", re.IGNORECASE)
_CARD_CONTEXT = re.compile(r"\b(?:card|visa|mastercard|amex|credit|debit|cvv|expiry)\b", re.IGNORECASE)
_LICENCE_CONTEXT = re.compile(r"\b(?:licen[cs]e|driver'?s?|driving|dl)\b", re.IGNORECASE)
_PASSPORT_CONTEXT = re.compile(r"\bpassports?\b", re.IGNORECASE)
# A claim, case, application or policy number named as one ("claim EQC-2291-4478", "ACC claim
# number 10045678", "case ref CR-2024-0091"): agencies' own reference shapes vary, so the word
# before it says what it is (a bare "ref" could be anything: an IRD number, a booking). At least
# five digits, and not a year or a span of years ("application 2025-26"). Its confidence sits
# under every validated number's, so "ref 49-091-850" stays an IRD number.
_CASE_REFERENCE = re.compile(
    r"\b(?:claim|case|application|policy)\s*(?:number|no\.?|num|ref|reference)?\s*[:#]?\s*"
    r"(?P<id>(?:[A-Z]{2,5}[- ]?)?\d[\d-]{3,}\d)\b", re.IGNORECASE)
_YEARS = re.compile(r"(?:19|20)\d{2}(?:-(?:\d{2}|(?:19|20)\d{2}))?")

GENERIC_MAILBOXES = frozenset(
    "info enquiries enquiry inquiries contact contactus hello admin support help helpdesk "
    "feedback media press news communications comms socialmedia social office reception "
    "oia privacy complaints webmaster noreply no-reply donotreply service services team "
    "general mail sales accounts bookings events careers recruitment jobs secretariat".split()
)


def _context(pattern: re.Pattern[str], text: str, start: int, end: int, before: int = 60, after: int = 30) -> re.Match[str] | None:
    return pattern.search(text, max(0, start - before), min(len(text), end + after))


def _match(entity: str, text: str, start: int, end: int, valid: bool, confidence: float, subtype: str = "") -> IdentifierMatch:
    return IdentifierMatch(entity, start, end, text[start:end], valid, confidence, subtype)


# --- finders ----------------------------------------------------------------------------------


def _find_ird(text: str, start: int, end: int, found: list[IdentifierMatch]) -> None:
    for match in _IRD.finditer(text, start, end):
        has_context = _context(_IRD_CONTEXT, text, match.start(), match.end()) is not None
        if is_valid_ird(match.group()):
            confidence = 0.98 if has_context else 0.85 if match.group(1) else 0.7
            found.append(_match("nz_ird", text, match.start(), match.end(), True, confidence))
        elif has_context:
            found.append(_match("nz_ird", text, match.start(), match.end(), False, INVALID_WITH_CONTEXT))


def _find_bank(text: str, start: int, end: int, found: list[IdentifierMatch]) -> None:
    from stdnum.exceptions import InvalidChecksum, ValidationError
    from stdnum.nz import bankaccount

    for match in _BANK.finditer(text, start, end):
        number = match.group()
        has_context = _context(_BANK_CONTEXT, text, match.start(), match.end()) is not None
        # Written 01-0242-0100194-00 the shape alone says "bank account"; a bare run needs a word.
        says_bank = has_context or bool(match.group(1))
        try:
            bankaccount.validate(number)
        except InvalidChecksum:
            if says_bank:
                found.append(_match("nz_bank_account", text, match.start(), match.end(), False, INVALID_WITH_CONTEXT))
            continue
        except ValidationError:  # no such bank or branch
            if says_bank:
                found.append(_match("nz_bank_account", text, match.start(), match.end(), False, 0.2))
            continue
        confidence = 0.98 if says_bank else 0.9
        found.append(_match("nz_bank_account", text, match.start(), match.end(), True, confidence))


def _find_card(text: str, start: int, end: int, found: list[IdentifierMatch]) -> None:
    for match in _CARD.finditer(text, start, end):
        digits = re.sub(r"\D", "", match.group())
        if not 13 <= len(digits) <= 19:
            continue
        has_context = _context(_CARD_CONTEXT, text, match.start(), match.end()) is not None
        if not luhn_valid(digits):
            if has_context:
                found.append(_match("payment_card", text, match.start(), match.end(), False, INVALID_WITH_CONTEXT))
            continue
        brand = card_brand(digits)
        if not brand or (not has_context and _context(_BANK_CONTEXT, text, match.start(), match.end())):
            confidence = 0.4  # a bare run near "account" is more likely a bank account with a typo
        else:
            confidence = 0.98 if has_context else 0.9
        found.append(_match("payment_card", text, match.start(), match.end(), True, confidence, brand or ""))


_SAMPLE = "021 123 4567, 12-3140-0171323-50"  # a phone number and a bank account


def load_validators() -> None:
    """Import the validators and read their data (the NZ number plan, the bank branch register)
    now, when a pack that looks for identifiers is compiled, so that no check waits for them."""
    find_identifiers(_SAMPLE)


@cache
def _phone_subtypes() -> dict[int, str]:
    from phonenumbers import PhoneNumberType

    return {
        PhoneNumberType.MOBILE: "mobile",
        PhoneNumberType.FIXED_LINE: "fixed_line",
        PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line",
        PhoneNumberType.TOLL_FREE: "toll_free",
        PhoneNumberType.SHARED_COST: "toll_free",
    }


def _find_phone(text: str, start: int, end: int, found: list[IdentifierMatch]) -> None:
    window = text[start:end]
    if sum(char.isdigit() for char in window) < 7:
        return
    import phonenumbers
    from phonenumbers import Leniency, PhoneNumberMatcher

    for match in PhoneNumberMatcher(window, "NZ", leniency=Leniency.VALID):
        # NZ numbers are written with the trunk 0 or as +64: a bare 8-digit run is something else.
        if not match.raw_string.lstrip("(").startswith(("0", "+")):
            continue
        subtype = _phone_subtypes().get(phonenumbers.number_type(match.number), "other")
        found.append(_match("nz_phone", text, start + match.start, start + match.end, True, 0.95, subtype))


def _find_alnum(text: str, wanted: Collection[str], found: list[IdentifierMatch]) -> None:
    for match in _ALNUM_ID.finditer(text):
        value = match.group()
        if len(value) == 7 and "nz_nhi" in wanted:
            has_context = _context(_NHI_CONTEXT, text, match.start(), match.end()) is not None
            if is_valid_nhi(value):
                confidence = 0.98 if has_context else 0.9 if value.isupper() else 0.45
                found.append(_match("nz_nhi", text, match.start(), match.end(), True, confidence))
            elif has_context and _NHI_SHAPE.fullmatch(value.upper()):
                found.append(_match("nz_nhi", text, match.start(), match.end(), False, INVALID_WITH_CONTEXT))
        elif len(value) == 8:
            licence = _context(_LICENCE_CONTEXT, text, match.start(), match.end())
            passport = _context(_PASSPORT_CONTEXT, text, match.start(), match.end())
            if licence and passport:
                # Both words nearby: the nearer one names the number.
                nearer_licence = abs(licence.start() - match.start()) <= abs(passport.start() - match.start())
                passport = None if nearer_licence else passport
                licence = licence if nearer_licence else None
            if licence and "nz_driver_licence" in wanted:
                found.append(_match("nz_driver_licence", text, match.start(), match.end(), True, 0.85))
            elif passport and "nz_passport" in wanted:
                found.append(_match("nz_passport", text, match.start(), match.end(), True, 0.85))


def _find_case_reference(text: str, found: list[IdentifierMatch]) -> None:
    for match in _CASE_REFERENCE.finditer(text):
        value = match.group("id")
        if sum(char.isdigit() for char in value) < 5 or _YEARS.fullmatch(value):
            continue
        found.append(_match("case_reference", text, match.start("id"), match.end("id"), True, 0.55))


def _find_email(text: str, found: list[IdentifierMatch]) -> None:
    for match in _EMAIL.finditer(text):
        local = match.group().split("@", 1)[0]
        if local.startswith(".") or local.endswith(".") or ".." in local:
            continue
        subtype = "generic" if local.casefold() in GENERIC_MAILBOXES else "personal"
        found.append(_match("email", text, match.start(), match.end(), True, 0.95, subtype))


def _find_address(text: str, found: list[IdentifierMatch]) -> None:
    for match in _ADDRESS.finditer(text):
        name_words = match.group("name").split()
        capitalised = [word[0].isupper() or word.casefold() in _NAME_PARTICLES for word in name_words]
        if not all(capitalised) or not any(word[0].isupper() for word in name_words):
            # "a 5 minute drive" reads like an address only to a regex; "2024 grant close" not even that.
            if match.group("type").casefold() not in _EVERYDAY_STREET_TYPES:
                found.append(_match("nz_street_address", text, match.start(), match.end(), True, 0.45))
            continue
        end = match.end()
        while end > match.start() and text[end - 1] in " ,":
            end -= 1
        confidence = 0.95 if match.group("place") or match.group("postcode") else 0.85
        found.append(_match("nz_street_address", text, match.start(), end, True, confidence))


def _resolve_overlaps(found: list[IdentifierMatch]) -> list[IdentifierMatch]:
    """Keep the most confident reading of each stretch of text; a longer match wins a tie."""
    # An "IRD" word nearby settles a 9-digit run that is also a valid landline number.
    said_ird = DisjointSpans(
        (m.start, m.end) for m in found if m.entity == "nz_ird" and (m.confidence >= 0.98 or not m.valid)
    )
    candidates = [m for m in found if not (m.entity == "nz_phone" and said_ird.overlaps(m.start, m.end))]
    return keep_non_overlapping(
        candidates, lambda m: (m.start, m.end), lambda m: (-m.confidence, m.start - m.end, m.start)
    )


def find_identifiers(text: str, entities: Collection[str] | None = None) -> list[IdentifierMatch]:
    """Every validated identifier in `text` (all kinds, or only `entities`), overlaps resolved."""
    wanted = frozenset(ENTITIES if entities is None else entities)
    unknown = wanted - set(ENTITIES)
    if unknown:
        raise ValueError(f"unknown identifier entities: {', '.join(sorted(unknown))}; known: {', '.join(ENTITIES)}")
    found: list[IdentifierMatch] = []
    if wanted & {"nz_ird", "nz_bank_account", "payment_card", "nz_phone"}:
        for validated, run in enumerate(_DIGIT_RUN.finditer(text)):
            if validated >= MAX_DIGIT_RUNS:
                break  # a text of thousands of numbers is flagged long before this; bound the cost
            start, end = run.span()
            if "nz_ird" in wanted:
                _find_ird(text, start, end, found)
            if "nz_bank_account" in wanted:
                _find_bank(text, start, end, found)
            if "payment_card" in wanted:
                _find_card(text, start, end, found)
            if "nz_phone" in wanted and end - start <= MAX_PHONE_RUN:
                _find_phone(text, start, end, found)
    if wanted & {"nz_nhi", "nz_driver_licence", "nz_passport"}:
        _find_alnum(text, wanted, found)
    if "case_reference" in wanted and _ANY_DIGIT.search(text):
        _find_case_reference(text, found)
    if "email" in wanted and "@" in text:
        _find_email(text, found)
    if "nz_street_address" in wanted and _ANY_DIGIT.search(text):
        _find_address(text, found)
    return _resolve_overlaps(found)


_ANY_DIGIT = re.compile(r"\d")
