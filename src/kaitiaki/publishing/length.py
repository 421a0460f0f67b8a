"""A post's length as each platform counts it, so the number Kaitiaki shows is the number the
platform will check: X weighs links as 23 and emoji and most non-Latin letters as 2 (twitter-text's
published rules); Mastodon counts every link as 23; Bluesky and the rest count what a reader sees
as one character (a grapheme: a flag or a family emoji is one)."""

from __future__ import annotations

import regex

MASTODON_LINK_LENGTH = 23
_GRAPHEME = regex.compile(r"\X")
_LINK = regex.compile(r"https?://\S+", regex.IGNORECASE)


def normalise_newlines(text: str) -> str:
    """Browsers send a text area's line breaks as CR LF; people count each break once."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def counted_length(text: str, platform: str) -> int:
    text = normalise_newlines(text)
    if platform == "x":
        # Imported on first use: twitter-text builds its large patterns when imported, a tenth
        # of a serving worker's start-up, and only an X post's length needs it.
        from twitter_text import parse_tweet

        return parse_tweet(text).weightedLength
    if platform == "mastodon":
        links = _LINK.findall(text)
        return len(_LINK.sub("", text)) + MASTODON_LINK_LENGTH * len(links)
    return len(_GRAPHEME.findall(text))


__all__ = ["MASTODON_LINK_LENGTH", "counted_length", "normalise_newlines"]
