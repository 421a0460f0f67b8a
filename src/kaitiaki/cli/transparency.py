"""`kaitiaki transparency render`: the transparency statement for the agency's website."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kaitiaki.checker import load_pack
from kaitiaki.cli.common import command_session, load_settings, reported_errors
from kaitiaki.transparency.render import FORMATS, render
from kaitiaki.transparency.statement import build_statement

transparency_app = typer.Typer(help="The public social media transparency statement.",
                               no_args_is_help=True)


@transparency_app.command("render")
def render_statement(
    format: Annotated[str, typer.Option("--format", "-f", help="md, html or json.")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file "
                                                "instead of standard output.")] = None,
) -> None:
    """Render the statement from the policy pack and the live records."""
    if format not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    settings = load_settings()
    with reported_errors(), command_session(settings) as session:
        statement = build_statement(session, pack=load_pack(settings.policy_pack),
                                    base_url=settings.base_url, zone=settings.zone)
        text = render(statement, format)
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote the transparency statement ({format}) to {output}.", err=True)


__all__ = ["transparency_app"]
