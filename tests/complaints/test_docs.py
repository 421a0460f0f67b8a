"""The user guide documents every `kaitiaki complaints` command and every complaint state."""

from __future__ import annotations

from pathlib import Path

from typer.main import get_command

from kaitiaki.cli.complaints import complaints_app
from kaitiaki.complaints.transitions import COMPLAINT_WORKFLOW

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_complaints_command_is_in_the_user_guide():
    text = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    commands = sorted(get_command(complaints_app).commands)  # type: ignore[attr-defined]
    assert commands
    missing = [name for name in commands if f"kaitiaki complaints {name}" not in text]
    assert not missing, f"docs/user-guide.md does not document: {missing}"


def test_every_complaint_state_and_move_is_documented():
    guide = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    assert not [state for state in COMPLAINT_WORKFLOW.states if f"*{state}*" not in guide]
    table = (DOCS / "complaints.md").read_text(encoding="utf-8")
    for source, action, target in COMPLAINT_WORKFLOW.rows():
        row = next(line for line in table.splitlines() if line.startswith("| ") and f"| {action} | {target} |" in line)
        assert source in row, f"docs/complaints.md does not show {source} --{action}--> {target}"
