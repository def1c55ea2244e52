"""`flask --app hub search rebuild|check|drain|optimize`."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

search_command = AppGroup("search", help="Sökindexet: bygg om, kontrollera, töm kön.")


def _service():
    return current_app.extensions["hub_search"]


@search_command.command("rebuild")
def rebuild_command() -> None:
    """Rebuild the search index from the database."""
    started = time.monotonic()
    count = _service().rebuild()
    click.echo(f"Sökindexet byggt om: {count} inlägg på {time.monotonic() - started:.1f} s.")


@search_command.command("check")
@click.option("--no-repair", is_flag=True, help="Only report differences.")
def check_command(no_repair: bool) -> None:
    """Compare the index with the database and repair what differs."""
    service = _service()
    service.ensure_ready()
    report = service.check(repair=not no_repair)
    if report.ok:
        click.echo("Sökindexet stämmer med databasen.")
        return
    click.echo(
        f"Saknas i indexet: {len(report.missing)}, inaktuella: {len(report.stale)}, "
        f"ska inte finnas: {len(report.extra)}."
    )
    for label, ids in (("saknas", report.missing), ("inaktuella", report.stale), ("överflödiga", report.extra)):
        if ids:
            click.echo(f"  {label}: {', '.join(map(str, ids[:50]))}{' …' if len(ids) > 50 else ''}")
    if report.repaired:
        click.echo("Skillnaderna är åtgärdade.")
    else:
        raise SystemExit(1)


@search_command.command("drain")
def drain_command() -> None:
    """Apply pending index work from the outbox (retrying failed rows)."""
    from . import outbox

    service = _service()
    service.ensure_ready()
    result = outbox.drain(current_app._get_current_object())
    left = outbox.pending()
    click.echo(f"Indexerat: {result['done']}, misslyckades: {result['failed']}, kvar i kön: {left}.")
    if result["failed"]:
        raise SystemExit(1)


@search_command.command("optimize")
def optimize_command() -> None:
    """Merge the index into one segment (Whoosh); run outside busy hours."""
    started = time.monotonic()
    _service().backend.optimize()
    click.echo(f"Sökindexet optimerat på {time.monotonic() - started:.1f} s.")
