"""Text normalisation for matching, with an exact map back to the original text.

`normalize` folds a text so that lexicon phrases match however a writer dresses them up: NFKC
(fullwidth and styled letters become plain), zero-width characters dropped, Cyrillic and Greek
look-alikes folded to Latin, diacritics and macrons dropped (ā -> a), casefolded, and leetspeak
folded inside words that are mostly letters (V0te -> vote, while 0800 123 456 stays digits).
Every folded character remembers where it came from, so a match on the folded text is reported on
the original string the person typed.

`extract` finds links, @mentions and #hashtags; `sentences` splits a text into sentence spans;
`split_hashtag` turns `#VoteNational` into `["vote", "national"]`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

# Dropped outright: they change nothing a reader sees but split words for a naive matcher.
ZERO_WIDTH = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064\u034f"
)

# Look-alikes that NFKC leaves alone. Only letters that are visually identical (or nearly) to a
# Latin letter in common fonts are folded, so genuine Greek or Cyrillic words stay mostly intact.
HOMOGLYPHS: dict[str, str] = {
    # Cyrillic lower case
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ӏ": "l", "һ": "h", "ԛ": "q", "ԝ": "w", "ɡ": "g",
    # Cyrillic upper case
    "А": "A", "В": "B", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ї": "I", "Ј": "J", "Ӏ": "I",
    "Һ": "H", "Ԛ": "Q", "Ԝ": "W",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "γ": "y", "ω": "w",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Latin letters without a decomposition
    "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "ı": "i", "ŧ": "t",
    "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
    # Punctuation that writers use interchangeably
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "\u2010": "-", "\u2011": "-",
    "\u2012": "-", "\u2013": "-", "\u2014": "-",
}

LEET: dict[str, str] = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}

_TOKEN = re.compile(r"(?:[^\W_]|[@$])+", re.UNICODE)
_CHUNK = re.compile(r"\S+")
# Chunks where '@' and digits mean what they say (addresses, links): no leet folding there.
_LITERAL_CHUNK = re.compile(r"[\w.+-]+@[\w-]+\.\w|://|^www\.|^\W*[@#]", re.UNICODE)


@lru_cache(maxsize=8192)
def _fold_char(char: str, keep_case: bool = False) -> str:
    """The folded form of one original character (may be empty, or several characters)."""
    if char in ZERO_WIDTH:
        return ""
    out: list[str] = []
    for piece in unicodedata.normalize("NFKD", char):
        piece = HOMOGLYPHS.get(piece, piece)
        if not keep_case:
            piece = piece.casefold()
        for sub in unicodedata.normalize("NFKD", piece):
            if unicodedata.category(sub) in ("Mn", "Me") or sub in ZERO_WIDTH:
                continue
            out.append(HOMOGLYPHS.get(sub, sub))
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Normalized:
    original: str
    folded: str
    offsets: tuple[int, ...]
    # ends[i]: index in `original` just past the character (and its combining marks) that
    # produced folded[i]; lets a span that ends on "a" of a decomposed "ā" include the macron.
    ends: tuple[int, ...] = ()

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of `folded` to the matching span of `original`."""
        if not 0 <= start <= end <= len(self.folded):
            raise ValueError(f"span {start}:{end} is outside the folded text of {len(self.folded)} characters")
        if start == end:
            return self.offsets[start], self.offsets[start]
        original_end = self.ends[end - 1] if self.ends else self.offsets[end - 1] + 1
        return self.offsets[start], original_end


