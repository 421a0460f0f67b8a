"""The literal text a regular expression cannot match without, read from the pattern's source.

`necessary_literals(pattern)` gives lower-case ASCII strings one of which is in every text the
pattern (compiled with re.IGNORECASE) can match, or None when no such set is known. Leaving out
a literal is always safe (fewer, or no, candidates); adding one that is not necessary would make
the pattern set skip a pattern that could match. So the reader is conservative: a run of plain
ASCII characters is a literal; an escape, a character class, a look-around or anything it does
not know breaks the run and adds nothing, and syntax it cannot follow reliably (verbose mode,
conditional groups, named groups of newer Pythons) gives None for the whole pattern.

Python's own parser (`re._parser`) is private and changes between versions; this reads only the
stable, documented syntax of `re`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# `{m}`, `{m,}`, `{,n}`, `{m,n}`: a repeat. Any other `{` is a literal character.
_REPEAT = re.compile(r"\{(\d*)(,\d*)?\}")
_INLINE_FLAGS = re.compile(r"\(\?([aiLmsux]*)(?:-([imsx]*))?([:)])")
# Escapes that take a fixed number of characters after the letter.
_FIXED_ESCAPES = {"x": 2, "u": 4, "U": 8}


class _Unsupported(Exception):
    """Syntax this reader does not follow; the pattern gets no literals."""


@dataclass(frozen=True)
class _Char:
    char: str  # lower-case printable ASCII


@dataclass(frozen=True)
class _Nothing:
    """Matches something, but no literal is known to be in it (a class, an anchor, an escape)."""


@dataclass(frozen=True)
class _Group:
    branches: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class _Repeat:
    minimum: int
    item: object


_NOTHING = _Nothing()
Items = tuple[object, ...]


def necessary_literals(pattern: str) -> frozenset[str] | None:
    try:
        branches, _ = _Reader(pattern).alternation(0, nested=False)
    except _Unsupported:
        return None
    return _alternatives(branches)


def _alternatives(branches: tuple[Items, ...]) -> frozenset[str] | None:
    found = [_sequence(branch) for branch in branches]
    if all(found):
        return frozenset().union(*found)  # type: ignore[arg-type]
    return None


def _sequence(items: Items) -> frozenset[str] | None:
    """For a concatenation: the most selective necessary set among its parts."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for item in items:
        if isinstance(item, _Char):
            run.append(item.char)
            continue
        if run:
            candidates.append(frozenset(("".join(run),)))
            run = []
        found: frozenset[str] | None = None
        if isinstance(item, _Group):
            found = _alternatives(item.branches)
        elif isinstance(item, _Repeat) and item.minimum >= 1:
            found = _sequence((item.item,))
        if found:
            candidates.append(found)
    if run:
        candidates.append(frozenset(("".join(run),)))
    if not candidates:
        return None
    return max(candidates, key=lambda found: (min(map(len, found)), -len(found)))


