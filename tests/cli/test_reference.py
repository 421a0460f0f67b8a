"""docs/cli.md is the generated command-line reference: it must match the commands as they are now,
and every command must say what it does."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.main import get_command
from typer.testing import CliRunner

from kaitiaki.cli import app
from kaitiaki.cli.reference import REGENERATE_COMMAND, leaf_commands, plain_help, render_reference

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_docs_cli_md_is_the_freshly_generated_reference():
    assert REFERENCE.read_text(encoding="utf-8") == render_reference(get_command(app)), (
        f"docs/cli.md is out of date with the commands: regenerate it with `{REGENERATE_COMMAND}`"
    )


def test_every_command_is_in_the_reference_with_its_help_text():
    reference = REFERENCE.read_text(encoding="utf-8")
    leaves = leaf_commands(get_command(app))
    paths = {leaf.path for leaf in leaves}
    assert {"kaitiaki serve", "kaitiaki users add", "kaitiaki docs cli"} <= paths
    without_help = [leaf.path for leaf in leaves if not plain_help(leaf.command.help)]
    assert not without_help, f"commands without a help text (add a docstring): {without_help}"
    missing = [leaf.path for leaf in leaves if f"`{leaf.path}`" not in reference]
    assert not missing, f"docs/cli.md does not document {missing}: run `{REGENERATE_COMMAND}`"


def test_serve_section_shows_usage_and_options_with_defaults():
    reference = REFERENCE.read_text(encoding="utf-8")
    section = reference.split("## `kaitiaki serve`", 1)[1].split("\n## ", 1)[0]
    assert "kaitiaki serve [OPTIONS]" in section
    assert "| `--workers` | Worker processes" in section and "| `1` |" in section
    assert "| `--port` | Port to listen on" in section


def test_the_command_writes_the_same_text_as_it_prints(tmp_path: Path):
    runner = CliRunner()
    printed = runner.invoke(app, ["docs", "cli"], env={"COLUMNS": "40"})
    assert printed.exit_code == 0, printed.output
    target = tmp_path / "cli.md"
    written = runner.invoke(
        app, ["docs", "cli", "--output", str(target)], env={"COLUMNS": "300"}
    )
    assert written.exit_code == 0, written.output
    assert target.read_text(encoding="utf-8") == printed.output == render_reference(get_command(app))


def test_rich_markup_is_removed_and_wrapped_help_is_joined():
    sample = typer.Typer(rich_markup_mode="rich")

    @sample.command("greet")
    def greet(
        name: str = typer.Option("Aroha", help="Who to [bold]greet[/bold] | politely."),
    ) -> None:
        """Say [italic]hello[/italic]
        on one line.

        A second paragraph.\f
        Only for people reading the code."""

    @sample.command("wave")
    def wave() -> None:
        pass  # no help text

    text = render_reference(get_command(sample), program="sample")
    assert "Say hello on one line.\n\nA second paragraph.\n" in text
    assert "Only for people reading the code" not in text
    assert "| `--name` | Who to greet \\| politely. | `Aroha` |" in text
    assert [leaf.path for leaf in leaf_commands(get_command(sample), "sample")] == [
        "sample greet",
        "sample wave",
    ]
    assert plain_help(leaf_commands(get_command(sample), "sample")[1].command.help) == ""
