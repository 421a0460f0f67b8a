"""Lexicon matching, with the hard negatives ARCHITECTURE names handled by lexicon data."""

from __future__ import annotations

import pytest

from kaitiaki.checker.detectors.gazetteer import GazEntry, Gazetteer, TermMatcher
from kaitiaki.checker.normalize import normalize

POLITICAL = [
    {
        "name": "New Zealand National Party", "type": "party",
        "aliases": ["National Party", "te Rōpū Nāhinara", "Nats"],
        "case_sensitive": ["National"], "needs_context": ["National"],
        "context": ["party", "vote", "MP", "leader", "caucus", "campaign", "election"],
        "handles": ["@NZNationalParty"],
    },
    {"name": "New Zealand Labour Party", "type": "party", "aliases": ["Labour", "Labour Party"]},
    {"name": "ACT New Zealand", "type": "party", "case_sensitive": ["ACT"]},
    {
        "name": "Green Party of Aotearoa New Zealand", "type": "party",
        "aliases": ["Green Party", "the Greens"], "case_sensitive": ["Green"],
    },
    {"name": "Te Pāti Māori", "type": "party", "aliases": ["Māori Party"]},
    {"name": "Christopher Luxon", "type": "leader", "aliases": ["Chris Luxon", "Luxon"]},
]
POLITICAL_EXCLUDE = [
    "Labour Day", "labour market", "National Emergency Management Agency", "national park",
    "Privacy Act", "Act now", "a green space",
]
COMPANIES = [
    {"name": "Countdown", "type": "supermarket", "case_sensitive": ["Countdown"],
     "needs_context": ["Countdown"], "context": ["supermarket", "shop", "store", "groceries", "sale"]},
    {"name": "Air New Zealand", "type": "airline", "aliases": ["Air NZ"]},
]


@pytest.fixture(scope="module")
def political() -> Gazetteer:
    return Gazetteer.from_lexicon("nz_political_actors", POLITICAL, exclude=POLITICAL_EXCLUDE)


@pytest.fixture(scope="module")
def companies() -> Gazetteer:
    return Gazetteer.from_lexicon("nz_companies", COMPANIES)


def _found(gazetteer: Gazetteer, text: str) -> list[tuple[str, str]]:
    return [(match.text, match.entry.name) for match in gazetteer.find(normalize(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vote National on Saturday!", [("National", "New Zealand National Party")]),
        ("VOTE NATIONAL", [("NATIONAL", "New Zealand National Party")]),
        ("Party vote Labour.", [("Labour", "New Zealand Labour Party")]),
        ("L4b0ur's plan", [("L4b0ur", "New Zealand Labour Party")]),
        ("Support the Nаtional Pаrty", [("Nаtional Pаrty", "New Zealand National Party")]),
        ("te Ropu Nahinara", [("te Ropu Nahinara", "New Zealand National Party")]),
        ("Follow @NZNationalParty", [("@NZNationalParty", "New Zealand National Party")]),
        ("Vote Green", [("Green", "Green Party of Aotearoa New Zealand")]),
        ("The Green Party says", [("Green Party", "Green Party of Aotearoa New Zealand")]),
        ("ACT wants lower taxes", [("ACT", "ACT New Zealand")]),
        ("Te Pati Maori and the Māori Party", [("Te Pati Maori", "Te Pāti Māori"), ("Māori Party", "Te Pāti Māori")]),
        ("Chris Luxon spoke", [("Chris Luxon", "Christopher Luxon")]),
    ],
)
def test_finds_entries_on_the_original_text(political: Gazetteer, text: str, expected: list) -> None:
    assert _found(political, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Our offices are closed on Labour Day.",
        "The National Emergency Management Agency has issued a warning.",
        "Visit a national park this summer.",
        "The national anthem was sung.",  # lower case, no context
        "The National Library opens at nine.",  # capitalised but no political context
        "We are building a green space for the community.",
        "green buildings save energy",
        "The Privacy Act 2020 applies.",
        "Act now to get ready for an emergency.",
        "The new act passed its third reading.",
        "labour market statistics",
        "Kia ora koutou, nau mai haere mai ki Te Tai Tokerau.",
        "Nationality, Labourer, Greenery, Actually",  # no match inside longer words
        "The National Emergency Management Agency will vote on nothing.",
    ],
)
def test_hard_negatives(political: Gazetteer, text: str) -> None:
    assert _found(political, text) == []


