"""The length shown and enforced is the one each platform counts."""

from __future__ import annotations

import pytest

from kaitiaki.publishing.length import counted_length

LINK = "https://www.civildefence.govt.nz/resources/get-ready/household-emergency-plan-2026"


@pytest.mark.parametrize("text, platform, expected", [
    ("Kia ora\r\nwhānau", "x", 14),                 # CR LF is one break; ā is one character
    (f"Plan ahead: {LINK}", "x", 12 + 23),           # X counts every link as 23
    ("Stay safe 🇳🇿", "x", 10 + 2),                 # X weighs an emoji as 2
    (f"Plan ahead: {LINK}", "mastodon", 12 + 23),    # so does Mastodon for links
    ("Stay safe 🇳🇿👨‍👩‍👧", "bluesky", 12),       # Bluesky counts what a reader sees
    ("Mōrena", "facebook", 6),
])
def test_counted_length(text, platform, expected):
    assert counted_length(text, platform) == expected
