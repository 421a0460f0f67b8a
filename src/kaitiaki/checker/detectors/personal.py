"""Personal information: a person's name next to their contact details, an identifier, an address
or health details.

A name alone is not a breach ("Kia ora Tom, thanks for your question"), and neither is a named
public official doing official business ("Our Minister, Hon Chris Bishop, opened the centre"), nor
an agency's own contact details (0800/0508 numbers, info@ / media@ style inboxes).

Names are found by heuristics, not a register: a title (Mr, Ms, Dr, Sir, Dame ...) before
capitalised words; a common given name (detectors/data/given_names.txt, English, Māori, Pasifika and
Asian names common in NZ) before a capitalised family name, or alone when the name is not also an
ordinary word; a capitalised word that a workplace relation introduces ("my colleague Rangi",
"Mel from our comms team"), since a colleague is named that way whatever the name; "my name is ...";
and name-like email addresses (tom.smith@...).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from kaitiaki.checker.detectors.gazetteer import TermMatcher
from kaitiaki.checker.detectors.identifiers import FULL_CONFIDENCE, GENERIC_MAILBOXES, IdentifierMatch
from kaitiaki.checker.detectors.spans import DisjointSpans, keep_non_overlapping
from kaitiaki.checker.normalize import Normalized, SentenceIndex, Span, fold_term, normalize

KINDS = ("contact", "identifier", "address", "health")
NEARBY_CHARS = 80
SENTENCE_REACH = 400  # a very long "sentence" (no punctuation) pairs names only this far apart
MAX_NAME_CHARS = 120

TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "prof", "professor", "whaea", "matua"})
# Words before (or right after) a name that make it a public office holder acting in office.
OFFICIAL_WORDS = frozenset(
    "hon honourable rt minister ministers mp mps mayor councillor cr judge justice commissioner "
    "ambassador governor-general premier spokesperson spokeswoman spokesman chief executive "
    "director-general secretary ombudsman".split()
)
# Capitalised words that end a run of name words: places and organisations, not family names.
NOT_FAMILY_NAMES = frozenset(
    "street st road rd avenue ave place terrace drive lane way highway hospital school college "
    "university council ministry department agency park centre center bank ltd limited trust group "
    "house library day party team club church marae station airport city district region "
    "board office service services foundation institute society association company "
    "the and or but of in on at for to from with by a an i we you he she they it this that "
    "kia ora tena koe koutou korua nau mai haere ka pai thanks thank hi hello dear regards "
    "monday tuesday wednesday thursday friday saturday sunday january february march april june "
    "july august september october november december new zealand aotearoa".split()
)
# A run of capitals followed by one of these is a place named after someone or somewhere
# ("Tamatea High School hall", "Te Aroha Memorial Hall"), not a person. The first set never ends
# a person's name, so it also counts inside the run ("Tamatea Intermediate"); the second are
# family names too ("Greg Hall", "Helen Park"), so they count only after it.
PLACE_WORDS = frozenset(
    "school college university hospital centre center marae church library station airport stadium "
    "domain reserve kura intermediate grammar academy hotel motel lodge clinic pool pools arena wharf".split()
)
PLACE_OR_FAMILY_WORDS = frozenset("hall park bridge stream river beach".split())
# An address right after a public place ("Motueka Recreation Centre, 100 Old Wharf Road", "the
# school gym, 50 Lytton Road") is that place's, not a person's, whoever is named nearby. Hotels,
# motels and hospitals are left out: where a person is staying or being treated is theirs.
_PUBLIC_PLACE_WORDS = (PLACE_WORDS - {"hospital", "hotel", "motel", "lodge", "clinic", "grammar"}) | {"gym", "hub"}
_PLACE_BEFORE_ADDRESS = re.compile(
    r"\b(?:" + "|".join(sorted(_PUBLIC_PLACE_WORDS)) + r"|(?:town|memorial|community|war|church|school|scout|"
    r"civic|sports|village|public|rsa|marae) (?:hall|park|grounds))\s*[,:(\u2013-]?\s*(?:at\s+)?$",
    re.IGNORECASE,
)
# "my colleague Rangi": the word after these is a person's name, even one that is also an ordinary word
RELATION_WORDS = frozenset(
    "colleague colleagues workmate workmates teammate teammates co-worker co-workers coworker coworkers "
    "manager boss supervisor".split()
)
# "Mel from our comms team": a name before these words
_FROM_OUR_TEAM = re.compile(
    r"\s+(?:from|in|on) (?:our|my|the) (?:[\w'’\-]+ ){0,3}?(?:team|office|unit|branch|shift|crew|desk)\b", re.IGNORECASE)
_OFFICE_CONNECTORS = frozenset({"for", "of", "the", "and", "associate", "deputy", "our", "local"})
_SENTENCE_END = re.compile(r"[.!?;:]\s|\n")
NAME_PARTICLES = frozenset({"van", "von", "der", "den", "de", "da", "di", "du", "le", "la", "te", "o", "bin", "binti", "al"})

DEFAULT_HEALTH_TERMS = (
    "diabetes", "cancer", "tumour", "leukaemia", "hiv", "aids", "hepatitis", "depression", "anxiety",
    "bipolar", "schizophrenia", "ptsd", "adhd", "autism", "dementia", "alzheimer's", "epilepsy",
    "stroke", "heart attack", "heart disease", "asthma", "covid", "covid-19", "pregnant", "pregnancy",
    "miscarriage", "abortion", "ivf", "nervous breakdown", "mental breakdown", "mental health",
    "mental illness", "eating disorder", "addiction", "alcoholism", "overdose", "suicidal", "self-harm",
    "disability", "disabled", "chemotherapy", "chemo", "radiotherapy", "dialysis", "surgery", "operation",
    "in hospital", "hospitalised", "icu", "medication", "prescription", "terminal", "illness", "infection",
    "std", "sti", "insulin", "oxygen machine", "oxygen tank", "oxygen concentrator", "chest pain",
    "chest pains", "broken hip", "concussion", "head injury",
)
# A health term counts as a person's health detail only right after words like these.
HEALTH_CUES = frozenset(
    "has had have having is was were with diagnosed suffers suffering suffered living his her their "
    "your my from for treated admitted got getting battling fighting recovering after following "
    "starts starting started undergoing underwent needs needing".split()
)

_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_POSSESSIVE = re.compile(r"['’]s$")
_INTRODUCTION = re.compile(
    r"\b(?:my name is|my name's|i am called|name:)\s+(?P<name>[^\W\d_][\w\-]*(?-i:\s+[A-ZĀĒĪŌŪ][\w\-]*)?)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PersonName:
    span: Span
    confidence: float
    official: bool  # a public office holder named with their office
    source: str  # title | full_name | given_name | introduction | email


@dataclass(frozen=True, slots=True)
class PersonalInfoMatch:
    kind: str  # contact | identifier | address | health
    name: Span
    detail: Span
    confidence: float


@cache
def given_names() -> tuple[frozenset[str], frozenset[str]]:
    """(names, ambiguous names) from the packaged list, folded (case and macrons ignored)."""
    text = resources.files("kaitiaki.checker.detectors").joinpath("data/given_names.txt").read_text("utf-8")
    names: set[str] = set()
    ambiguous: set[str] = set()
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        target = ambiguous if line.startswith("~") else names
        target.add(fold_term(line.lstrip("~")))
    return frozenset(names), frozenset(ambiguous - names)


@lru_cache(maxsize=16384)
def _name_key(word: str) -> str:
    """A capitalised word as looked up in the given-name list (folded, possessive dropped)."""
    return fold_term(_POSSESSIVE.sub("", word))


@cache
def _default_health_terms() -> TermMatcher:
    return TermMatcher(DEFAULT_HEALTH_TERMS)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and not (len(word) > 1 and word.isupper() and len(word) <= 3 and word.casefold() in TITLES)


def _official(words: list[re.Match[str]], first: int, last: int, text: str) -> bool:
    """Is the name made of words[first..last] introduced or followed by a public office?"""
    # Walk back over the office's own words ("Minister for Emergency Management", "Rt Hon").
    cursor = first - 1
    while cursor >= 0 and first - cursor <= 8:
        if _SENTENCE_END.search(text, words[cursor].end(), words[cursor + 1].start()):
            break
        word = words[cursor].group()
        folded = word.casefold().rstrip(".")
        if folded in OFFICIAL_WORDS:
            return True
        if not (word[:1].isupper() or folded in _OFFICE_CONNECTORS):
            break
        cursor -= 1
    after = [w.group().casefold() for w in words[last + 1:last + 2]]
    # "Chris Bishop, Minister for Housing" / "Jane Smith MP"
    gap = text[words[last].end():words[last + 1].start()] if last + 1 < len(words) else ""
    return bool(after) and after[0] in OFFICIAL_WORDS and len(gap) <= 3


def _family_name_end(words: list[re.Match[str]], index: int, text: str) -> int:
    """Index of the last word of a family name starting after words[index], or `index` if none."""
    last = index
    cursor = index + 1
    while cursor < len(words) and cursor - index <= 3:
        word = words[cursor].group()
        gap = text[words[cursor - 1].end():words[cursor].start()]
        if gap not in (" ", "-"):
            break
        folded = word.casefold()
        if folded in NAME_PARTICLES and cursor + 1 < len(words):
            cursor += 1
            continue
        if not word[:1].isupper() or folded in NOT_FAMILY_NAMES or folded in TITLES or folded in OFFICIAL_WORDS:
            break
        if word.isupper() and len(word) <= 4:
            break  # NHI, IRD, NZ: acronyms, not family names
        last = cursor
        cursor += 1
        if folded.endswith(("'s", "’s")):
            break  # "Jane Doe's phone": the name ends at the possessive
    return last


def _colleague(words: list[re.Match[str]], index: int, text: str) -> bool:
    """Is words[index] introduced as a colleague ("my teammate Rangi", "Mel from our comms team")?"""
    if index > 0 and words[index - 1].group().casefold() in RELATION_WORDS \
            and not text[words[index - 1].end():words[index].start()].strip():
        return True
    # "Civil Defence from our team" is an organisation: the name must start its run of capitals
    starts_run = index == 0 or not _is_capitalised(words[index - 1].group()) \
        or _SENTENCE_END.search(text, words[index - 1].end(), words[index].start()) is not None
    return starts_run and _FROM_OUR_TEAM.match(text, words[index].end()) is not None


def find_people(text: str, identifiers: list[IdentifierMatch] | None = None) -> list[PersonName]:
    """Every person name found, officials included (flagged), non-overlapping, in text order."""
    names, ambiguous = given_names()
    words = list(_WORD.finditer(text))
    people: list[PersonName] = []
    index = 0
    while index < len(words):
        word = words[index].group()
        if not word[:1].isupper():
            index += 1
            continue
        folded = _name_key(word)
        person: tuple[int, int, float, str] | None = None  # first word, last word, confidence, source
        if folded.rstrip(".") in TITLES and _is_capitalised(word):
            last = _family_name_end(words, index, text)
            if last > index:
                person = (index, last, 0.9, "title")
        elif _is_capitalised(word) and (folded in names or folded in ambiguous):
            last = index if word.endswith(("'s", "’s")) else _family_name_end(words, index, text)
            if last > index:
                person = (index, last, 0.85, "full_name")
            elif folded in names and not word.isupper():
                person = (index, index, 0.6, "given_name")
            elif _colleague(words, index, text):
                person = (index, index, 0.8, "colleague")
        elif _is_capitalised(word) and not word.isupper() and folded not in NOT_FAMILY_NAMES \
                and folded not in OFFICIAL_WORDS and _colleague(words, index, text):
            last = index if word.endswith(("'s", "’s")) else _family_name_end(words, index, text)
            person = (index, last, 0.8, "colleague")
        if person is not None and person[3] != "title" and _names_a_place(words, person[0], person[1], text):
            index = person[1] + 1
            continue
        if person is None:
            index += 1
            continue
        first, last, confidence, source = person
        start, end = words[first].start(), words[last].end()
        if text[end - 2:end] in ("'s", "’s"):
            end -= 2
        official = _official(words, first, last, text)
        people.append(PersonName(Span(start, end, text[start:end]), confidence, official, source))
        index = last + 1
    for match in _INTRODUCTION.finditer(text):
        span = Span(match.start("name"), match.end("name"), match.group("name"))
        people.append(PersonName(span, 0.8, False, "introduction"))
    for identifier in identifiers or ():
        if identifier.entity == "email":
            person_from_email = _name_from_email(identifier, names)
            if person_from_email is not None:
                people.append(person_from_email)
    return _without_overlaps(people, identifiers or [])


def _names_a_place(words: list[re.Match[str]], first: int, last: int, text: str) -> bool:
    """Do the name words words[first..last], with what follows them, name a place ("Tamatea High
    School", "Tamatea Intermediate")? Only a capitalised place word counts: "Hemi's school run" is
    about a person."""
    def place_word(cursor: int, words_that_count: frozenset[str]) -> bool:
        word = words[cursor].group()
        return _is_capitalised(word) and word.casefold() in words_that_count

    if any(place_word(cursor, PLACE_WORDS) for cursor in range(first + 1, last + 1)):
        return True
    for cursor in (last + 1, last + 2):
        if cursor >= len(words) or text[words[cursor - 1].end():words[cursor].start()] != " ":
            return False
        if place_word(cursor, PLACE_WORDS | PLACE_OR_FAMILY_WORDS):
            return True
        if not _is_capitalised(words[cursor].group()):
            return False
    return False


def _name_from_email(identifier: IdentifierMatch, names: frozenset[str]) -> PersonName | None:
    local = identifier.text.split("@", 1)[0]
    if local.casefold() in GENERIC_MAILBOXES:
        return None
    parts = [part for part in re.split(r"[._\-]", local) if part]
    if not parts or fold_term(parts[0]) not in names:
        return None
    confidence = 0.85 if len(parts) >= 2 and parts[1].isalpha() and len(parts[1]) > 1 else 0.6
    span = Span(identifier.start, identifier.start + len(local), local)
    return PersonName(span, confidence, False, "email")


def _without_overlaps(people: list[PersonName], identifiers: list[IdentifierMatch]) -> list[PersonName]:
    # Street names ("12 Grace Street") are not people; names inside an email come from the email.
    blocked = DisjointSpans((m.start, m.end) for m in identifiers if m.entity in ("nz_street_address", "email"))
    candidates = [p for p in people if p.source == "email" or not blocked.overlaps(p.span.start, p.span.end)]
    return keep_non_overlapping(
        candidates, lambda p: (p.span.start, p.span.end), lambda p: (p.span.start - p.span.end, -p.confidence)
    )


def find_person_names(text: str) -> list[Span]:
    """Names of private people (public officials in office excluded), in text order."""
    return [person.span for person in find_people(text) if not person.official]


def _detail_kind(match: IdentifierMatch) -> str | None:
    """What kind of personal detail an identifier is, or None when it is not a person's detail."""
    if match.confidence < FULL_CONFIDENCE:
        return None
    if match.entity == "nz_phone":
        return None if match.subtype == "toll_free" else "contact"
    if match.entity == "email":
        return None if match.subtype == "generic" else "contact"
    if match.entity == "nz_street_address":
        return "address"
    return "identifier"


def _health_details(text: str, health_terms: TermMatcher | None, norm: Normalized | None) -> list[Span]:
    matcher = health_terms or _default_health_terms()
    details = []
    for start, end, found in matcher.find(norm if norm is not None else normalize(text)):
        preceding = [w.group().casefold() for w in _WORD.finditer(text, max(0, start - 30), start)][-2:]
        # "Mereana's insulin": a possessive right before the term is as good as "her"
        if any(word in HEALTH_CUES for word in preceding) or (preceding and _POSSESSIVE.search(preceding[-1])):
            details.append(Span(start, end, found))
    return details


def find_personal_information(
    text: str,
    identifiers: list[IdentifierMatch],
    health_terms: TermMatcher | None = None,
    norm: Normalized | None = None,
) -> list[PersonalInfoMatch]:
    """A private person's name with a contact detail, identifier, address or health detail in the
    same sentence (or within 80 characters). One match per detail, with the nearest name.

    `norm` (the text already normalised) saves normalising it again for the health terms.
    """
    details: list[tuple[str, Span, float]] = []
    for match in identifiers:
        kind = _detail_kind(match)
        if kind == "address" and _PLACE_BEFORE_ADDRESS.search(text, max(0, match.start - 60), match.start):
            continue
        if kind is not None:
            details.append((kind, Span(match.start, match.end, match.text), match.confidence))
    details.extend(("health", span, 0.8) for span in _health_details(text, health_terms, norm))
    if not details:
        return []
    people = [person for person in find_people(text, identifiers) if not person.official]
    if not people:
        return []
    sentence_index = SentenceIndex(text)
    people.sort(key=lambda p: p.span.start)
    starts = [person.span.start for person in people]
    found: list[PersonalInfoMatch] = []
    for kind, detail, detail_confidence in details:
        best: tuple[int, float, PersonName] | None = None  # gap, confidence, person
        detail_sentence = sentence_index.index(detail.start)
        # Only names close enough to matter: same sentence within SENTENCE_REACH, or NEARBY_CHARS.
        first = bisect_left(starts, detail.start - SENTENCE_REACH - MAX_NAME_CHARS)
        last = bisect_right(starts, detail.end + SENTENCE_REACH)
        for person in people[first:last]:
            name = person.span
            if person.source == "email" and not (name.start >= detail.start and name.end <= detail.end):
                continue  # a name read from an email address speaks only for that address
            if name.start < detail.end and detail.start < name.end and person.source != "email":
                continue
            gap = max(detail.start - name.end, name.start - detail.end, 0)
            same_sentence = sentence_index.index(name.start) == detail_sentence
            if not same_sentence and gap > NEARBY_CHARS:
                continue
            confidence = min(person.confidence, detail_confidence) * (1.0 if same_sentence else 0.9)
            if best is None or gap < best[0]:
                best = (gap, confidence, person)
        if best is not None:
            found.append(PersonalInfoMatch(kind, best[2].span, detail, round(best[1], 2)))
    return sorted(found, key=lambda m: (m.detail.start, m.detail.end))
