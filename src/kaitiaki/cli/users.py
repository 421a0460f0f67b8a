"""`kaitiaki users`: add people, list them, change their roles, password and status."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from kaitiaki.cli.common import cli_actor, command_session, load_settings, read_password_line
from kaitiaki.people import queries, service
from kaitiaki.common.roles import ROLES, format_role_spec
from kaitiaki.people.schemas import UserOut

users_app = typer.Typer(help="Users and their roles.", no_args_is_help=True)

ROLE_HELP = (
    "Role, as ROLE or ROLE@UNIT for unit roles (e.g. elt_member@DPMC-SGE). Repeat for several. "
    f"Roles: {', '.join(ROLES)}."
)
RoleOption = Annotated[list[str], typer.Option("--role", "-r", help=ROLE_HELP)]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password as one line from stdin.")
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return read_password_line()
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_app.command("add")
def add(
    email: Annotated[str, typer.Argument(help="Email address; the person signs in with it.")],
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    role: RoleOption,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user with one or more roles."""
    settings = load_settings()
    password = _password(password_stdin)
    with command_session(settings) as session:
        user = service.add_user(
            session, email=email, name=name, password=password, roles=role, actor=cli_actor(),
            password_min_length=settings.password_min_length,
        )
        roles = [format_role_spec(r, unit) for r, unit in service.roles_of(session, user)]
    typer.echo(f"Added {user.email} ({', '.join(roles) or 'no roles'}).")


@users_app.command("list")
def list_users(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List every user with their roles."""
    with command_session() as session:
        rows = [
            UserOut.from_user(user, service.roles_of(session, user))
            for user in queries.list_users(session)
        ]
    if as_json:
        typer.echo(json.dumps([row.model_dump(mode="json") for row in rows], indent=2))
        return
    if not rows:
        typer.echo("No users yet. Add one with `kaitiaki users add`.")
        return
    width = max(len(row.email) for row in rows)
    for row in rows:
        status = "" if row.is_active else "  (deactivated)"
        typer.echo(f"{row.email:<{width}}  {row.name}  [{', '.join(row.roles)}]{status}")


@users_app.command("set-role")
def set_role(
    email: Annotated[str, typer.Argument(help="The user's email address.")],
    role: RoleOption,
) -> None:
    """Replace the user's roles with exactly the --role options given."""
    with command_session() as session:
        user = service.set_roles(session, email=email, roles=role, actor=cli_actor())
        roles = [format_role_spec(r, unit) for r, unit in service.roles_of(session, user)]
    typer.echo(f"{user.email} now has: {', '.join(roles) or 'no roles'}.")


@users_app.command("set-password")
def set_password(
    email: Annotated[str, typer.Argument(help="The user's email address.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a new password for the user."""
    settings = load_settings()
    password = _password(password_stdin)
    with command_session(settings) as session:
        user = service.set_password(
            session, email=email, password=password, actor=cli_actor(),
            password_min_length=settings.password_min_length,
        )
    typer.echo(f"Password changed for {user.email}.")


@users_app.command("sign-out-everywhere")
def sign_out_everywhere(email: Annotated[str, typer.Argument(help="The user's email address.")]) -> None:
    """End every sign-in session of the person at once (a lost laptop or phone); they can sign in again."""
    with command_session() as session:
        ended = service.sign_out_everywhere(session, email=email, actor=cli_actor())
    typer.echo(f"Signed {email.strip().lower()} out everywhere: {ended} session(s) ended.")


@users_app.command("deactivate")
def deactivate(email: Annotated[str, typer.Argument(help="The user's email address.")]) -> None:
    """Mark a person as having left: they can no longer sign in; their records stay."""
    with command_session() as session:
        user = service.deactivate(session, email=email, actor=cli_actor())
    typer.echo(f"Deactivated {user.email}.")
