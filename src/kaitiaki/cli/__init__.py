"""The `kaitiaki` command. Each domain adds its commands in its own module, registered below."""

from __future__ import annotations

import typer

from kaitiaki.cli.audit import audit_app
from kaitiaki.cli.channels import channels_app
from kaitiaki.cli.check import check
from kaitiaki.cli.comments import comments_app
from kaitiaki.cli.complaints import complaints_app
from kaitiaki.cli.db import db_app
from kaitiaki.cli.demo import demo
from kaitiaki.cli.oia import oia_app
from kaitiaki.cli.pack import pack_app
from kaitiaki.cli.posts import posts_app
from kaitiaki.cli.reference import docs_app
from kaitiaki.cli.serve import serve
from kaitiaki.cli.transparency import transparency_app
from kaitiaki.cli.users import users_app
from kaitiaki.cli.worker import outbox_app, retention_app, worker

app = typer.Typer(
    name="kaitiaki",
    help="Kaitiaki puts the agency's social media policy into practice.",
    no_args_is_help=True,
    add_completion=False,
)

app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(channels_app, name="channels")
app.add_typer(comments_app, name="comments")
app.add_typer(complaints_app, name="complaints")
app.add_typer(transparency_app, name="transparency")
app.add_typer(oia_app, name="oia")
app.add_typer(posts_app, name="posts")
app.command("demo")(demo)
app.command("serve")(serve)
app.add_typer(pack_app, name="pack")
app.command("check")(check)
app.add_typer(docs_app, name="docs")
app.command("worker")(worker)
app.add_typer(outbox_app, name="outbox")
app.add_typer(retention_app, name="retention")


def main() -> None:
    app()
