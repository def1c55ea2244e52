"""`flask --app hub users create` and `users totp-enrol`, as an operator would run them."""

from __future__ import annotations

import re

import pyotp
import pytest

from hub.extensions import db
from hub.models import RecoveryCode, User



PASSWORD = "ett-långt-lösenord"


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def org(make_org):
    return make_org("kristianstads-kommun", "Kristianstads kommun")


def create(runner, *args, password=PASSWORD, input=None):
    env = {"HUB_PASSWORD": password} if password is not None else {"HUB_PASSWORD": ""}
    return runner.invoke(args=["users", "create", *args], env=env, input=input)


def test_create_the_first_admin(runner, org, client):
    result = create(runner, "Admin@Example.SE", "--org", "kristianstads-kommun", "--role", "admin")
    assert result.exit_code == 0, result.output
    assert "Kontot admin@example.se är skapat: admin i Kristianstads kommun." in result.output
    user = db.session.scalar(db.select(User).where(User.email == "admin@example.se"))
    assert user.role == "admin" and not user.is_org_admin and user.check_password(PASSWORD)
    # The new admin logs in (and is then asked to set up the second factor).
    response = client.post("/login", data={"email": "admin@example.se", "password": PASSWORD})
    assert response.headers["Location"] == "/login/enrol"


def test_create_an_org_admin_with_the_password_prompted(runner, org):
    result = create(runner, "chef@example.se", "--org", "kristianstads-kommun", "--org-admin", "--name", "Karin Chef",
                    password=None, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input
    user = db.session.scalar(db.select(User).where(User.email == "chef@example.se"))
    assert (user.role, user.is_org_admin, user.name) == ("member", True, "Karin Chef")


def test_duplicate_email_fails_clearly(runner, org, make_user):
    make_user("anna@example.se", org=org)
    result = create(runner, "ANNA@example.se", "--org", "kristianstads-kommun")
    assert result.exit_code != 0
    assert "Det finns redan ett konto med e-postadressen anna@example.se." in result.output


def test_unknown_organisation_fails_clearly(runner, org):
    result = create(runner, "ny@example.se", "--org", "finns-inte")
    assert result.exit_code != 0
    assert "Organisationen 'finns-inte' finns inte." in result.output
    assert db.session.scalar(db.select(User)) is None


@pytest.mark.parametrize(
    "args, password, message",
    [
        (["--role", "kung"], PASSWORD, "Okänd roll 'kung'."),
        ([], "kort", "Lösenordet måste vara minst 10 tecken långt."),
    ],
)
def test_bad_role_or_short_password_fails_clearly(runner, org, args, password, message):
    result = create(runner, "ny@example.se", "--org", "kristianstads-kommun", *args, password=password)
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(db.select(User)) is None


def test_bad_email_fails_clearly(runner, org):
    result = create(runner, "inte en adress", "--org", "kristianstads-kommun")
    assert result.exit_code != 0
    assert "Ogiltig e-postadress." in result.output


def test_totp_enrol_prints_the_uri_and_recovery_codes(runner, org, make_user, app):
    user = make_user("mod@example.se", org=org, role="moderator")
    result = runner.invoke(args=["users", "totp-enrol", "MOD@example.se"])
    assert result.exit_code == 0, result.output
    uri = re.search(r"otpauth://totp/\S+", result.output).group(0)
    assert "issuer=Klimathubben" in uri
    codes = re.findall(r"^  ([a-z0-9]{5}-[a-z0-9]{5})$", result.output, re.M)
    assert len(codes) == 10

    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.totp_enabled
    assert len(db.session.scalars(db.select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()) == 10

    # The printed URI is what the authenticator app uses to log in.
    client = app.test_client()
    client.post("/login", data={"email": "mod@example.se", "password": "lösenord-123"})
    assert client.post("/login/code", data={"code": pyotp.parse_uri(uri).now()}).status_code == 303


def test_totp_enrol_for_an_unknown_account_fails(runner):
    result = runner.invoke(args=["users", "totp-enrol", "ingen@example.se"])
    assert result.exit_code != 0
    assert "Det finns inget konto med e-postadressen ingen@example.se." in result.output
