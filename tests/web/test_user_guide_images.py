"""The user guide's pictures: every picture it shows exists, and every screen the browser tests
save is shown in the guide (so a new screenshot is not left out, nor a removed one left dangling)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "user-guide.md"
SCREENS_TEST = ROOT / "tests" / "browser" / "test_screens.py"


def _shown() -> set[str]:
    return set(re.findall(r"!\[[^\]]+\]\(images/([\w-]+)\.png\)", GUIDE.read_text(encoding="utf-8")))


def test_every_picture_in_the_guide_exists():
    missing = sorted(name for name in _shown() if not (ROOT / "docs" / "images" / f"{name}.png").is_file())
    assert not missing, f"docs/user-guide.md shows pictures that are not in docs/images: {missing}"


def test_every_screen_the_browser_tests_save_is_in_the_guide():
    saved = set(re.findall(r'screenshot\(page, "([\w-]+)"\)', SCREENS_TEST.read_text(encoding="utf-8")))
    assert saved, "tests/browser/test_screens.py saves no screens"
    left_out = sorted(saved - _shown())
    assert not left_out, f"screens saved by the browser tests but not in the user guide: {left_out}"