_SEGMENT = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def _is_combining(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me", "Mc") or "\ufe00" <= char <= "\ufe0f"


def _fold_with_map(text: str, keep_case: bool) -> tuple[list[str], list[int], list[int]]:
    """Folded characters with, for each, its source index and the end of its source cluster.

    A cluster is a character plus the combining marks after it; a span ending inside a cluster
    maps to the cluster's end, so "Ma\u0304" (decomposed ā) is reported whole.
    """
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cluster_out = 0  # where the current cluster's folded characters begin in `chars`
    for segment in _SEGMENT.finditer(text):
        piece = segment.group()
        index = segment.start()
        if piece.isascii():  # the common case: plain ASCII folds by lower-casing, one to one
            chars.extend(piece if keep_case else piece.lower())
            starts.extend(range(index, index + len(piece)))
            ends.extend(range(index + 1, index + len(piece) + 1))
            cluster_out = len(chars) - 1
            continue
        if _is_combining(piece):
            for position in range(cluster_out, len(chars)):
                ends[position] = index + 1
        else:
            cluster_out = len(chars)
        for folded_char in _fold_char(piece, keep_case):
            chars.append(folded_char)
            starts.append(index)
            ends.append(index + 1)
    return chars, starts, ends


# A cheap test on the original text: any character that may fold to a digit, "@" or "$".
_MAYBE_LEET = re.compile(r"[^\x00-\x23\x25-\x2f\x3a-\x3f\x41-\x7f]")
_LEET_CANDIDATE = re.compile(r"[^\W\d_][\d@$]+[^\W\d_]")
_CHUNK_BOUNDARY = re.compile(r"\s")


def _fold_leet(chars: list[str]) -> None:
    """Fold leetspeak in place, only inside tokens that are words spelt with a few digits."""
    text = "".join(chars)
    done_until = -1
    for candidate in _LEET_CANDIDATE.finditer(text):
        if candidate.start() < done_until:
            continue
        chunk_start = candidate.start()
        while chunk_start > 0 and not text[chunk_start - 1].isspace():
            chunk_start -= 1
        boundary = _CHUNK_BOUNDARY.search(text, candidate.end())
        chunk_end = boundary.start() if boundary else len(text)
        done_until = chunk_end
        chunk_text = text[chunk_start:chunk_end]
        if _LITERAL_CHUNK.search(chunk_text):
            continue
        for token in _TOKEN.finditer(chunk_text):
            word = token.group()
            if _is_leet_word(word):
                base = chunk_start + token.start()
                for offset, char in enumerate(word):
                    if char in LEET:
                        chars[base + offset] = LEET[char]


def _is_leet_word(word: str) -> bool:
    letters = sum(1 for char in word if char.isalpha())
    leet = sum(1 for char in word if char in LEET)
    if leet == 0 or letters < 2 or letters < leet:
        return False
    if any(char.isdigit() and char not in LEET for char in word):
        return False  # 2, 6, 8, 9 are not letters in disguise: a code or a number
    letter_positions = [index for index, char in enumerate(word) if char.isalpha()]
    first_letter, last_letter = letter_positions[0], letter_positions[-1]
    # A substitute between two letters ("l4bour", "gr33n") marks the word as disguised; a number
    # before or after a word ("10am", "covid19", "5th") does not.
    return any(first_letter < index < last_letter for index, char in enumerate(word) if char in LEET)


def normalize(text: str, *, leet: bool = True) -> Normalized:
    """Fold `text` for matching; see the module docstring. `leet=False` keeps digits as typed."""
    if text.isascii():
        # the common case: lower-casing is the whole fold, one character to one
        folded = text.lower()
        if leet and _MAYBE_LEET.search(text):
            folded_chars = list(folded)
            _fold_leet(folded_chars)
            folded = "".join(folded_chars)
        return Normalized(original=text, folded=folded, offsets=tuple(range(len(text) + 1)),
                          ends=tuple(range(1, len(text) + 1)))
    chars, starts, ends = _fold_with_map(text, keep_case=False)
    if leet and _MAYBE_LEET.search(text):
        _fold_leet(chars)
    offsets = tuple(starts) + (len(text),)
    return Normalized(original=text, folded="".join(chars), offsets=offsets, ends=tuple(ends))


@lru_cache(maxsize=65536)
def fold_term(term: str) -> str:
    """Fold a lexicon phrase the same way `normalize` folds text, so the two can be compared.
    Cached: a pack folds each phrase several times (automata, context words, vocabulary)."""
    return normalize(term).folded.strip()


def fold_keep_case(text: str) -> str:
    """Like `normalize(...).folded` but without casefolding or leet (for case-sensitive aliases)."""
    if text.isascii():
        return text
    return "".join(_fold_with_map(text, keep_case=True)[0])


_HASHTAG_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\d_]+", re.UNICODE)


