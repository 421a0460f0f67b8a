"""The DPMC pack's lexicon data: well-formed, unambiguous, and right on the phrases that matter.

Hits and hard negatives run through the real gazetteer (Aho-Corasick, case and context rules), so a
lexicon edit that makes "Labour Day" or "countdown to the exercise" fire fails here.
"""

from __future__ import annotations

import os
import unicodedata
from functools import cache
from pathlib import Path

import pytest
import yaml

from kaitiaki.checker.detectors.gazetteer import Gazetteer
from kaitiaki.checker.normalize import normalize
from kaitiaki.policy import build_company_gazetteer, build_government_bodies
from kaitiaki.policy.schema import Lexicon

LEXICONS = Path(__file__).resolve().parents[2] / "src" / "kaitiaki" / "policy" / "packs" / "dpmc" / "lexicons"
DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"
EXPECTED = {
    "nz_political_actors", "ministerial_titles", "security_classifications", "nz_companies", "companies_global",
    "nz_news_media", "nz_government_bodies", "link_shorteners", "evaluative_language", "government_references",
    "advice_to_ministers", "confidential_markers", "health_terms", "abuse_terms", "threat_terms",
    "grievance_terms", "work_disclosure_terms", "spam_terms",
}
FILES = sorted(LEXICONS.glob("*.yaml"))


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


