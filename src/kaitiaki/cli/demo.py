"""`kaitiaki demo`: a migrated database with the demo organisation and a user for every role."""

from __future__ import annotations

import typer

from kaitiaki.cli.common import connected_engine, load_settings
from kaitiaki.db import migrate, session_scope
from kaitiaki.demo import load_demo
from kaitiaki.people.demo import DEMO_PASSWORD


def demo() -> None:
    """Migrate the database and load demo data (safe to run again). Prints the sign-ins."""
    settings = load_settings()
    with connected_engine(settings, require_schema=False) as engine:
        migrate(engine)
        with session_scope(engine) as session:
            sign_ins = load_demo(session)
    typer.echo(f"Demo data loaded into {settings.masked_database_url()}.")
    typer.echo(f"Sign in with any of these; the password is {DEMO_PASSWORD}")
    width = max(len(email) for email, _role in sign_ins)
    for email, role in sign_ins:
        typer.echo(f"  {email:<{width}}  {role}")
