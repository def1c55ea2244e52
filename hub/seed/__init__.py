"""Demo data drawn from the public source texts in shared/seeds (see README)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has organisations.")
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo organisations, contracts and posts (idempotent)."""
    from . import foundation

    if if_empty and foundation.has_data():
        click.echo("Databasen har redan innehåll; demodata laddas inte.")
        return
    foundation.load()
    logins = foundation.demo_logins(production=current_app.config["PRODUCTION"])
    from . import posts

    posts.load()
    from . import challenges

    challenges.load()
    from . import curation  # last: it features demo posts and files a report as a demo member

    curation.load()
    click.echo("Demodata laddad.")
    if logins:
        click.echo("Demoinloggningar (bara utanför produktion):")
        for email, password, what in logins:
            click.echo(f"  {email} / {password}  ({what})")
