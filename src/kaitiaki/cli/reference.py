"""`kaitiaki docs cli`: the command-line reference (docs/cli.md), generated from the commands' own
help texts so that the documentation cannot drift from the code.

The Markdown is built from the command objects, not from captured `--help` output, so it does not
depend on the terminal's width, colours or rich's box drawing.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.errors import MarkupError
from rich.text import Text
from typer.core import TyperGroup

PROGRAM = "kaitiaki"
REGENERATE_COMMAND = "kaitiaki docs cli --output docs/cli.md"

docs_app = typer.Typer(help="Documentation generated from the code.", no_args_is_help=True)


@dataclass(frozen=True)
class CommandEntry:
    """One command (a group or a leaf) with the context that knows its full path."""

    path: str
    command: Any  # typer's click Command or TyperGroup
    context: typer.Context

    @property
    def is_group(self) -> bool:
        return isinstance(self.command, TyperGroup)


def walk_commands(root: Any, program: str = PROGRAM) -> Iterator[CommandEntry]:
    """Every visible command under `root`, depth first, in the order `--help` lists them."""
    context = typer.Context(root, info_name=program)
    yield from _walk(CommandEntry(path=program, command=root, context=context))


def _walk(entry: CommandEntry) -> Iterator[CommandEntry]:
    yield entry
    for child in sub_commands(entry):
        yield from _walk(child)


def sub_commands(entry: CommandEntry) -> list[CommandEntry]:
    """The visible direct sub-commands of a group (none for a leaf command)."""
    if not entry.is_group:
        return []
    group = entry.command
    children = []
    for name in group.list_commands(entry.context):
        child = group.get_command(entry.context, name)
        if child is None or child.hidden:
            continue
        context = typer.Context(child, info_name=name, parent=entry.context)
        children.append(CommandEntry(path=context.command_path, command=child, context=context))
    return children


def leaf_commands(root: Any, program: str = PROGRAM) -> list[CommandEntry]:
    return [entry for entry in walk_commands(root, program) if not entry.is_group]


def plain_help(text: str | None) -> str:
    """A help text as a reader sees it: rich markup removed, paragraphs unwrapped.

    Click drops everything after a form feed (text meant for the code reader only) and `\\b` marks a
    paragraph it must not rewrap; neither belongs in the reference.
    """
    if not text:
        return ""
    text = text.split("\f", 1)[0]
    try:
        text = Text.from_markup(text).plain
    except MarkupError:
        pass  # not markup after all (an unmatched closing tag): show the text as written
    paragraphs = []
    for block in text.replace("\b", "").strip().split("\n\n"):
        joined = " ".join(line.strip() for line in block.splitlines() if line.strip())
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def usage_line(entry: CommandEntry) -> str:
    return " ".join([entry.path, *entry.command.collect_usage_pieces(entry.context)])


def _parameter_names(parameter: Any) -> str:
    if parameter.param_type_name == "argument":
        return f"`{parameter.name}` (argument)"
    names = [*parameter.opts, *parameter.secondary_opts]
    return ", ".join(f"`{name}`" for name in names)


def _default_text(parameter: Any) -> str:
    if parameter.show_default is False:
        return ""
    value = parameter.default
    if value is None or value == "" or value == [] or value == ():
        return ""
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(item) for item in value)
    return f"`{value}`"


def _table_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n\n", "<br>").replace("\n", " ")


def _parameter_rows(entry: CommandEntry) -> list[str]:
    rows = []
    for parameter in entry.command.get_params(entry.context):
        if getattr(parameter, "hidden", False) or "--help" in parameter.opts:
            continue
        help_text = plain_help(getattr(parameter, "help", None))
        if parameter.required:
            help_text = f"{help_text} (required)".strip()
        cells = [_parameter_names(parameter), _table_cell(help_text), _default_text(parameter)]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _render_entry(entry: CommandEntry) -> list[str]:
    depth = entry.path.count(" ")
    heading = "#" * min(depth + 1, 6)
    lines = [f"{heading} `{entry.path}`", ""]
    help_text = plain_help(entry.command.help)
    if help_text:
        lines += [help_text, ""]
    lines += ["```", usage_line(entry), "```", ""]
    if entry.is_group:
        children = sub_commands(entry)
        if children:
            lines += ["| command | what it does |", "|---|---|"]
            for child in children:
                summary = plain_help(child.command.short_help or child.command.help)
                lines.append(f"| `{child.path}` | {_table_cell(summary)} |")
            lines.append("")
        return lines
    rows = _parameter_rows(entry)
    if rows:
        lines += ["| name | what it does | default |", "|---|---|---|", *rows, ""]
    return lines


def render_reference(root: Any, program: str = PROGRAM) -> str:
    """The whole command-line reference as Markdown, ending with one newline."""
    lines = [
        "# Command-line reference",
        "",
        f"<!-- Generated by `{REGENERATE_COMMAND}`; do not edit by hand. -->",
        "",
        f"Every `{program}` command, its options and their defaults. Each command also takes "
        "`--help`, which prints the same help on the terminal. Settings that commands read from "
        "the environment are listed in [configuration](configuration.md).",
        "",
    ]
    for entry in walk_commands(root, program):
        if entry.path == program:
            continue  # the introduction above stands in for the root's own section
        lines += _render_entry(entry)
    return "\n".join(lines).rstrip("\n") + "\n"


@docs_app.command("cli")
def cli_reference(
    context: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output."),
    ] = None,
) -> None:
    """Print the command-line reference (Markdown) for every `kaitiaki` command."""
    text = render_reference(context.find_root().command)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    typer.echo(f"Wrote {output}.")