@cache
def parsed(path: Path) -> dict:
    """The file as yaml.safe_load gives it (the C parser, same result), parsed once per run: the
    generated lexicons are large and several tests read each. Tests must not change what it returns."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def load(name: str) -> dict:
    return parsed(LEXICONS / f"{name}.yaml")


_gazetteers: dict[str, Gazetteer] = {}


def found(lexicon: str, text: str) -> list[str]:
    """Names of the entries of `lexicon` that the gazetteer finds in `text`."""
    if lexicon not in _gazetteers:
        data = load(lexicon)
        _gazetteers[lexicon] = Gazetteer.from_lexicon(lexicon, data["entries"], data.get("exclude", []))
    return sorted({match.entry.name for match in _gazetteers[lexicon].find(normalize(text))})


def test_every_lexicon_the_rules_name_is_shipped() -> None:
    assert {path.stem for path in FILES} == EXPECTED


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_lexicon_validates_and_every_entry_is_sourced_and_dated(path: Path) -> None:
    lexicon = Lexicon.model_validate(parsed(path))
    assert lexicon.name == path.stem
    assert lexicon.description, f"{path.stem} needs a description saying what it holds and where it comes from"
    for entry in lexicon.entries:
        assert entry.source.strip() and entry.as_of, entry.name


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_no_phrase_names_two_things_in_one_lexicon(path: Path) -> None:
    """A phrase folded the way the matcher folds it belongs to one entry, once."""
    owner: dict[str, str] = {}
    for entry in parsed(path)["entries"]:
        unrestricted = [entry["name"], *entry.get("aliases", [])]
        restricted = entry.get("case_sensitive", []) + entry.get("needs_context", [])
        keys = [fold(phrase) for phrase in unrestricted] + sorted({fold(phrase) for phrase in restricted})
        assert len(set(keys[: len(unrestricted)])) == len(unrestricted), f"{entry['name']}: an alias repeats"
        for key in set(keys):
            assert owner.setdefault(key, entry["name"]) == entry["name"], (
                f"{key!r} names both {owner[key]!r} and {entry['name']!r}")


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_restricted_words_are_never_also_plain_aliases(path: Path) -> None:
    """'National' listed case-sensitive must not also match freely as the name or an alias."""
    for entry in parsed(path)["entries"]:
        restricted = entry.get("case_sensitive", []) + entry.get("needs_context", [])
        # a name spelled exactly like a restricted phrase is that phrase, restricted too
        free = {fold(phrase): phrase for phrase in [entry["name"], *entry.get("aliases", [])] if phrase not in restricted}
        for phrase in restricted:
            assert free.get(fold(phrase), phrase) == phrase, (
                f"{entry['name']}: {free[fold(phrase)]!r} matches freely what {phrase!r} restricts")


def test_enough_nz_companies_across_the_sectors() -> None:
    entries = load("nz_companies")["entries"]
    assert len(entries) >= 150
    sectors = {entry["type"] for entry in entries}
    assert {"airline", "supermarket", "bank", "telco", "retailer", "fast_food", "energy", "insurer"} <= sectors


def test_mps_carry_their_party() -> None:
    for entry in load("nz_political_actors")["entries"]:
        if entry["type"] in {"mp", "leader", "slogan"}:
            assert entry.get("attributes", {}).get("party"), entry["name"]


def test_people_are_never_matched_by_a_bare_surname() -> None:
    for entry in load("nz_political_actors")["entries"]:
        if entry["type"] in {"mp", "leader", "former_leader", "former_pm"}:
            for phrase in [entry["name"], *entry.get("aliases", [])]:
                assert len(phrase.split()) >= 2, f"{entry['name']}: {phrase!r} is a single word"
            # a leader's distinctive surname or nickname ("Luxon", "Chippy") may stand alone, but
            # only capitalised as written, so "chippy" the chip shop and lower-case words never count
            for phrase in entry.get("needs_context", []):
                if len(phrase.split()) < 2:
                    assert phrase in entry.get("case_sensitive", []), f"{entry['name']}: {phrase!r} is a single word"


@pytest.mark.parametrize(("lexicon", "text", "expected"), [
    ("nz_political_actors", "Vote National on Saturday!", "party vote National"),
    ("nz_political_actors", "Party vote Green for a better future", "party vote Green"),
    ("nz_political_actors", "The Greens want a wealth tax, says the party.", "Green Party of Aotearoa New Zealand"),
    ("nz_political_actors", "#VoteLabour", "party vote Labour"),
    ("nz_political_actors", "Chris Bishop announced the funding", "Chris Bishop"),
    ("nz_political_actors", "Te Pāti Māori held a hui", "Te Pāti Māori"),
    ("nz_political_actors", "Follow @NZNationalParty", "New Zealand National Party"),
    ("nz_political_actors", "NZ First MP David Wilson said so", "David Wilson"),
    ("security_classifications", "Attached: the RESTRICTED Cabinet paper", "RESTRICTED (security classification)"),
    ("security_classifications", "TOP SECRET: do not copy", "TOP SECRET (security classification)"),
    ("security_classifications", "This page is BUDGET SENSITIVE", "BUDGET SENSITIVE"),
    ("security_classifications", "Document marked IN-CONFIDENCE", "IN-CONFIDENCE (security classification)"),
    ("nz_companies", "Big specials at Countdown this week, shop now", "Woolworths New Zealand"),
    ("nz_companies", "Thanks to Spark for sponsoring the event", "Spark New Zealand"),
    ("nz_companies", "Fly Air NZ to Wellington", "Air New Zealand"),
    ("nz_companies", "Grab a Whittaker's bar", "Whittaker's"),
    ("nz_government_bodies", "Follow @NZCivilDefence for updates", "National Emergency Management Agency"),
    ("nz_government_bodies", "MetService has issued a red warning", "Meteorological Service of New Zealand"),
    ("nz_government_bodies", "Fire and Emergency crews are on scene", "Fire and Emergency New Zealand"),
    ("nz_government_bodies", "Te Whatu Ora is running clinics", "Health New Zealand"),
    ("nz_news_media", "As RNZ reported this morning", "RNZ"),
    ("ministerial_titles", "The Minister for Emergency Management and Recovery visited", "Minister for Emergency Management and Recovery"),
    ("advice_to_ministers", "Here's the draft Cabinet paper we sent", "Cabinet paper"),
    ("confidential_markers", "Embargoed until 6am Thursday", "embargoed until"),
    ("threat_terms", "We know where you live", "we know where you live"),
    ("spam_terms", "Earn $500 a day, DM me", "DM me"),
])
def test_must_match(lexicon: str, text: str, expected: str) -> None:
    assert expected in found(lexicon, text)


@pytest.mark.parametrize(("lexicon", "text"), [
    ("nz_political_actors", "Our offices are closed on Labour Day."),
    ("nz_political_actors", "The National Emergency Management Agency leads the response."),
    ("nz_political_actors", "Visit a national park these holidays."),
    ("nz_political_actors", "The national anthem will be sung in te reo Māori."),
    ("nz_political_actors", "Your rights under the Privacy Act and the Official Information Act."),
    ("nz_political_actors", "Act now: make a plan for your whānau."),
    ("nz_political_actors", "Enjoy the green space at the park."),
    ("nz_political_actors", "The labour market is tight this year."),
    ("nz_political_actors", "Bishop Brown led the service."),
    ("nz_political_actors", "Services are back on track after the outage."),
    ("nz_political_actors", "This is a New Zealand first for earthquake science."),
    ("nz_political_actors", "Top marks to the volunteers."),
    ("security_classifications", "The secret to a good emergency kit is water."),
    ("security_classifications", "Restricted access to the beach after the storm."),
    ("security_classifications", "Please treat this as sensitive and confidential."),
    ("security_classifications", "She told me in confidence."),
    ("nz_companies", "Countdown to the exercise: three days to go."),
    ("nz_companies", "It's a new world for emergency alerts."),
    ("nz_companies", "Keep your water tank topped up."),
    ("nz_companies", "Contact us on 0800 for help."),
    ("nz_companies", "State Highway 1 is closed."),
    ("nz_companies", "Mercury is visible tonight."),
    ("nz_companies", "Federated Farmers and rural support trusts are helping."),
    ("nz_companies", "A spark started the fire."),
    ("nz_government_bodies", "Homes and communities were damaged."),
    ("nz_news_media", "The press conference starts at 1pm."),
    ("nz_news_media", "Please post the form to us."),
    ("ministerial_titles", "The session starts at 4 PM."),
    ("threat_terms", "Our crews are killing it this week."),
    ("abuse_terms", "Kia ora Hori, thanks for your question."),
    ("companies_global", "Target the waste management plan for the general public."),
])
def test_must_not_match(lexicon: str, text: str) -> None:
    assert found(lexicon, text) == []


needs_data = pytest.mark.skipif(not DATA_DIR.is_dir() and not os.environ.get("CI"),
                                reason=f"{DATA_DIR} is absent (tests that rebuild generated lexicons need it)")


@needs_data
@pytest.mark.parametrize("builder", [build_government_bodies, build_company_gazetteer],
                         ids=["nz_government_bodies", "companies_global"])
def test_generated_lexicons_are_up_to_date(builder) -> None:
    assert builder.main(["--data-dir", str(DATA_DIR), "--check"]) == 0
