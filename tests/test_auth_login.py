"""Logging in and out: credentials, remember me, rate limits, replayed cookies, CSRF."""

from __future__ import annotations

import re
import unicodedata

import pytest

from hub.extensions import db
from hub.models import User



PASSWORD = "lösenord-123"


def log_in(client, email, password=PASSWORD, remember=False, next_url=None, ip=None, **kwargs):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    if next_url:
        data["next"] = next_url
    environ = {"REMOTE_ADDR": ip} if ip else {}
    return client.post("/login", data=data, environ_base=environ, **kwargs)


def page(response) -> str:
    return response.get_data(as_text=True)


def is_logged_in(client) -> bool:
    return client.get("/account").status_code == 200


# --- the login form -------------------------------------------------------------------------


def test_login_page_has_labelled_fields_and_remember_me(client):
    response = client.get("/login")
    assert response.status_code == 200
    html = page(response)
    assert '<label for="email">E-postadress</label>' in html
    assert '<label for="password">Lösenord</label>' in html
    assert "Kom ihåg mig" in html
    assert 'autocomplete="current-password"' in html


def test_member_logs_in_and_sees_their_account(client, make_user):
    make_user("anna@example.se", name="Anna Andersson")
    response = log_in(client, "anna@example.se")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    home = page(client.get("/"))
    assert "Välkommen, Anna Andersson!" in home
    assert "Mitt konto" in home
    account = page(client.get("/account"))
    assert "anna@example.se" in account


def test_email_is_case_insensitive_and_unicode_normalised(client, make_user):
    make_user("åsa@example.se")
    decomposed = unicodedata.normalize("NFD", "  ÅSA@Example.SE ")
    assert log_in(client, decomposed).status_code == 303


def test_passwords_are_stored_with_scrypt(app, client, make_user, monkeypatch):
    monkeypatch.delitem(app.config, "PASSWORD_HASH_METHOD")  # the default, not the suite's quick one
    user = make_user()
    assert user.password_hash.startswith("scrypt:")
    assert "lösenord" not in user.password_hash
    assert log_in(client, "anna@example.se").status_code == 303


def test_login_records_the_time(client, make_user):
    user = make_user()
    assert user.last_login_at is None
    log_in(client, user.email)
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is not None


@pytest.mark.parametrize(
    "email, password",
    [("anna@example.se", "fel-lösenord"), ("ingen@example.se", PASSWORD), ("ANNA@example.se", "")],
)
def test_wrong_credentials_get_one_message_that_reveals_nothing(client, make_user, email, password):
    make_user("anna@example.se")
    response = log_in(client, email, password)
    assert response.status_code == 422
    html = page(response)
    if password:
        assert "Fel e-postadress eller lösenord." in html
    else:
        assert "Fyll i ditt lösenord." in html
    # The typed address stays in the field; the password never comes back.
    assert f'value="{email}"' in html
    assert not is_logged_in(client)


def test_wrong_password_and_unknown_address_look_the_same(client, make_user):
    make_user("anna@example.se")
    wrong_password = page(log_in(client, "anna@example.se", "fel-lösenord"))
    unknown = page(log_in(client, "okand@example.se", "fel-lösenord"))
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731
    assert strip(wrong_password) == strip(unknown)


def test_the_published_demo_password_opens_no_account_in_production(app, client, make_user, monkeypatch):
    from hub.auth.service import DEMO_PASSWORD

    make_user("demo@example.se", password=DEMO_PASSWORD)
    monkeypatch.setitem(app.config, "PRODUCTION", True)
    response = log_in(client, "demo@example.se", DEMO_PASSWORD)
    assert response.status_code == 422
    assert "Fel e-postadress eller lösenord." in page(response)
    assert not is_logged_in(client)

    monkeypatch.setitem(app.config, "PRODUCTION", False)
    log_in(client, "demo@example.se", DEMO_PASSWORD)
    assert is_logged_in(client)


