"""The user guide documents every `kaitiaki comments` command and every comment state; the import
guide documents every CSV header Kaitiaki recognises."""

from __future__ import annotations

from pathlib import Path

from typer.main import get_command

from kaitiaki.cli.comments import comments_app
from kaitiaki.moderation.formats import CSV_HEADERS
from kaitiaki.moderation.transitions import COMMENT_WORKFLOW

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_comments_command_is_in_the_user_guide():
    text = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    commands = sorted(get_command(comments_app).commands)  # type: ignore[attr-defined]
    missing = [name for name in commands if f"kaitiaki comments {name}" not in text]
    assert commands and not missing, f"docs/user-guide.md does not document: {missing}"


def test_every_comment_state_is_in_the_docs():
    text = (DOCS / "user-guide.md").read_text(encoding="utf-8") + (DOCS / "moderation-import.md").read_text(encoding="utf-8")
    missing = [state for state in COMMENT_WORKFLOW.states if f"*{state}*" not in text]
    assert not missing, f"the docs do not name the comment states: {missing}"


def test_every_recognised_csv_header_is_in_the_import_guide():
    text = (DOCS / "moderation-import.md").read_text(encoding="utf-8")
    missing = [h for headers in CSV_HEADERS.values() for h in headers if f"`{h}`" not in text]
    assert not missing, f"docs/moderation-import.md does not list: {missing}"
