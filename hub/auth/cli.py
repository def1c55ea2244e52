"""`flask --app hub users ...`: the first admin, and TOTP enrolment from the command line."""

from __future__ import annotations

import os

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError, ProgrammingError

from . import service

users_command = click.Group("users", help="Manage user accounts.")

# The command line speaks Swedish like the interface, without a request to pick a language from.
CLI_ERRORS = {
    "bad_email": "Ogiltig e-postadress.",
    "email_taken": "Det finns redan ett konto med e-postadressen {email}.",
    "unknown_organisation": "Organisationen '{org}' finns inte. Ange dess slug, t.ex. kristianstads-kommun.",
    "bad_role": "Okänd roll '{role}'. Välj member, moderator eller admin.",
    "password_too_short": f"Lösenordet måste vara minst {service.MIN_PASSWORD_LENGTH} tecken långt.",
    "password_too_long": f"Lösenordet får vara högst {service.MAX_PASSWORD_LENGTH} tecken långt.",
}


def _database_error() -> click.ClickException:
    return click.ClickException(
        "Databasen går inte att nå eller saknar tabeller. Kontrollera DATABASE_URL och kör "
        "`flask --app hub db upgrade` först."
    )


def _password() -> str:
    from_env = os.environ.get("HUB_PASSWORD")
    if from_env:
        return from_env
    return click.prompt("Lösenord", hide_input=True, confirmation_prompt="Upprepa lösenordet")


@users_command.command("create")
@click.argument("email")
@click.option("--org", "org_slug", required=True, help="The organisation's slug.")
@click.option("--role", default="member", show_default=True, help="member, moderator or admin.")
@click.option("--org-admin", is_flag=True, help="May invite others into the organisation.")
@click.option("--name", default="", help="Display name (defaults to the part before @).")
@with_appcontext
def create_command(email: str, org_slug: str, role: str, org_admin: bool, name: str) -> None:
    """Create an account. The password comes from HUB_PASSWORD or is asked for."""
    def fail(error: service.AccountError):
        message = CLI_ERRORS.get(error.code, error.code)
        return click.ClickException(message.format(email=service.normalise_email(email), org=org_slug, role=role))

    try:
        # Everything but the password first, so a typo fails before the prompt.
        service.check_new_account(email, org_slug, role)
        user = service.create_user(email, org_slug, role, _password(), is_org_admin=org_admin, name=name)
    except service.AccountError as error:
        raise fail(error) from None
    except (OperationalError, ProgrammingError):
        raise _database_error() from None
    extra = " (organisationsadministratör)" if user.is_org_admin else ""
    click.echo(f"Kontot {user.email} är skapat: {user.role} i {user.organisation.name}{extra}.")
    if user.needs_second_factor:
        click.echo("Tvåstegsverifiering ställs in vid första inloggningen, eller med `users totp-enrol`.")


@users_command.command("totp-enrol")
@click.argument("email")
@click.option("--qr", is_flag=True, help="Also draw the QR code in the terminal.")
@with_appcontext
def totp_enrol_command(email: str, qr: bool) -> None:
    """Turn on TOTP for an account (replacing any earlier secret) and print the otpauth:// URI."""
    try:
        user = service.find_user_by_email(email)
    except (OperationalError, ProgrammingError):
        raise _database_error() from None
    if user is None:
        raise click.ClickException(f"Det finns inget konto med e-postadressen {service.normalise_email(email)}.")
    replaced = user.totp_enabled
    uri, codes = service.enrol_totp(user)
    if replaced:
        click.echo("Den tidigare nyckeln och återställningskoderna fungerar inte längre.")
    click.echo("Lägg in den här adressen i en autentiseringsapp:")
    click.echo(uri)
    if qr:
        import segno

        segno.make(uri, error="m").terminal(compact=True)
    click.echo("Återställningskoder (visas bara nu, var och en fungerar en gång):")
    for code in codes:
        click.echo(f"  {code}")