def test_inactive_account_cannot_log_in(client, make_user):
    make_user("borta@example.se", active=False)
    response = log_in(client, "borta@example.se")
    assert response.status_code == 422
    assert "Kontot är inaktiverat" in page(response)
    assert not is_logged_in(client)


def test_garbage_input_is_refused_without_a_server_error(client, make_user):
    make_user()
    for data in [{}, {"email": "x" * 5000, "password": "y"}, {"email": "\x00", "password": "\x00"}, {"remember": "ja"}]:
        assert client.post("/login", data=data).status_code == 422


def test_next_takes_you_back_but_never_off_site(client, make_user):
    make_user()
    form = page(client.get("/login?next=/account"))
    assert 'name="next" type="hidden" value="/account"' in form
    assert log_in(client, "anna@example.se", next_url="/account").headers["Location"] == "/account"

    client.post("/logout")
    for evil in ["https://evil.example/", "//evil.example/", "/\\evil.example"]:
        response = log_in(client, "anna@example.se", next_url=evil)
        assert response.headers["Location"] == "/"
        client.post("/logout")


def test_pages_that_need_login_send_you_to_it_and_back(client, make_user):
    make_user()
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/account")
    htmx = client.get("/account", headers={"HX-Request": "true"})
    assert htmx.status_code == 401
    assert htmx.headers["HX-Redirect"].startswith("/login?next=")


def test_boosted_login_with_errors_is_still_swapped(client, make_user):
    make_user()
    response = client.post(
        "/login", data={"email": "anna@example.se", "password": "fel"}, headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord." in page(response)


# --- remember me ----------------------------------------------------------------------------


def test_remember_me_keeps_you_logged_in_after_the_browser_closes(client, app, make_user):
    make_user()
    log_in(client, "anna@example.se", remember=True)
    remember = client.get_cookie("remember_token")
    assert remember is not None

    next_week = app.test_client()  # a new browser session: no session cookie, only the remember cookie
    next_week.set_cookie("remember_token", remember.value)
    assert is_logged_in(next_week)


def test_without_remember_me_there_is_no_remember_cookie(client, make_user):
    make_user()
    log_in(client, "anna@example.se")
    assert client.get_cookie("remember_token") is None


# --- logout ---------------------------------------------------------------------------------


def test_logout_ends_the_session_for_real(client, app, make_user):
    make_user()
    log_in(client, "anna@example.se", remember=True)
    session_cookie = client.get_cookie("session").value
    remember_cookie = client.get_cookie("remember_token").value

    response = client.post("/logout")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert "Du är utloggad." in page(client.get("/"))
    assert not is_logged_in(client)

    # Someone who copied the cookies before the logout gets nothing with them.
    thief = app.test_client()
    thief.set_cookie("session", session_cookie)
    thief.set_cookie("remember_token", remember_cookie)
    assert not is_logged_in(thief)
    assert "Logga in" in page(thief.get("/"))


def test_logout_ends_every_session_of_the_account(app, make_user):
    make_user()
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, "anna@example.se")
    log_in(phone, "anna@example.se")
    laptop.post("/logout")
    assert not is_logged_in(phone)


def test_logout_only_by_post(client, make_user):
    make_user()
    log_in(client, "anna@example.se")
    assert client.get("/logout").status_code == 405
    assert is_logged_in(client)


# --- rate limits ----------------------------------------------------------------------------


def test_login_is_rate_limited_per_ip_and_says_so_in_swedish(client, make_user):
    make_user()
    for n in range(10):
        assert log_in(client, f"gissning{n}@example.se", "fel").status_code == 422
    response = log_in(client, "anna@example.se", "fel")
    assert response.status_code == 429
    html = page(response)
    assert "För många inloggningsförsök." in html
    assert re.search(r"Vänta \d+ minut(er)? och försök sedan igen\.", html)
    assert 'value="anna@example.se"' in html  # what was typed is kept
    assert "Retry-After" in response.headers
    # Even the right password waits: the limit comes before the check.
    assert log_in(client, "anna@example.se").status_code == 429
    # Other addresses are not affected.
    assert log_in(client, "anna@example.se", ip="10.0.0.9").status_code == 303


