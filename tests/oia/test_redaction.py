"""Redaction finds people, not words that happen to be in someone's name or handle."""

from __future__ import annotations

from kaitiaki.oia.redaction import WITHHELD, KnownPeople, Redactor

PEOPLE = KnownPeople(public_member_names=frozenset({"Cheap Deals", "Hemi Walker"}),
                     private_handles=frozenset({"@deals", "@kiwi_mum"}))


def _redact(text: str) -> str:
    return Redactor(PEOPLE).redact(text, file="comments.csv", record="1", field_name="text")


def test_ordinary_words_in_a_commenters_name_or_handle_are_kept():
    text = "Great deals on generators this week; the walker track is closed."
    assert _redact(text) == text


def test_the_people_themselves_are_withheld():
    redacted = _redact("Thanks Walker. hemi walker, @deals and kiwi_mum asked again.")
    assert redacted == (f"Thanks {WITHHELD}. {WITHHELD}, {WITHHELD} and {WITHHELD} asked again.")
