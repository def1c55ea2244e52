"""Accounts come by invitation: who may invite whom, the signed link, and what the invitee sees."""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from datetime import timedelta

import pyotp
import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from werkzeug.exceptions import Forbidden

from hub.auth import service
from hub.extensions import db
from hub.models import Invitation, User



PASSWORD = "ett-långt-lösenord"


def page(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def orgs(make_org):
    return make_org("kristianstads-kommun", "Kristianstads kommun"), make_org("t-kartor", "T-Kartor", kind="foretag")


@pytest.fixture
def admin(make_user, orgs, login_as):
    return make_user("admin@example.se", org=orgs[0], role="admin", name="Ada Admin")


@pytest.fixture
def org_admin(make_user, orgs):
    return make_user("chef@t-kartor.se", org=orgs[1], is_org_admin=True, name="Tove Chef")


@contextmanager
def signed_days_ago(app, monkeypatch, days):
    """Links made inside this block carry a signature from `days` ago (only the hub's links)."""
    then = int(time.time()) - days * 24 * 3600

    class EarlierSigner(TimestampSigner):
        def get_timestamp(self):
            return then

    with monkeypatch.context() as m:
        m.setattr(service, "_serializer", lambda salt: URLSafeTimedSerializer(app.secret_key, salt=salt, signer=EarlierSigner))
        yield


def invite(client, email, **fields):
    return client.post("/invite", data={"email": email, **fields})


def shown_link(client) -> str:
    html = page(client.get("/invite"))
    return re.search(r'id="invite-link" value="([^"]+)"', html).group(1)


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def accept(client, path, name="Nina Ny", password=PASSWORD, confirm=None):
    return client.post(path, data={"name": name, "password": password, "confirm": confirm or password})


# --- inviting -------------------------------------------------------------------------------


def test_admin_invites_anyone_anywhere_and_sees_the_link_without_mail(client, login_as, admin, orgs, caplog):
    login_as(admin)
    form = page(client.get("/invite"))
    assert '<label for="organisation">Organisation</label>' in form
    assert '<label for="role">Roll</label>' in form

    caplog.set_level("INFO")
    response = invite(client, "Ny.Moderator@Example.SE", organisation=orgs[1].id, role="moderator", is_org_admin="y")
    assert response.status_code == 303
    assert response.headers["Location"] == "/invite"

    html = page(client.get("/invite"))
    assert "Inbjudan till ny.moderator@example.se är skapad." in html
    link = re.search(r'id="invite-link" value="([^"]+)"', html).group(1)
    assert "/invite/" in link
    assert link in caplog.text  # and logged, for whoever runs the hub
    # The link is shown once, right after inviting; the list remembers the invitation.
    again = page(client.get("/invite"))
    assert 'id="invite-link"' not in again
    assert "ny.moderator@example.se" in again and "Väntar" in again

    invitation = db.session.scalar(db.select(Invitation))
    assert (invitation.email, invitation.organisation_id, invitation.role, invitation.is_org_admin) == (
        "ny.moderator@example.se", orgs[1].id, "moderator", True
    )


def test_org_admin_invites_members_into_their_own_organisation(client, login_as, org_admin, orgs):
    login_as(org_admin)
    form = page(client.get("/invite"))
    assert "Personen bjuds in som medlem i T-Kartor." in form
    assert 'name="role"' not in form and 'name="organisation"' not in form

    # Whatever is posted, the invitation is for a member of their own organisation.
    response = invite(client, "kollega@t-kartor.se", organisation=orgs[0].id, role="admin", is_org_admin="y")
    assert response.status_code == 303
    invitation = db.session.scalar(db.select(Invitation))
    assert (invitation.organisation_id, invitation.role, invitation.is_org_admin) == (orgs[1].id, "member", True)


def test_org_admin_cannot_invite_elsewhere_or_above_member(org_admin, orgs):
    with pytest.raises(Forbidden):
        service.create_invitation(org_admin, "x@example.se", orgs[0].id)
    with pytest.raises(Forbidden):
        service.create_invitation(org_admin, "x@example.se", orgs[1].id, role="moderator")


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_people_who_are_not_admins_cannot_invite(client, login_as, make_user, orgs, role):
    login_as(make_user("vanlig@example.se", org=orgs[0], role=role))
    assert client.get("/invite").status_code == 403
    assert invite(client, "x@example.se").status_code == 403
    assert db.session.scalar(db.select(Invitation)) is None


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/invite")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/invite")


