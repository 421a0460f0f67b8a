"""The user guide documents every `kaitiaki channels` command and both transition tables."""

from __future__ import annotations

from pathlib import Path

from typer.main import get_command

from kaitiaki.cli.channels import channels_app
from kaitiaki.register.transitions import CHANNEL_WORKFLOW

USER_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "user-guide.md"


def test_every_channels_command_is_in_the_user_guide():
    text = USER_GUIDE.read_text(encoding="utf-8")
    commands = sorted(get_command(channels_app).commands)  # type: ignore[attr-defined]
    assert commands, "no channels commands found"
    missing = [name for name in commands if f"kaitiaki channels {name}" not in text]
    assert not missing, f"docs/user-guide.md does not document: {missing}"


def test_every_channel_status_is_in_the_user_guide():
    text = USER_GUIDE.read_text(encoding="utf-8")
    missing = [state for state in CHANNEL_WORKFLOW.states if f"*{state}*" not in text]
    assert not missing, f"docs/user-guide.md does not name the statuses: {missing}"