def test_needs_context_only_within_the_same_sentence(political: Gazetteer) -> None:
    assert _found(political, "National is strong. The vote is Saturday.") == []
    assert _found(political, "National will win the vote. The sky is blue.") == [
        ("National", "New Zealand National Party")
    ]


def test_brand_words_in_ordinary_use(companies: Gazetteer) -> None:
    assert _found(companies, "The countdown to the exercise has started.") == []
    assert _found(companies, "Countdown to the exercise: 3 days.") == []
    assert _found(companies, "Shop at Countdown for the sale!") == [("Countdown", "Countdown")]
    assert _found(companies, "Fly Air NZ today") == [("Air NZ", "Air New Zealand")]


def test_longest_match_wins() -> None:
    gazetteer = Gazetteer(
        [
            ("New Zealand", GazEntry("places", "New Zealand", "country")),
            ("Air New Zealand", GazEntry("companies", "Air New Zealand", "airline")),
        ]
    )
    matches = gazetteer.find(normalize("Fly Air New Zealand to New Zealand"))
    assert [(m.text, m.entry.name, m.start) for m in matches] == [
        ("Air New Zealand", "Air New Zealand", 4),
        ("New Zealand", "New Zealand", 23),
    ]


def test_one_alias_shared_by_two_entries_reports_both() -> None:
    first = GazEntry("a", "First", "t")
    second = GazEntry("b", "Second", "t")
    matches = Gazetteer([("Kiwi", first), ("kiwi", second)]).find(normalize("a kiwi"))
    assert {m.entry.name for m in matches} == {"First", "Second"}
    assert {(m.start, m.end) for m in matches} == {(2, 6)}


def test_types_filter_and_empty_lexicon() -> None:
    leaders_only = Gazetteer.from_lexicon("nz_political_actors", POLITICAL, types={"leader"})
    assert _found(leaders_only, "Labour and Luxon") == [("Luxon", "Christopher Luxon")]
    assert Gazetteer([]).find(normalize("anything")) == []


def test_offsets_survive_zero_width_and_decomposed_macrons(political: Gazetteer) -> None:
    text = "Join te Ro\u0304pu\u0304 Na\u0304hinara and La\u200bbour"
    matches = political.find(normalize(text))
    assert [text[m.start:m.end] for m in matches] == ["te Ro\u0304pu\u0304 Na\u0304hinara", "La\u200bbour"]
    assert [m.text for m in matches] == [text[m.start:m.end] for m in matches]


def test_term_matcher() -> None:
    matcher = TermMatcher(["diabetes", "mental health", "mental"], exclude=["mental arithmetic"])
    text = "Tom has DIABETES and mental health issues; mental arithmetic is fine."
    assert matcher.find(normalize(text)) == [(8, 16, "DIABETES"), (21, 34, "mental health")]
    assert matcher.find_terms(normalize("diabetic? no: Diabetes"))[0][3] == "diabetes"
    assert TermMatcher([]).find(normalize("diabetes")) == []


def test_maori_words_and_names_are_not_party_mentions_when_the_lexicon_says_so() -> None:
    lexicon = [
        {
            "name": "Te Pāti Māori", "type": "party", "aliases": ["Māori Party", "Te Pāti Māori"],
            "case_sensitive": ["Māori"], "needs_context": ["Māori"],
            "context": ["party", "vote", "MP", "co-leader", "election"],
        },
        {"name": "Rawiri Waititi", "type": "mp", "aliases": ["Rāwiri Waititi", "Waititi"]},
    ]
    gazetteer = Gazetteer.from_lexicon(
        "nz_political_actors", lexicon, exclude=["te reo Māori", "Māori wards", "Māori Language Week"]
    )
    for text in [
        "Celebrate te reo Māori with us this week.",
        "Te Wiki o te Reo Māori: Māori Language Week starts today, vote for your favourite kupu.",
        "Māori wards were discussed at the council meeting before the vote.",
        "Kia ora koutou, nau mai haere mai ki te marae.",
        "māori health providers are open",
    ]:
        assert _found(gazetteer, text) == [], text
    assert _found(gazetteer, "Party vote Maori!") == [("Maori", "Te Pāti Māori")]
    assert _found(gazetteer, "Te Pati Maori and Rawiri Waititi") == [
        ("Te Pati Maori", "Te Pāti Māori"), ("Rawiri Waititi", "Rawiri Waititi"),
    ]
