"""`flask --app hub contracts import FILE`: a contract with its parties and commitments from JSON
in the shape /api/v1/contracts/<id> answers, so a contract can also move from one hub to another."""

from __future__ import annotations

import json

import click

from . import bp, service


@bp.cli.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
def import_command(file) -> None:
    """Add a contract from a JSON file ('-' reads standard input)."""
    try:
        data = json.load(file)
    except json.JSONDecodeError as error:
        raise click.ClickException(f"Filen är inte giltig JSON (rad {error.lineno}, kolumn {error.colno}).") from None
    try:
        contract = service.import_contract(data)
    except service.ContractImportError as error:
        raise click.ClickException(str(error)) from None
    commitments = sum(len(party.commitments) for party in contract.parties)
    click.echo(f"Kontraktet '{contract.title}' är tillagt med {len(contract.parties)} parter och "
               f"{commitments} åtaganden: /contracts/{contract.id}")
