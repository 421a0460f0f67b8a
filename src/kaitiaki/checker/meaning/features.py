"""What the meaning model reads from an item: the same function at training and at check time.

* the item's text, de-obfuscated (spaced letters, `bit[.]ly`, `www . x . co . nz`) and folded by
  kaitiaki.checker.normalize: its mean static MiniLM vector, and its words, word pairs and emoji;
  an emoji is read as the words of its Unicode name (🔪 "kitchen knife", 🐀 "rat"), because MiniLM's
  vocabulary has no emoji and would read every one as the same unknown token;
* the text's words and emoji once more, each keyed by the item's kind (`kind_key`): a head shared by
  posts, replies and staff posts learns what a word says in all of them and, beside it, what it
  says in one ("joke" of a Minister's decision in a staff post is not a neutral report's word);
* the context: the target's text, name and bio (replies, interactions) as a second static vector
  and words; whether a business purpose is given and its words;
* facts: kind, action, author.employer_listed, links present;
* evidence from the deterministic rules: for each category, whether a rule fired and whether one
  blocked, plus the shipped word models' scores (abusive, spam, political).

Dense features are standardised with the training mean and spread stored in the weights file;
word features are 0/1 against the training vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kaitiaki.checker.items import Category, Item
from kaitiaki.checker.meaning.static import DIMENSIONS, StaticEmbedder
from kaitiaki.checker.normalize import normalize

FEATURES_VERSION = "meaning-3"
CATEGORIES: tuple[str, ...] = tuple(category.value for category in Category)
KINDS = ("post", "reply", "interaction", "personal_post", "comment")
ACTIONS = ("follow", "like", "repost", "share", "link")
WORD_MODELS: tuple[str, ...] = ()  # the word models cost more than they added (docs/models.md)

# Writers space out or bracket links so that filters miss them: undo that before reading.
_SPACED_LETTERS = re.compile(r"\b(?:[^\W\d_] ){3,}[^\W\d_]\b")
_BRACKET_DOT = re.compile(r"\s*[\[(]\s*(?:\.|dot)\s*[\])]\s*", re.IGNORECASE)
_SPACED_DOT = re.compile(r"(?<=\w) +\. +(?=(?:co|com|net|org|nz|ly|io|me|govt|info|biz|xyz)\b)", re.IGNORECASE)
_WWW_SPACED = re.compile(r"\bwww +\. +", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Unicode names that would mislead as words (HEAVY BLACK HEART is the red heart), and name words
# that say nothing of the picture
_EMOJI_NAMES = {"\u2764": "red heart", "\U0001f52a": "kitchen knife"}
_NAME_FILLER = frozenset({"with", "of", "and", "sign", "symbol"})
_emoji_words: dict[str, str] = {}


def emoji_words(char: str) -> str:
    """The words an emoji stands for ("" for anything that is not a pictograph)."""
    known = _emoji_words.get(char)
    if known is None:
        known = ""
        if len(char) == 1 and unicodedata.category(char) == "So":
            name = _EMOJI_NAMES.get(char) or unicodedata.name(char, "").lower()
            if name.startswith("regional indicator"):  # half of a flag
                name = "flag"
            known = " ".join(word for word in re.split(r"[\s-]+", name) if word and word not in _NAME_FILLER)
        if len(_emoji_words) < 10_000:
            _emoji_words[char] = known
    return known


def is_emoji(word: str) -> bool:
    return bool(emoji_words(word))


def deobfuscate(text: str) -> str:
    text = _SPACED_LETTERS.sub(lambda m: m.group().replace(" ", ""), text)
    text = _BRACKET_DOT.sub(".", text)
    text = _WWW_SPACED.sub("www.", text)
    return _SPACED_DOT.sub(".", text)


def fold(text: str) -> str:
    return normalize(deobfuscate(text)).folded if text else ""


def dense_names() -> list[str]:
    names = [f"text_vec_{i}" for i in range(DIMENSIONS)] + [f"target_vec_{i}" for i in range(DIMENSIONS)]
    names += [f"kind={k}" for k in KINDS] + [f"action={a}" for a in ACTIONS]
    names += ["employer_listed", "has_target_text", "purpose_given", "has_link", "short_text"]
    names += [f"rule={c}" for c in CATEGORIES] + [f"rule_blocks={c}" for c in CATEGORIES]
    names += [f"score={m}" for m in WORD_MODELS]
    return names


@dataclass(frozen=True)
class Evidence:
    """The deterministic side of an item: categories its rules flagged and blocked, word scores."""

    flagged: frozenset[str] = frozenset()
    blocked: frozenset[str] = frozenset()
    scores: Mapping[str, float] | None = None


@dataclass
class Inputs:
    """One item's features, plus what the explanations need (the folded text's tokens)."""

    dense: np.ndarray
    words: list[str]  # sparse feature keys present (deduplicated)
    text_tokens: list[tuple[str, tuple[int, ...]]]
    folded_text: str
    kind: str  # the item's kind, whose keyed words weigh beside the shared ones


def context_text(item: Item) -> str:
    target = item.target
    if target is None:
        return ""
    return " ".join(part for part in (target.name, target.bio, target.text) if part)


def _with_emoji(static: StaticEmbedder, tokens: list[tuple[str, tuple[int, ...]]],
                ) -> list[tuple[str, tuple[int, ...]]]:
    """Emoji read as their names' tokens; other unknown characters left out of the mean."""
    out = []
    for word, ids in tokens:
        if ids == (static.unknown,):
            words = emoji_words(word)
            ids = tuple(static.ids(words)) if words else ()
        out.append((word, ids))
    return out


