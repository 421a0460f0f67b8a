"""Text preparation and feature extraction shared by training and inference.

The models keep their own preparation here (rather than reuse the engine's normaliser) so that a
shipped model sees exactly the features it was trained on, whatever changes elsewhere.

A text becomes a list of tokens, each tied to its span in the original text. Features are:
- word unigrams and bigrams over the prepared tokens,
- character n-grams (2..5) of each word padded with spaces, counted per word.

Because the character features are summed per word, a model's contribution of one word can be
cached, which keeps inference to a few dictionary look-ups per token.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

FEATURES_VERSION = "1"

CHAR_NGRAM_MIN = 2
CHAR_NGRAM_MAX = 5
# Character n-gram keys carry this prefix so they never collide with word keys (a tab never
# survives tokenisation).
CHAR_PREFIX = "\t"

_TOKEN_RE = re.compile(
    r"(?P<url>(?:https?://|www\.)\S+)"
    r"|(?P<mention>@\w+)"
    r"|(?P<hashtag>#\w+)"
    r"|(?P<word>[\w$@*'’]*\w[\w$@*'’]*)"
    r"|(?P<symbol>([^\w\s])\6*)",
    re.UNICODE,
)
_CAMEL_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_ELONGATION_RE = re.compile(r"(.)\1{2,}")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})
_PREPARE_CACHE_SIZE = 100_000


class Token(NamedTuple):
    start: int
    end: int
    text: str  # prepared form; several tokens may share one span (a split hashtag)
    is_word: bool


def _fold(word: str) -> str:
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold().translate(_APOSTROPHES)


@lru_cache(maxsize=_PREPARE_CACHE_SIZE)
def _prepare_word(raw: str) -> str:
    word = _fold(raw).strip("'")
    if word.isdigit():
        return "0"
    if any(ch.isalpha() for ch in word):
        # Leetspeak only inside words that have letters: "1d10t" -> "idiot", "2019" stays a number.
        word = word.translate(_LEET)
    return _ELONGATION_RE.sub(r"\1\1", word)


@lru_cache(maxsize=_PREPARE_CACHE_SIZE)
def split_hashtag(tag: str) -> tuple[str, ...]:
    """"#VoteNational" -> ("vote", "national"); "#party_vote" -> ("party", "vote")."""
    parts: list[str] = []
    for chunk in tag.lstrip("#").split("_"):
        pieces = _CAMEL_RE.findall(chunk) or ([chunk] if chunk else [])
        parts.extend(_prepare_word(piece) for piece in pieces)
    return tuple(part for part in parts if part)


def _prepared(url: str, mention: str, hashtag: str, word: str, symbol: str) -> tuple[tuple[str, ...], bool]:
    """The prepared token texts of one regex match and whether they are words."""
    if word:
        prepared = _prepare_word(word)
        return ((prepared,) if prepared else ()), True
    if symbol:
        return (symbol[:2],), False
    if hashtag:
        return split_hashtag(hashtag), True
    if mention:
        return ("@user",), False
    return ("http",), False


def tokenize(text: str) -> list[Token]:
    """Tokens with their spans on `text` (no whole-text normalisation, so spans stay exact)."""
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(text):
        texts, is_word = _prepared(*match.group("url", "mention", "hashtag", "word", "symbol"))
        start, end = match.span()
        tokens.extend(Token(start, end, prepared, is_word) for prepared in texts)
    return tokens


@lru_cache(maxsize=_PREPARE_CACHE_SIZE)
def chunk_tokens(chunk: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(all prepared tokens, the word tokens among them) of one whitespace-free chunk.

    No token spans whitespace, so tokenising a text chunk by chunk gives exactly tokenize()'s
    texts; chunks repeat across comments far more than whole texts do, hence the cache."""
    everything: list[str] = []
    words: list[str] = []
    for url, mention, hashtag, word, symbol, _ in _TOKEN_RE.findall(chunk):
        texts, is_word = _prepared(url, mention, hashtag, word, symbol)
        everything.extend(texts)
        if is_word:
            words.extend(texts)
    return tuple(everything), tuple(words)


def token_texts(text: str) -> tuple[list[str], list[str]]:
    """(all prepared tokens, the word tokens among them) of a text, in order."""
    everything: list[str] = []
    words: list[str] = []
    for chunk in text.split():
        chunk_all, chunk_words = chunk_tokens(chunk)
        everything.extend(chunk_all)
        words.extend(chunk_words)
    return everything, words


def char_ngrams(word: str) -> list[str]:
    """Character n-grams of a word padded with spaces, each key prefixed with CHAR_PREFIX."""
    padded = f" {word} "
    length = len(padded)
    return [
        CHAR_PREFIX + padded[i : i + size]
        for size in range(CHAR_NGRAM_MIN, CHAR_NGRAM_MAX + 1)
        for i in range(length - size + 1)
    ]


def word_keys(texts: list[str]) -> list[str]:
    """Unigram and bigram keys in token order (duplicates kept: features are counts)."""
    return texts + [f"{a} {b}" for a, b in zip(texts, texts[1:])]


def feature_counts(text: str) -> tuple[dict[str, int], dict[str, int]]:
    """Word-feature and char-feature counts of a text: the training view of the same features
    that inference reads token by token."""
    everything, word_tokens = token_texts(text)
    words: dict[str, int] = {}
    for key in word_keys(everything):
        words[key] = words.get(key, 0) + 1
    chars: dict[str, int] = {}
    for word in word_tokens:
        for gram in char_ngrams(word):
            chars[gram] = chars.get(gram, 0) + 1
    return words, chars
