"""Personal information: a name with a detail is a finding; a name alone, an official in office or
an agency's own contact details are not."""

from __future__ import annotations

import pytest

from kaitiaki.checker.detectors.gazetteer import TermMatcher
from kaitiaki.checker.detectors.identifiers import find_identifiers
from kaitiaki.checker.detectors.personal import (
    find_people,
    find_person_names,
    find_personal_information,
    given_names,
)


def _personal(text: str, health: TermMatcher | None = None) -> list[tuple[str, str, str]]:
    return [
        (m.kind, m.name.text, m.detail.text)
        for m in find_personal_information(text, find_identifiers(text), health)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sarah Jones's mobile is 021 555 1234", [("contact", "Sarah Jones", "021 555 1234")]),
        ("Contact Mrs Mere Parata on 04 817 9698.", [("contact", "Mrs Mere Parata", "04 817 9698")]),
        ("Email tom.smith@gmail.com for the keys", [("contact", "tom.smith", "tom.smith@gmail.com")]),
        ("Sione Tuilagi lives at 14 Kiwi Road, Porirua", [("address", "Sione Tuilagi", "14 Kiwi Road, Porirua")]),
        ("My name is Wiremu and my IRD number is 49-091-850", [("identifier", "Wiremu", "49-091-850")]),
        ("Dr Smith's NHI is ZZZ0016", [("identifier", "Dr Smith", "ZZZ0016")]),
        ("Mrs Aroha Te Whiu has been diagnosed with cancer", [("health", "Mrs Aroha Te Whiu", "cancer")]),
        ("Kia ora Tom, we have your number as 027 123 4567", [("contact", "Tom", "027 123 4567")]),
        ("Tom Smith MP spoke. Jane Doe's phone: 021 555 1234", [("contact", "Jane Doe", "021 555 1234")]),
        ("Hēmi Walker\n021 555 1234", [("contact", "Hēmi Walker", "021 555 1234")]),
        ("Get well soon to Hemi Walker, who is recovering at home after a heart attack.",
         [("health", "Hemi Walker", "heart attack")]),
        ("Thinking of Tania Rewiti, who starts chemotherapy next week.",
         [("health", "Tania Rewiti", "chemotherapy")]),
        # a colleague is named by the relation, whatever the name ("Rangi" is also a word)
        ("Love to my teammate Rangi, who found out yesterday his cancer is back.",
         [("health", "Rangi", "cancer")]),
        ("Big love to Mel from our comms team who's just started IVF round three.",
         [("health", "Mel", "IVF")]),
        # a possessive names whose health it is, as "her" does
        ("Thanks to the pilots for getting Mereana Tautahi's insulin out to Owenga Rd.",
         [("health", "Mereana Tautahi", "insulin")]),
        ("Claim EQC-2291-4478: Mrs Hollis, your assessor visit is confirmed for Friday.",
         [("identifier", "Mrs Hollis", "EQC-2291-4478")]),
        # everyday short forms of given names count as names
        ("That's Dave Paterson from the council, his number is 027 555 8812",
         [("contact", "Dave Paterson", "027 555 8812")]),
        # a person staying at a motel has an address; a public place's address is not a person's
        ("Aroha Waititi is staying at the Tūī Motor Lodge, 6 Main Road, Taupō",
         [("address", "Aroha Waititi", "6 Main Road, Taupō")]),
        ("Mr Tane Pohe was taken to Nelson Hospital last night with chest pains.",
         [("health", "Mr Tane Pohe", "chest pains")]),
    ],
)
def test_a_name_with_a_detail_is_personal_information(text: str, expected: list) -> None:
    assert _personal(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Kia ora Tom, thanks for your question",
        "Our Minister, Hon Chris Bishop, opened the centre",
        "Hon Chris Bishop's office is on 04 817 9698",
        "The Minister for Emergency Management Mark Mitchell visited 12 Queen Street, Wellington",
        "Kia ora Tom, call us on 0800 22 22 00 or email info@dpmc.govt.nz",
        "Thanks Sarah. Media enquiries: media@nema.govt.nz",
        "Kia ora Tom, thanks for your question about the cancer screening programme",
        "Call 021 555 1234 to book",  # a number with no name
        "Will you call 021 555 1234?",  # "Will" is a word here
        "Hi Aroha, the hui is at 10am",
        "The flood reached 14 Grace Street, Nelson; call 021 555 1234",  # street and city, not people
        "Evacuation centre now open at Tamatea High School hall, 45 Durham Ave, Napier",  # a school, not a person
        "Kia ora Hemi, the centre is the Waipawa Community Hall, 12 High Street. Bring your meds.",
        "Hi Sam, it's at the Ōtaki Sports Centre, 40 Mill Road, open all night",
    ],
)
def test_no_personal_information(text: str) -> None:
    assert _personal(text) == []


def test_a_pack_health_lexicon_replaces_the_default_terms() -> None:
    health = TermMatcher(["gout"])
    assert _personal("Tom Smith has gout", health) == [("health", "Tom Smith", "gout")]
    assert _personal("Tom Smith has cancer", health) == []
    assert _personal("Tom Smith has cancer") == [("health", "Tom Smith", "cancer")]


def test_names_far_apart_from_the_detail_do_not_pair() -> None:
    text = "Sarah Jones thanked everyone. " + "The weather was fine all week long. " * 4 + "Call 021 555 1234."
    assert _personal(text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Kia ora Tom, thanks", ["Tom"]),
        ("Ms Ngaio Marsh and Mr van der Berg", ["Ms Ngaio Marsh", "Mr van der Berg"]),
        ("Our Minister, Hon Chris Bishop, opened the centre", []),
        ("Grace Hospital and Wellington Library", []),
        ("Aroha nui, Moana", []),  # Māori words, not names on their own
        ("my name is tama rangi", ["tama"]),
        ("Shout out to my colleague Rangi and to Mel from our comms team", ["Rangi", "Mel"]),
        ("Thanks to Civil Defence from our regional team", []),  # an organisation's run of capitals
        # places named after people or places, beside people whose family name is a place word
        ("Centre open at Tamatea High School hall and Tamatea Intermediate", []),
        ("Kevin is receiving care at the Henry Bennett Centre", ["Kevin"]),
        ("Greg Hall was at Hemi Walker's school run", ["Greg Hall", "Hemi Walker"]),
    ],
)
def test_find_person_names(text: str, names: list[str]) -> None:
    assert [span.text for span in find_person_names(text)] == names


def test_officials_are_flagged_not_dropped() -> None:
    people = find_people("The Prime Minister Christopher Luxon met Sarah Jones")
    assert [(p.span.text, p.official) for p in people] == [("Christopher Luxon", True), ("Sarah Jones", False)]


def test_given_names_include_maori_names_without_macrons_mattering() -> None:
    names, ambiguous = given_names()
    assert {"wiremu", "hemi", "mere", "rawiri", "sione"} <= names
    assert {"aroha", "moana", "will", "grace"} <= ambiguous
    assert not names & ambiguous


def test_spans_are_on_the_original_text() -> None:
    text = "Rāwiri Waititi’s number: 021 555 1234"
    for match in find_personal_information(text, find_identifiers(text), None):
        assert text[match.name.start:match.name.end] == match.name.text
        assert text[match.detail.start:match.detail.end] == match.detail.text
