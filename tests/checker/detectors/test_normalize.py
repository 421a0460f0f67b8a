"""Normalisation: folding for matching, and offsets that land exactly on the original text."""

from __future__ import annotations

import random
import re

import pytest

from kaitiaki.checker.normalize import extract, fold_term, normalize, sentences, split_hashtag


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Vote National", "vote national"),
        ("ＶＯＴＥ Ｌａｂｏｕｒ", "vote labour"),  # fullwidth
        ("𝐕𝐨𝐭𝐞 𝐆𝐫𝐞𝐞𝐧", "vote green"),  # mathematical bold
        ("Vоtе Nаtiоnаl", "vote national"),  # Cyrillic о, е, а
        ("ΑCΤ", "act"),  # Greek capitals
        ("Na\u200btio\u200dnal", "national"),  # zero-width space and joiner
        ("Te Pāti Māori", "te pati maori"),
        ("Te Pa\u0304ti Ma\u0304ori", "te pati maori"),  # decomposed macrons
        ("TĀMAKI MAKAURAU", "tamaki makaurau"),
        ("L4b0ur gr33n N@tional v0t3", "labour green national vote"),
        ("Fr3e c@$h", "free cash"),
        ("mp3 top10 web3", "mp3 top10 web3"),  # digits after a word are not disguised letters
        ("Straße", "strasse"),
        ("It’s", "it's"),
    ],
)
def test_folds_text_for_matching(text: str, folded: str) -> None:
    assert normalize(text).folded == folded


@pytest.mark.parametrize(
    "text",
    [
        "Call 0800 123 456 or 021 555 1234",
        "IRD number 49-091-850, NHI ZZZ0016",
        "Open 10am to 5pm, 5th floor, 4WD, covid19, 2024",
        "Email tom.smith@example.co.nz",
        "$50 for 3 tickets",
        "ZAA0105 and 136410132",
    ],
)
def test_numbers_codes_and_addresses_keep_their_digits(text: str) -> None:
    assert normalize(text).folded == text.casefold()


def test_leet_folding_can_be_switched_off() -> None:
    assert normalize("V0te L4bour", leet=False).folded == "v0te l4bour"


def test_fold_term_matches_normalize() -> None:
    assert fold_term("  Te Rōpū Nāhinara ") == "te ropu nahinara"
    assert fold_term("Vote N4tional") == normalize("vote national").folded


def test_to_original_covers_a_decomposed_macron() -> None:
    norm = normalize("Ma\u0304ori")
    assert norm.folded == "maori"
    start, end = norm.to_original(0, 2)
    assert norm.original[start:end] == "Ma\u0304"


def test_to_original_rejects_spans_outside_the_text() -> None:
    with pytest.raises(ValueError, match="outside the folded text"):
        normalize("abc").to_original(1, 9)


_ALPHABET = (
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + list("     .,!?'-@#$:/_")
    + ["ā", "Ō", "ū", "\u0304", "\u0301", "\u200b", "\u200d", "\ufeff", "\u00ad"]
    + ["ｖ", "Ａ", "ﬁ", "ß", "İ", "о", "е", "Α", "𝐕", "①", "😀", "👩\u200d💻", "\ufe0f", "ø", "æ"]
)


def _random_text(rng: random.Random) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 40)))


def test_offsets_map_every_folded_character_into_the_original() -> None:
    rng = random.Random(20261121)
    for _ in range(3000):
        text = _random_text(rng)
        norm = normalize(text)
        assert len(norm.offsets) == len(norm.folded) + 1
        assert norm.offsets[-1] == len(text)
        assert list(norm.offsets) == sorted(norm.offsets)
        for index in range(len(norm.folded)):
            start, end = norm.to_original(index, index + 1)
            assert 0 <= start < end <= len(text)


def test_whole_words_refold_to_the_same_folded_text() -> None:
    """Property: any run of whole white-space separated chunks maps to an original span that
    folds back to the same text (leet folding looks at whole chunks, so chunks are the unit)."""
    rng = random.Random(7)
    checked = 0
    for _ in range(3000):
        text = _random_text(rng)
        norm = normalize(text)
        words = [m.span() for m in re.finditer(r"\S+", norm.folded)]
        for first in range(len(words)):
            last = rng.randrange(first, len(words))
            start, end = words[first][0], words[last][1]
            original_start, original_end = norm.to_original(start, end)
            refolded = normalize(text[original_start:original_end]).folded
            assert refolded == norm.folded[start:end], (text, start, end)
            checked += 1
    assert checked > 1000


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("#VoteNational", ["vote", "national"]),
        ("#party_vote_green", ["party", "vote", "green"]),
        ("#NZFirst", ["nz", "first"]),
        ("#Election2026NZ", ["election", "2026", "nz"]),
        ("#COVID19", ["covid", "19"]),
        ("#KiaKahaAotearoa", ["kia", "kaha", "aotearoa"]),
        ("#TePātiMāori", ["te", "pati", "maori"]),
        ("#getready", ["getready"]),
    ],
)
def test_split_hashtag(tag: str, words: list[str]) -> None:
    assert split_hashtag(tag) == words


def test_split_hashtag_with_a_vocabulary_splits_lower_case_runs() -> None:
    assert split_hashtag("#votelabour", vocabulary={"vote", "labour", "vot", "el"}) == ["vote", "labour"]
    assert split_hashtag("#xyzzy", vocabulary={"vote"}) == ["xyzzy"]


def test_extract_links_hashtags_and_mentions() -> None:
    text = (
        "See https://www.dpmc.govt.nz/about. Also dpmc.govt.nz, bit.ly/xyz and (www.stuff.co.nz). "
        "Email tom@example.co.nz #VoteNational @NZNationalParty @user@mastodon.social "
        "https://x.com/page#section e.g. 3.5 #1"
    )
    found = extract(text)
    assert [link.text for link in found.links] == [
        "https://www.dpmc.govt.nz/about",
        "dpmc.govt.nz",
        "bit.ly/xyz",
        "www.stuff.co.nz",
        "https://x.com/page#section",
    ]
    assert [tag.text for tag in found.hashtags] == ["#VoteNational"]
    assert [mention.text for mention in found.mentions] == ["@NZNationalParty", "@user@mastodon.social"]
    for span in found.links + found.hashtags + found.mentions:
        assert text[span.start:span.end] == span.text


def test_extract_keeps_wikipedia_brackets() -> None:
    links = extract("read https://en.wikipedia.org/wiki/Kiwi_(bird) now").links
    assert links[0].text == "https://en.wikipedia.org/wiki/Kiwi_(bird)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vote now. Polls close at 7pm!", ["Vote now.", "Polls close at 7pm!"]),
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("See e.g. the list... Then go", ["See e.g. the list...", "Then go"]),
        ("First line\nSecond line", ["First line", "Second line"]),
        ("It costs $3.50 today. Yes", ["It costs $3.50 today.", "Yes"]),
        ("   ", []),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert [text[start:end] for start, end in sentences(text)] == expected