def test_inviting_an_existing_account_is_an_error_next_to_the_field(client, login_as, admin, orgs):
    login_as(admin)
    response = invite(client, "ADMIN@example.se", organisation=orgs[0].id, role="member")
    assert response.status_code == 422
    html = page(response)
    assert re.search(r'id="email-error">Det finns redan ett konto med den e-postadressen\.', html)
    assert 'value="ADMIN@example.se"' in html


@pytest.mark.parametrize(
    "data, error",
    [
        ({"email": "inte-en-adress"}, "Det ser inte ut som en e-postadress."),
        ({"email": ""}, "Fyll i e-postadressen."),
        ({"email": "ok@example.se", "organisation": "abc"}, None),
        ({"email": "ok@example.se", "organisation": "999999"}, None),
        ({"email": "ok@example.se", "role": "kung"}, None),
    ],
)
def test_bad_invitations_are_refused_without_a_server_error(client, login_as, admin, orgs, data, error):
    login_as(admin)
    data = {"organisation": str(orgs[0].id), "role": "member", **data}
    response = client.post("/invite", data=data)
    assert response.status_code == 422
    if error:
        assert error in page(response)
    assert db.session.scalar(db.select(Invitation)) is None


def test_with_mail_configured_the_invitation_is_mailed(app, client, login_as, admin, orgs, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            self.host = host

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context):
            pass

        def login(self, user, password):
            pass

        def send_message(self, message):
            sent.append(message)

    monkeypatch.setattr("hub.mail.smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.se")
    monkeypatch.setitem(app.config, "HUB_BASE_URL", "https://klimathubben.example.se")
    login_as(admin)
    invite(client, "ny@example.se", organisation=orgs[1].id, role="member")

    html = page(client.get("/invite"))
    assert "Inbjudan är skickad till ny@example.se." in html
    assert 'id="invite-link"' not in html  # the link went to the invitee only
    (message,) = sent
    assert message["To"] == "ny@example.se"
    assert message["Subject"] == "Inbjudan till Klimathubben"
    body = message.get_content()
    assert "Ada Admin har bjudit in dig till Klimathubben som medlem för T-Kartor." in body
    assert re.search(r"https://klimathubben\.example\.se/invite/\S+", body)


