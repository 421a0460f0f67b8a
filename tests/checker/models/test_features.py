"""Text preparation: the same features whatever the spelling tricks, spans on the original text."""

from __future__ import annotations

from kaitiaki.checker.models.features import char_ngrams, feature_counts, split_hashtag, token_texts, tokenize


def texts(text: str) -> list[str]:
    return [token.text for token in tokenize(text)]


def test_leet_elongation_and_case_fold_to_the_plain_word():
    assert texts("IDIOT") == texts("1d10t") == texts("idi0t") == ["idiot"]
    # Runs of three or more letters shrink to two, so "soooo" and "sooooooo" read the same.
    assert texts("sooooo") == texts("sooo") == ["soo"]


def test_numbers_stay_numbers():
    assert texts("in 2019 we paid 500") == ["in", "0", "we", "paid", "0"]


def test_mentions_urls_and_hashtags():
    assert texts("@Someone see https://example.nz/a?b=1 #VoteNational") == ["@user", "see", "http", "vote", "national"]
    assert split_hashtag("#party_vote_green") == ("party", "vote", "green")


def test_diacritics_are_stripped_and_spans_point_into_the_original():
    text = "Kia ora Ātaahua café!!"
    tokens = tokenize(text)
    assert [token.text for token in tokens] == ["kia", "ora", "ataahua", "cafe", "!!"]
    assert [text[token.start : token.end] for token in tokens] == ["Kia", "ora", "Ātaahua", "café", "!!"]


def test_chunked_scoring_path_matches_tokenize():
    text = "Wow...you're SOOO wrong!!!@user #NoMore http://a.b/c?d ok—fine 🙄🙄🙄 x_y 3am"
    everything, words = token_texts(text)
    assert everything == texts(text)
    assert words == [token.text for token in tokenize(text) if token.is_word]


def test_char_ngrams_are_padded_and_counted_per_word():
    assert sorted(gram.strip("\t") for gram in char_ngrams("ab")) == sorted([" a", "ab", "b ", " ab", "ab ", " ab "])
    words, chars = feature_counts("no no")
    assert words == {"no": 2, "no no": 1}
    assert chars["\tno"] == 2