class _Reader:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def alternation(self, at: int, *, nested: bool) -> tuple[tuple[Items, ...], int]:
        """Branches from `at` up to the `)` that closes the group (nested) or the end; returns
        them and the index after the closing `)` (or the end)."""
        pattern = self.pattern
        branches: list[Items] = []
        items: list[object] = []
        while at < len(pattern):
            char = pattern[at]
            if char == "|":
                branches.append(tuple(items))
                items = []
                at += 1
            elif char == ")":
                if not nested:
                    raise _Unsupported("unbalanced parenthesis")
                branches.append(tuple(items))
                return tuple(branches), at + 1
            else:
                item, at = self.atom(at)
                item, at = self.repeats(item, at)
                if item is not None:
                    items.append(item)
        if nested:
            raise _Unsupported("missing )")
        branches.append(tuple(items))
        return tuple(branches), at

    def repeats(self, item: object, at: int) -> tuple[object, int]:
        pattern = self.pattern
        repeated = False
        while at < len(pattern):
            char = pattern[at]
            if char in "*?+":
                minimum, at = (1 if char == "+" else 0), at + 1
            elif char == "{" and (match := _REPEAT.match(pattern, at)):
                minimum, at = int(match.group(1) or 0), match.end()
            else:
                break
            if repeated or item is None:
                raise _Unsupported("nothing to repeat")
            repeated = True
            item = _Repeat(minimum, item)
            if at < len(pattern) and pattern[at] in "?+":  # lazy or possessive
                at += 1
        return item, at

    def atom(self, at: int) -> tuple[object | None, int]:
        pattern = self.pattern
        char = pattern[at]
        if char == "(":
            return self.group(at)
        if char == "[":
            return _NOTHING, self.class_end(at)
        if char == "\\":
            return self.escape(at)
        if char in ".^$":
            return _NOTHING, at + 1
        if char in "*+?":
            raise _Unsupported("nothing to repeat")
        if char == "{" and _REPEAT.match(pattern, at):
            raise _Unsupported("nothing to repeat")
        return _literal(char), at + 1

    def group(self, at: int) -> tuple[object | None, int]:
        pattern = self.pattern
        if not pattern.startswith("(?", at):
            branches, at = self.alternation(at + 1, nested=True)
            return _Group(branches), at
        rest = pattern[at + 2: at + 4]
        if rest.startswith(":") or rest.startswith(">"):  # non-capturing, atomic
            branches, at = self.alternation(at + 3, nested=True)
            return _Group(branches), at
        if rest.startswith("P<"):
            close = pattern.find(">", at + 4)
            if close < 0:
                raise _Unsupported("unterminated group name")
            branches, at = self.alternation(close + 1, nested=True)
            return _Group(branches), at
        if rest.startswith("P="):  # a back-reference matches what the group matched
            close = pattern.find(")", at)
            if close < 0:
                raise _Unsupported("unterminated back-reference")
            return _NOTHING, close + 1
        if rest.startswith(("=", "!")) or rest in ("<=", "<!"):  # look-arounds match no text
            _, at = self.alternation(at + 2 + (2 if rest.startswith("<") else 1), nested=True)
            return _NOTHING, at
        if rest.startswith("#"):
            close = pattern.find(")", at)
            if close < 0:
                raise _Unsupported("unterminated comment")
            return None, close + 1
        flags = _INLINE_FLAGS.match(pattern, at)
        if flags is None:
            raise _Unsupported("unknown group syntax")
        if "x" in flags.group(1) + (flags.group(2) or ""):
            raise _Unsupported("verbose mode changes what whitespace and # mean")
        if flags.group(3) == ")":  # global flags: match nothing themselves
            return None, flags.end()
        branches, at = self.alternation(flags.end(), nested=True)
        return _Group(branches), at

    def class_end(self, at: int) -> int:
        """The index after the `]` that closes the character class opening at `at`."""
        pattern = self.pattern
        at += 1
        if at < len(pattern) and pattern[at] == "^":
            at += 1
        if at < len(pattern) and pattern[at] == "]":  # a `]` first is a literal member
            at += 1
        while at < len(pattern):
            char = pattern[at]
            if char == "\\":
                at += 2
            elif char == "]":
                return at + 1
            else:
                at += 1
        raise _Unsupported("unterminated character class")

    def escape(self, at: int) -> tuple[object, int]:
        pattern = self.pattern
        if at + 1 >= len(pattern):
            raise _Unsupported("trailing backslash")
        char = pattern[at + 1]
        at += 2
        if char in _FIXED_ESCAPES:
            return _NOTHING, at + _FIXED_ESCAPES[char]
        if char == "N":
            close = pattern.find("}", at)
            if close < 0:
                raise _Unsupported("unterminated \\N{...}")
            return _NOTHING, close + 1
        if char.isdigit():
            # An octal escape or a group reference; every digit that follows is taken as part of
            # it, which can only leave literals out.
            while at < len(pattern) and pattern[at].isdigit():
                at += 1
            return _NOTHING, at
        if char.isascii() and char.isalpha():  # \b \d \s \w \A \Z \n \t ...: no literal text
            return _NOTHING, at
        return _literal(char), at


def _literal(char: str) -> object:
    if 0x20 <= ord(char) < 0x7F:
        return _Char(char.lower())
    return _NOTHING


__all__ = ["necessary_literals"]