def split_hashtag(tag: str, vocabulary: Collection[str] | None = None) -> list[str]:
    """Split a hashtag into folded words: CamelCase, underscores, hyphens and digits.

    An all-lower-case run ("#votenational") cannot be split by case; when a `vocabulary` of folded
    words is given, such runs are split into the fewest vocabulary words that spell them exactly.
    """
    body = fold_keep_case(tag.lstrip("#＃"))
    words: list[str] = []
    for piece in re.split(r"[_\-\s.]+", body):
        for match in _HASHTAG_WORD.finditer(piece):
            word = match.group().casefold()
            if vocabulary and word.isalpha() and word not in vocabulary:
                words.extend(_segment(word, vocabulary) or [word])
            else:
                words.append(word)
    return words


def _segment(word: str, vocabulary: Collection[str]) -> list[str] | None:
    """The fewest vocabulary words that spell `word` exactly, or None."""
    best: list[list[str] | None] = [None] * (len(word) + 1)
    best[0] = []
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 30), end):
            prefix = best[start]
            if prefix is not None and word[start:end] in vocabulary:
                candidate = prefix + [word[start:end]]
                if best[end] is None or len(candidate) < len(best[end]):  # type: ignore[arg-type]
                    best[end] = candidate
    return best[len(word)]


# --- links, mentions, hashtags ------------------------------------------------------------------

_TLDS = (
    "nz|com|org|net|au|uk|io|ly|co|gov|edu|info|biz|me|tv|app|dev|ai|gl|gd|to|ws|ie|ca|us|int|news|"
    "social|online|site|xyz|store|shop|link|page|club|live|eu|de|fr|jp|cn|in|fj|ws|to|ck|nu|tk|sg"
)
_TRAILING = ".,;:!?'\")]}>…"
_LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"
    r"|(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+(?:" + _TLDS + r")\b(?![\w@\-])"
    r"(?:/[^\s<>\"]*)?",
    re.IGNORECASE,
)
_DOT_THEN_WORD = re.compile(r"\.\w")
_HASHTAG = re.compile(r"(?<![\w#&/])[#＃](\w*[^\W\d_]\w*)", re.UNICODE)
_MENTION = re.compile(r"(?<![\w@.])@(\w{1,64}(?:@[\w-]+(?:\.[\w-]+)+)?)", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Extracted:
    links: list[Span]
    hashtags: list[Span]
    mentions: list[Span]


def _trim_link(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _TRAILING:
        # Keep a closing bracket that belongs to the link, as in Wikipedia addresses.
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end


def extract(text: str) -> Extracted:
    """Links (http(s), www., bare domains), #hashtags and @mentions as spans on `text`."""
    links: list[Span] = []
    # Each kind needs its own character (a link keeps only a match with a dot, and a dot with a
    # letter or digit after it: a full stop alone is no link), so most texts skip most of the
    # scans; the link scan is the slow one.
    for match in _LINK.finditer(text) if _DOT_THEN_WORD.search(text) else ():
        end = _trim_link(text, match.start(), match.end())
        if end > match.start() and "." in text[match.start():end]:
            links.append(Span(match.start(), end, text[match.start():end]))

    def outside_links(start: int) -> bool:
        return not any(link.start <= start < link.end for link in links)

    hashtags = [
        Span(m.start(), m.end(), m.group()) for m in _HASHTAG.finditer(text) if outside_links(m.start())
    ] if "#" in text or "＃" in text else []
    mentions = []
    for match in _MENTION.finditer(text) if "@" in text else ():
        end = _trim_link(text, match.start(), match.end())
        if outside_links(match.start()) and end - match.start() > 1:
            mentions.append(Span(match.start(), end, text[match.start():end]))
    return Extracted(links=links, hashtags=hashtags, mentions=mentions)


# --- sentences -------------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    "mr mrs ms mx dr prof hon rt sr jr st no nos vs etc e.g eg i.e ie approx mt ltd inc co cf "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans on `text` (trimmed of surrounding white space; empty sentences dropped)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group()[0] == ".":
            word = re.search(r"([\w.]+)$", text[start:match.start()])
            if word and (word.group(1).casefold() in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue
        _append_trimmed(spans, text, start, match.end())
        start = match.end()
    _append_trimmed(spans, text, start, len(text))
    return spans


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


class SentenceIndex:
    """Which sentence a position falls in, by binary search over `sentences(text)`."""

    def __init__(self, text: str) -> None:
        self.spans = sentences(text)
        self._starts = [start for start, _ in self.spans]

    def index(self, position: int) -> int:
        """Index of the sentence holding `position` (the one before it when between sentences)."""
        return max(0, bisect_right(self._starts, position) - 1)
