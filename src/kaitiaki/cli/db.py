"""`kaitiaki db`: bring the database schema up to date."""

from __future__ import annotations

import typer

from kaitiaki.cli.common import connected_engine, load_settings
from kaitiaki.db import current_revisions, head_revisions, migrate

db_app = typer.Typer(help="Database schema: upgrade and inspect.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade() -> None:
    """Apply every pending migration (safe to run again; it does nothing when up to date)."""
    settings = load_settings()
    with connected_engine(settings, require_schema=False) as engine:
        migrate(engine)
        revisions = ", ".join(sorted(current_revisions(engine)))
    typer.echo(f"Database at {settings.masked_database_url()} is at revision {revisions}.")


@db_app.command("current")
def current() -> None:
    """Show the database's schema revision and whether migrations are pending (exit 1 if so)."""
    settings = load_settings()
    with connected_engine(settings, require_schema=False) as engine:
        have = current_revisions(engine)
        want = head_revisions()
    typer.echo(f"Database at {settings.masked_database_url()}: revision "
               f"{', '.join(sorted(have)) or 'none'} (latest {', '.join(sorted(want))}).")
    if have != want:
        typer.echo("Migrations are pending: run `kaitiaki db upgrade`.")
        raise typer.Exit(1)