def test_login_is_rate_limited_per_account_across_ips(client, make_user):
    make_user()
    make_user("bertil@example.se")
    for n in range(5):
        assert log_in(client, "anna@example.se", "fel", ip=f"10.0.1.{n}").status_code == 422
    response = log_in(client, "ANNA@example.se", PASSWORD, ip="10.0.1.99")
    assert response.status_code == 429
    assert "För många inloggningsförsök." in page(response)
    # Someone else can still log in from the same addresses.
    assert log_in(client, "bertil@example.se", ip="10.0.1.0").status_code == 303


def test_rate_limit_page_swaps_for_htmx(client, make_user):
    make_user()
    for n in range(5):
        log_in(client, "anna@example.se", "fel")
    response = log_in(client, "anna@example.se", "fel", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert "För många inloggningsförsök." in page(response)


def test_viewing_the_login_page_is_not_limited(client):
    for _ in range(30):
        assert client.get("/login").status_code == 200


# --- CSRF -----------------------------------------------------------------------------------


def test_forms_need_their_csrf_token(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    make_user()
    forged = client.post("/login", data={"email": "anna@example.se", "password": PASSWORD})
    assert forged.status_code == 400
    assert "Formuläret har gått ut" in page(forged)

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page(client.get("/login"))).group(1)
    response = client.post("/login", data={"email": "anna@example.se", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303
    # Logging out is a form too.
    assert client.post("/logout").status_code == 400
    assert is_logged_in(client)


def test_an_htmx_form_whose_session_is_gone_sends_you_to_log_in_and_back(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    org = make_user().organisation
    headers = {"HX-Request": "true", "HX-Current-URL": f"http://localhost/organisations/{org.slug}"}
    response = client.post("/follow", data={"target_type": "organisation", "target_id": org.id}, headers=headers)
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == f"/login?next=/organisations/{org.slug}"
    assert "Formuläret hade gått ut. Logga in och försök igen." in page(client.get(response.headers["HX-Redirect"]))


def test_an_expired_htmx_form_of_a_logged_in_user_reloads_the_page_with_a_word_why(
    app, client, make_user, login_as, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    org = login_as(make_user()).organisation
    headers = {"HX-Request": "true", "HX-Current-URL": f"http://localhost/organisations/{org.slug}"}
    response = client.post("/follow", data={"target_type": "organisation", "target_id": org.id}, headers=headers)
    assert response.headers["HX-Refresh"] == "true"
    assert "HX-Redirect" not in response.headers
    reloaded = page(client.get(f"/organisations/{org.slug}"))
    assert "Formuläret hade gått ut, så sidan har laddats om. Försök igen." in reloaded
    # Without JavaScript the form still gets the plain error page.
    plain = client.post("/follow", data={"target_type": "organisation", "target_id": org.id})
    assert plain.status_code == 400 and "Formuläret har gått ut" in page(plain)


def test_a_form_sent_with_htmx_without_login_comes_back_to_its_page_after_login(client, make_user):
    org = make_user().organisation
    headers = {"HX-Request": "true", "HX-Current-URL": f"http://localhost/organisations/{org.slug}"}
    response = client.post("/follow", data={"target_type": "organisation", "target_id": org.id}, headers=headers)
    assert response.headers["HX-Redirect"] == f"/login?next=/organisations/{org.slug}"
    foreign = client.post("/follow", data={"target_type": "organisation", "target_id": org.id},
                          headers={**headers, "HX-Current-URL": "https://evil.example/organisations/x"})
    assert "evil" not in foreign.headers["HX-Redirect"]
