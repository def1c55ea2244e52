"""The account page: profile, e-mail preference, password change and the second factor."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from hub.extensions import db
from hub.models import RecoveryCode, User



PASSWORD = "lösenord-123"
NEW_PASSWORD = "ett-helt-nytt-lösenord"


def page(response) -> str:
    return response.get_data(as_text=True)


def log_in(client, email="anna@example.se", password=PASSWORD, **data):
    return client.post("/login", data={"email": email, "password": password, **data})


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        "/account/password", data={"current_password": current, "new_password": new, "confirm": confirm or new}
    )


def test_account_page_shows_who_you_are(client, make_user, make_org, login_as):
    org = make_org("eskilstuna-kommun", "Eskilstuna kommun")
    login_as(make_user("anna@example.se", org=org, name="Anna Andersson", is_org_admin=True))
    html = page(client.get("/account"))
    assert "Mitt konto" in html
    assert "Eskilstuna kommun" in html
    assert "Medlem, organisationsadministratör" in html
    assert 'href="/invite"' in html
    assert 'href="/admin/users"' not in html
    assert 'aria-current="page"' in html  # the header link says where you are


def test_change_name_and_email_preference(client, make_user, login_as):
    user = login_as(make_user())
    form = page(client.get("/account"))
    assert "Ingen e-post" in form and "Daglig sammanfattning" in form
    response = client.post("/account/profile", data={"name": "  Anna  Berg ", "email_mode": "daily"})
    assert response.status_code == 303
    assert "Dina uppgifter är sparade." in page(client.get("/account"))
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.name, user.email_mode) == ("Anna Berg", "daily")


@pytest.mark.parametrize("data", [{"name": "", "email_mode": "off"}, {"name": "Anna", "email_mode": "varje-minut"}, {}])
def test_bad_profile_input_is_refused_next_to_the_field(client, make_user, login_as, data):
    login_as(make_user())
    response = client.post("/account/profile", data=data)
    assert response.status_code == 422
    assert 'class="error"' in page(response)


def test_password_change_keeps_you_logged_in_and_ends_other_sessions(app, client, make_user):
    make_user()
    other = app.test_client()
    log_in(client, remember="y")
    log_in(other)
    old_remember = client.get_cookie("remember_token").value

    response = change_password(client)
    assert response.status_code == 303
    assert "Lösenordet är bytt." in page(client.get("/account"))
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302

    # The remember cookie was renewed; the old one is worthless.
    new_remember = client.get_cookie("remember_token").value
    assert new_remember != old_remember
    stale, fresh = app.test_client(), app.test_client()
    stale.set_cookie("remember_token", old_remember)
    fresh.set_cookie("remember_token", new_remember)
    assert stale.get("/account").status_code == 302
    assert fresh.get("/account").status_code == 200

    assert log_in(app.test_client(), password=NEW_PASSWORD).status_code == 303


def test_password_change_needs_the_current_password(client, make_user, login_as):
    user = login_as(make_user())
    response = change_password(client, current="fel-lösenord")
    assert response.status_code == 422
    assert 'id="current_password-error">Lösenordet stämmer inte.' in page(response)
    short = change_password(client, new="kort")
    assert 'id="new_password-error">Lösenordet måste vara minst 10 tecken långt.' in page(short)
    mismatch = change_password(client, confirm="inte-samma-lösenord")
    assert 'id="confirm-error">Lösenorden är inte likadana.' in page(mismatch)
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(PASSWORD)


def test_password_guessing_on_the_account_page_is_limited(client, make_user, login_as):
    login_as(make_user())
    for _ in range(5):
        change_password(client, current="gissning")
    assert change_password(client, current=PASSWORD).status_code == 429


# --- second factor on the account page ------------------------------------------------------


def _secret(html: str) -> str:
    return re.search(r'<code class="totp-secret">([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")


def test_member_turns_totp_on_and_then_needs_it_to_log_in(app, client, make_user, login_as):
    user = login_as(make_user())
    assert "Slå på tvåstegsverifiering" in page(client.get("/account"))
    secret = _secret(page(client.get("/account/totp")))
    done = client.post("/account/totp", data={"code": pyotp.TOTP(secret).now()})
    assert done.headers["Location"] == "/account/recovery-codes"
    assert len(re.findall(r"<li><code>", page(client.get("/account/recovery-codes")))) == 10
    account = page(client.get("/account"))
    assert "Påslagen." in account and "Du har 10 oanvända återställningskoder." in account

    fresh = app.test_client()
    assert log_in(fresh).headers["Location"].startswith("/login/code")
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_enabled


def test_member_turns_totp_off_with_the_password(client, make_user, login_as):
    user = login_as(make_user(totp_secret=pyotp.random_base32(), totp_enabled=True))
    wrong = client.post("/account/totp/disable", data={"totp-password": "fel"})
    assert wrong.status_code == 422
    assert "Lösenordet stämmer inte." in page(wrong)
    assert client.post("/account/totp/disable", data={"totp-password": PASSWORD}).status_code == 303
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert not user.totp_enabled and user.totp_secret is None


def test_moderators_cannot_turn_totp_off(client, make_user, login_as):
    login_as(make_user(role="moderator", totp_secret=pyotp.random_base32(), totp_enabled=True))
    html = page(client.get("/account"))
    assert "kan du inte stänga av tvåstegsverifieringen" in html
    assert client.post("/account/totp/disable", data={"totp-password": PASSWORD}).status_code == 403


def test_new_recovery_codes_replace_the_old(client, make_user, login_as):
    user = login_as(make_user(totp_secret=pyotp.random_base32(), totp_enabled=True))
    response = client.post("/account/recovery-codes", data={"codes-password": PASSWORD})
    assert response.status_code == 303
    assert len(re.findall(r"<li><code>", page(client.get("/account/recovery-codes")))) == 10
    client.post("/account/recovery-codes", data={"codes-password": PASSWORD})
    rows = db.session.scalars(db.select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()
    assert len(rows) == 10


def test_replacing_the_app_needs_the_current_second_factor(client, make_user, login_as):
    login_as(make_user(totp_secret=pyotp.random_base32(), totp_enabled=True))
    with client.session_transaction() as s:
        s.pop("second_factor_done")
    response = client.get("/account/totp")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/code")


def test_a_wrong_setup_code_is_refused(client, make_user, login_as):
    login_as(make_user())
    secret = _secret(page(client.get("/account/totp")))
    wrong = str((int(pyotp.TOTP(secret).at(time.time() + 300)))).zfill(6)
    response = client.post("/account/totp", data={"code": wrong})
    assert response.status_code == 422
    assert "Koden stämmer inte." in page(response)
