"""The `kaitiaki` command. Each domain adds its commands in its own module, registered below."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="kaitiaki",
    help="Kaitiaki puts the agency's social media policy into practice.",
    no_args_is_help=True,
    add_completion=False,
)


def main() -> None:
    app()