def test_when_mail_fails_the_inviter_gets_the_link(app, client, login_as, admin, orgs, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("hub.mail.smtplib.SMTP", refuse)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.se")
    login_as(admin)
    invite(client, "ny@example.se", organisation=orgs[1].id, role="member")
    html = page(client.get("/invite"))
    assert "E-postmeddelandet kunde inte skickas." in html
    assert 'id="invite-link"' in html


# --- accepting ------------------------------------------------------------------------------


def test_invitee_sets_name_and_password_and_is_logged_in(app, client, login_as, admin, orgs):
    login_as(admin)
    invite(client, "nina@example.se", organisation=orgs[1].id, role="member", is_org_admin="y")
    path = path_of(shown_link(client))
    client.post("/logout")

    invitee = app.test_client()
    form = page(invitee.get(path))
    assert "Du är inbjuden som medlem för T-Kartor." in form
    assert "nina@example.se" in form

    response = accept(invitee, path, name="  Nina  Ny ")
    assert response.status_code == 303
    assert "Välkommen till Klimathubben, Nina Ny!" in page(invitee.get("/"))
    account = page(invitee.get("/account"))
    assert "T-Kartor" in account and "organisationsadministratör" in account

    user = db.session.scalar(db.select(User).where(User.email == "nina@example.se"))
    assert (user.name, user.organisation_id, user.role, user.is_org_admin) == ("Nina Ny", orgs[1].id, "member", True)
    assert user.check_password(PASSWORD)


def test_invitation_link_works_once(app, client, login_as, admin, orgs):
    login_as(admin)
    invite(client, "nina@example.se", organisation=orgs[1].id, role="member")
    path = path_of(shown_link(client))
    accept(app.test_client(), path)

    again = app.test_client().get(path)
    assert again.status_code == 410
    assert "Inbjudan har redan använts" in page(again)
    assert accept(app.test_client(), path, name="Någon Annan").status_code == 410
    assert db.session.scalar(db.select(db.func.count()).select_from(User).where(User.email == "nina@example.se")) == 1


def test_invitation_expires_after_seven_days(app, client, login_as, admin, orgs, monkeypatch):
    login_as(admin)
    with signed_days_ago(app, monkeypatch, 8):
        invite(client, "sen@example.se", organisation=orgs[1].id, role="member")
    path = path_of(shown_link(client))

    response = app.test_client().get(path)
    assert response.status_code == 410
    assert "Inbjudan har gått ut" in page(response)
    assert accept(app.test_client(), path).status_code == 410
    assert db.session.scalar(db.select(User).where(User.email == "sen@example.se")) is None


def test_invitation_older_than_seven_days_is_void_even_with_a_fresh_signature(app, client, login_as, admin, orgs):
    login_as(admin)
    invite(client, "sen@example.se", organisation=orgs[1].id, role="member")
    invitation = db.session.scalar(db.select(Invitation))
    invitation.created_at = invitation.created_at - timedelta(days=8)
    db.session.commit()
    with app.test_request_context():
        token = service.invitation_token(invitation)
    assert app.test_client().get(f"/invite/{token}").status_code == 410


def test_six_day_old_invitation_still_works(app, client, login_as, admin, orgs, monkeypatch):
    login_as(admin)
    with signed_days_ago(app, monkeypatch, 6):
        invite(client, "snart@example.se", organisation=orgs[1].id, role="member")
    assert app.test_client().get(path_of(shown_link(client))).status_code == 200


@pytest.mark.parametrize("token", ["garbage", "eyJpIjoxLCJuIjoieCJ9.abc.def", "x" * 3000, "%00"])
def test_garbled_links_get_a_clear_page(client, token):
    response = client.get(f"/invite/{token}")
    assert response.status_code == 404
    assert "Länken är ogiltig" in page(response)


def test_a_link_for_another_invitation_id_is_refused(app, client, login_as, admin, orgs):
    login_as(admin)
    invite(client, "a@example.se", organisation=orgs[1].id, role="member")
    invitation = db.session.scalar(db.select(Invitation))
    with app.test_request_context():
        forged = service._serializer("invite").dumps({"i": invitation.id, "n": "gissad"})
        wrong_salt = service._serializer("reset").dumps({"i": invitation.id, "n": invitation.nonce})
    assert client.get(f"/invite/{forged}").status_code == 404
    assert client.get(f"/invite/{wrong_salt}").status_code == 404


def test_invitee_errors_are_shown_next_to_the_fields(app, client, login_as, admin, orgs):
    login_as(admin)
    invite(client, "nina@example.se", organisation=orgs[1].id, role="member")
    path = path_of(shown_link(client))
    invitee = app.test_client()

    short = accept(invitee, path, password="kort")
    assert short.status_code == 422
    assert "Lösenordet måste vara minst 10 tecken långt." in page(short)
    assert 'value="Nina Ny"' in page(short)

    mismatch = accept(invitee, path, confirm="ett-annat-lösenord")
    assert "Lösenorden är inte likadana." in page(mismatch)

    no_name = accept(invitee, path, name="   ")
    assert "Fyll i ditt namn." in page(no_name)
    assert db.session.scalar(db.select(User).where(User.email == "nina@example.se")) is None


def test_address_registered_meanwhile_makes_the_invitation_void(app, client, login_as, admin, orgs, make_user):
    login_as(admin)
    invite(client, "nina@example.se", organisation=orgs[1].id, role="member")
    path = path_of(shown_link(client))
    make_user("nina@example.se", org=orgs[1])
    response = app.test_client().get(path)
    assert response.status_code == 410
    assert "Det finns redan ett konto med den här e-postadressen." in page(response)


def test_invited_moderator_sets_up_the_second_factor_before_getting_in(app, client, login_as, admin, orgs):
    login_as(admin)
    invite(client, "mod@example.se", organisation=orgs[0].id, role="moderator")
    path = path_of(shown_link(client))

    invitee = app.test_client()
    response = accept(invitee, path)
    assert response.headers["Location"] == "/login/enrol"
    assert invitee.get("/account").status_code == 302
    setup = page(invitee.get("/login/enrol"))
    secret = re.search(r'<code class="totp-secret">([A-Z2-7 ]+)</code>', setup).group(1).replace(" ", "")
    invitee.post("/login/enrol", data={"code": pyotp.TOTP(secret).now()})
    assert invitee.get("/account").status_code == 200
