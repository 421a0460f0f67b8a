"""Augmented copies of written items: the same meaning dressed differently, so the model learns
meaning rather than spelling. Each copy keeps its original's labels and validation split.

Transforms: upper or lower case, a typo (two letters swapped), leetspeak, styled Unicode letters
(mathematical bold), an emoji added, and swaps of people's and places' names for others.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

FIRST_NAMES = ["Aroha", "Mere", "Tane", "Wiremu", "Sarah", "James", "Priya", "Mei", "Sione", "Losa", "Liam",
               "Olivia", "Hemi", "Ngaio", "Raj", "Fatima", "Jack", "Charlotte", "Tama", "Ana"]
PLACES = ["Whanganui", "Gisborne", "Nelson", "Invercargill", "Timaru", "Napier", "Rotorua", "Hamilton",
          "Dunedin", "Tauranga", "Porirua", "Masterton", "Whangārei", "Kaikōura", "Westport"]
EMOJI = ["🙂", "😂", "👍", "🙏", "😡", "🔥", "💯", "👀", "🤔", "❤️"]
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
_NAME = re.compile(r"\b(" + "|".join(FIRST_NAMES + PLACES) + r")\b")


def _styled(text: str) -> str:
    out = []
    for char in text:
        if "a" <= char <= "z":
            out.append(chr(0x1D41A + ord(char) - ord("a")))
        elif "A" <= char <= "Z":
            out.append(chr(0x1D400 + ord(char) - ord("A")))
        else:
            out.append(char)
    return "".join(out)


def _typo(text: str, rng: random.Random) -> str:
    words = [m for m in re.finditer(r"[A-Za-z]{5,}", text)]
    if not words:
        return text
    word = rng.choice(words)
    i = rng.randrange(word.start() + 1, word.end() - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def _leet(text: str, rng: random.Random) -> str:
    return "".join(LEET.get(c, c) if c in LEET and rng.random() < 0.5 else c for c in text)


def _swap_names(text: str, rng: random.Random) -> str:
    def pick(match: re.Match[str]) -> str:
        pool = FIRST_NAMES if match.group() in FIRST_NAMES else PLACES
        return rng.choice(pool)

    return _NAME.sub(pick, text)


TRANSFORMS: dict[str, Callable[[str, random.Random], str]] = {
    "upper": lambda text, rng: text.upper(),
    "lower": lambda text, rng: text.lower(),
    "typo": _typo,
    "leet": _leet,
    "styled": lambda text, rng: _styled(text),
    "emoji": lambda text, rng: f"{text} {rng.choice(EMOJI)}",
    "names": _swap_names,
}


def augment(text: str, rng: random.Random) -> tuple[str, str] | None:
    """(transform name, new text), or None when the chosen transform changes nothing."""
    name = rng.choice(sorted(TRANSFORMS))
    if name == "names" and not _NAME.search(text):
        name = "typo"
    new = TRANSFORMS[name](text, rng)
    return (name, new) if new != text else None
