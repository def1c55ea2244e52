"""`flask --app hub organisations create`: an organisation from the command line (the first one,
before anyone can log in to add more)."""

from __future__ import annotations

import click

from .. import labels
from . import bp, service


@bp.cli.command("create")
@click.argument("name")
@click.option("--kind", required=True, type=click.Choice(list(labels.ORG_KINDS)), help="What kind of actor.")
@click.option("--municipality", required=True, help="The municipality it works in, e.g. Borås.")
@click.option("--slug", default="", help="Its address in the hub (default: from the name).")
@click.option("--sector", default="")
@click.option("--size", "size_band", default="", type=click.Choice(["", *labels.SIZE_BANDS]), help="Size band.")
@click.option("--website", default="")
@click.option("--description", default="")
def create_command(name: str, **fields: str) -> None:
    """Add an organisation."""
    try:
        organisation = service.create_organisation(None, {"name": name, **fields})
    except service.ProfileError as error:
        raise click.ClickException(" ".join(str(message) for message in error.errors.values())) from None
    click.echo(f"Organisationen {organisation.name} är tillagd med adressen {organisation.slug}.")