def token_ids(static: StaticEmbedder, folded: str) -> list[int]:
    """The static table's rows for a folded text, emoji as their names."""
    return [token for _, ids in _with_emoji(static, static.tokens(folded)) for token in ids]


def kind_key(kind: str, word: str) -> str:
    """A text word's key as read in items of one kind."""
    return f"w|{kind}:{word}"


def word_keys(folded: str, prefix: str, pairs: bool) -> list[str]:
    words = _WORD.findall(folded)
    keys = [f"{prefix}:{word}" for word in words]
    keys += [f"{prefix}:{char}" for char in folded if not char.isascii() and is_emoji(char)]
    if pairs:
        keys += [f"{prefix}:{a} {b}" for a, b in zip(words, words[1:])]
    return keys


def inputs_for(item: Item, evidence: Evidence, static: StaticEmbedder, normalized: str | None = None) -> Inputs:
    """`normalized`: the item's text already folded by kaitiaki.checker.normalize (the rules have
    done it), reused when de-obfuscation changes nothing."""
    if normalized is not None and deobfuscate(item.text) == item.text:
        folded = normalized
    else:
        folded = fold(item.text)
    tokens = _with_emoji(static, static.tokens(folded))
    text_ids = [token for _, ids in tokens for token in ids]
    context = fold(context_text(item))
    purpose = fold(item.business_purpose or "")
    dense = np.zeros(len(_layout()), dtype=np.float32)
    dims = static.vectors.shape[1]
    dense[:dims] = static.mean(text_ids)
    if context:
        dense[dims:2 * dims] = static.mean(token_ids(static, context))
    offset = 2 * dims
    dense[offset + KINDS.index(item.kind)] = 1.0
    offset += len(KINDS)
    if item.action is not None:
        dense[offset + ACTIONS.index(item.action)] = 1.0
    offset += len(ACTIONS)
    has_link = bool(item.links) or "http" in folded or "www." in folded or ".co" in folded
    dense[offset:offset + 5] = (item.author.employer_listed, bool(item.target and item.target.text),
                                bool(purpose.strip()), has_link, len(text_ids) < 6)
    offset += 5
    for i, category in enumerate(CATEGORIES):
        dense[offset + i] = category in evidence.flagged
        dense[offset + len(CATEGORIES) + i] = category in evidence.blocked
    offset += 2 * len(CATEGORIES)
    scores = evidence.scores or {}
    for i, name in enumerate(WORD_MODELS):
        dense[offset + i] = scores.get(name, 0.0)
    keys = word_keys(folded, "w", pairs=True) + word_keys(context, "t", pairs=False)
    keys += word_keys(purpose, "p", pairs=False)
    keys += [kind_key(item.kind, key[2:]) for key in word_keys(folded, "w", pairs=False)]
    keys.append(f"k:{item.kind}")
    return Inputs(dense, list(dict.fromkeys(keys)), tokens, folded, item.kind)


_LAYOUT: list[str] = []


def _layout() -> list[str]:
    if not _LAYOUT:
        _LAYOUT.extend(dense_names())
    return _LAYOUT


def vocabulary_from(all_keys: Iterable[Sequence[str]], min_count: int = 2) -> list[str]:
    counts: dict[str, int] = {}
    for keys in all_keys:
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    return sorted(key for key, count in counts.items() if count >= min_count)
