"""Wiring: the header's unread count, mail after the response, and the `notifications` CLI."""

from __future__ import annotations

import logging

import click
from flask import Flask, current_app, g
from flask.cli import AppGroup
from flask_login import current_user

from ..extensions import db

log = logging.getLogger(__name__)

notifications_cli = AppGroup("notifications", help="Notiser: e-post direkt och dagliga sammanfattningar.")


@notifications_cli.command("send-digest")
def send_digest_command() -> None:
    """Mail the daily digest to everyone who chose it (run once a day from cron)."""
    from ..mail import mail_configured
    from .mail import send_digest

    if not mail_configured():
        click.echo("MAIL_SERVER är inte satt; inga sammanfattningar skickas.")
        return
    click.echo(f"Skickade {send_digest()} sammanfattningar.")


@notifications_cli.command("send-pending")
def send_pending_command() -> None:
    """Mail notifications still waiting for users who chose immediate e-mail (a safety net for cron)."""
    from .mail import send_immediate

    click.echo(f"Skickade {send_immediate()} notiser.")


def _deliver(app: Flask) -> None:
    with app.app_context():
        try:
            from .mail import send_immediate

            send_immediate()
        except Exception:  # the response is already sent; never let mail break anything
            log.exception("Could not mail notifications")
            db.session.rollback()
        finally:
            db.session.remove()


def init_app(app: Flask) -> None:
    app.cli.add_command(notifications_cli)

    @app.context_processor
    def unread_notifications():
        # Correct on every page load without JavaScript; htmx refreshes it between loads.
        def count() -> int:
            from .inbox import unread_count

            return unread_count(current_user) if current_user.is_authenticated else 0

        return {"unread_notifications": count}

    @app.after_request
    def mail_after_response(response):
        if g.pop("hub_notifications_created", False) and current_app.config.get("MAIL_SERVER"):
            app = current_app._get_current_object()
            response.call_on_close(lambda: _deliver(app))
        return response
