"""The meaning model reads an emoji as the words of its name: MiniLM's vocabulary has no emoji, so
without this every emoji was the same unknown token, a prayer-hands comment scored like a knife
one, and a weapon emoji aimed at a place meant nothing."""

from __future__ import annotations

import numpy as np
import pytest

from kaitiaki.check_service.routing import PackSet
from kaitiaki.checker.meaning.features import emoji_words, fold, token_ids, word_keys
from kaitiaki.checker.meaning.model import load_meaning_model


def test_an_emoji_is_read_as_its_name() -> None:
    assert emoji_words("🔪") == "kitchen knife"
    assert emoji_words("🐀") == "rat"
    assert emoji_words("❤") == "red heart"  # not Unicode's "heavy black heart"
    assert emoji_words("🏽") == ""  # a skin tone is no picture of its own
    assert emoji_words("a") == ""


def test_emoji_are_word_features() -> None:
    keys = word_keys(fold("🔥🔥 the office tonight"), "w", pairs=True)
    assert "w:🔥" in keys and "w:office" in keys


def test_different_emoji_give_different_vectors() -> None:
    static = load_meaning_model().static
    knife, prayer = (static.mean(token_ids(static, fold(text))) for text in ("🔪", "🙏"))
    assert np.linalg.norm(knife) > 0 and np.linalg.norm(prayer) > 0
    assert not np.allclose(knife, prayer)


@pytest.mark.parametrize("text", ["🙏🏽🙏🏽🙏🏽", "❤️❤️❤️", "🙏"])
def test_a_comment_of_thanks_emoji_passes(text: str) -> None:
    result = PackSet.open("dpmc").check({"kind": "comment", "text": text, "platform": "facebook"})
    assert result.decision == "pass", [(f.rule, f.detector) for f in result.findings]
