"""Forgotten passwords: a neutral answer, a signed two-hour link that works once."""

from __future__ import annotations

import re
import time
from contextlib import contextmanager

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from hub.auth import service
from hub.extensions import db



NEW_PASSWORD = "ett-helt-nytt-lösenord"
NEUTRAL = "Om adressen hör till ett konto hos oss har vi skickat en länk"


def page(response) -> str:
    return response.get_data(as_text=True)


def request_reset(client, email, **kwargs):
    return client.post("/reset", data={"email": email}, **kwargs)


def link_from_log(caplog) -> str:
    links = re.findall(r"https?://[^/\s]+(/reset/\S+)", caplog.text)
    assert links, "no reset link in the log"
    return links[-1]


@contextmanager
def signed_hours_ago(app, monkeypatch, hours):
    then = int(time.time()) - hours * 3600

    class EarlierSigner(TimestampSigner):
        def get_timestamp(self):
            return then

    with monkeypatch.context() as m:
        m.setattr(service, "_serializer", lambda salt: URLSafeTimedSerializer(app.secret_key, salt=salt, signer=EarlierSigner))
        yield


def test_reset_page_asks_for_the_address(client):
    html = page(client.get("/reset"))
    assert "Glömt lösenordet" in html
    assert '<label for="email">E-postadress</label>' in html


def test_the_answer_is_the_same_whether_or_not_the_account_exists(client, make_user, caplog):
    make_user("anna@example.se")
    caplog.set_level("INFO")
    known = request_reset(client, "Anna@Example.se")
    known_page = page(client.get(known.headers["Location"]))
    unknown = request_reset(client, "ingen@example.se")
    unknown_page = page(client.get(unknown.headers["Location"]))
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert NEUTRAL in known_page and NEUTRAL in unknown_page
    # Without mail the link is only logged, for the account that exists.
    assert len(re.findall(r"/reset/\S+", caplog.text)) == 1


def test_inactive_accounts_get_no_link(client, make_user, caplog):
    make_user("borta@example.se", active=False)
    caplog.set_level("INFO")
    request_reset(client, "borta@example.se")
    assert "/reset/" not in caplog.text


def test_reset_sets_a_new_password_and_ends_every_session(app, client, make_user, caplog):
    make_user("anna@example.se")
    logged_in = app.test_client()
    logged_in.post("/login", data={"email": "anna@example.se", "password": "lösenord-123"})
    assert logged_in.get("/account").status_code == 200

    caplog.set_level("INFO")
    request_reset(client, "anna@example.se")
    path = link_from_log(caplog)
    form = page(client.get(path))
    assert "Välj nytt lösenord" in form and "anna@example.se" in form

    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    assert "Ditt lösenord är bytt." in page(client.get("/login"))

    assert logged_in.get("/account").status_code == 302
    assert client.post("/login", data={"email": "anna@example.se", "password": "lösenord-123"}).status_code == 422
    assert client.post("/login", data={"email": "anna@example.se", "password": NEW_PASSWORD}).status_code == 303


def test_reset_link_works_once(client, make_user, caplog):
    make_user("anna@example.se")
    caplog.set_level("INFO")
    request_reset(client, "anna@example.se")
    path = link_from_log(caplog)
    client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = client.get(path)
    assert again.status_code == 410
    assert "Länken har redan använts" in page(again)
    assert client.post(path, data={"password": "ett-tredje-lösenord", "confirm": "ett-tredje-lösenord"}).status_code == 410


def test_reset_link_dies_when_the_password_changes_another_way(client, make_user, caplog):
    user = make_user("anna@example.se")
    caplog.set_level("INFO")
    request_reset(client, "anna@example.se")
    path = link_from_log(caplog)
    user.set_password("bytt-på-annat-sätt")
    db.session.commit()
    assert client.get(path).status_code == 410


def test_reset_link_expires_after_two_hours(app, client, make_user, monkeypatch, caplog):
    make_user("anna@example.se")
    caplog.set_level("INFO")
    with signed_hours_ago(app, monkeypatch, 3):
        request_reset(client, "anna@example.se")
    response = client.get(link_from_log(caplog))
    assert response.status_code == 410
    assert "Länken har gått ut" in page(response)

    with signed_hours_ago(app, monkeypatch, 1):
        request_reset(client, "anna@example.se")
    assert client.get(link_from_log(caplog)).status_code == 200


@pytest.mark.parametrize("token", ["x", "a.b.c", "ö" * 10])
def test_garbled_reset_links_get_a_clear_page(client, token):
    response = client.get(f"/reset/{token}")
    assert response.status_code == 404
    assert "Länken är ogiltig" in page(response)


def test_new_password_errors_are_next_to_the_fields(client, make_user, caplog):
    make_user("anna@example.se")
    caplog.set_level("INFO")
    request_reset(client, "anna@example.se")
    path = link_from_log(caplog)
    short = client.post(path, data={"password": "kort", "confirm": "kort"})
    assert short.status_code == 422
    assert 'id="password-error">Lösenordet måste vara minst 10 tecken långt.' in page(short)
    mismatch = client.post(path, data={"password": NEW_PASSWORD, "confirm": "något-annat-här"})
    assert 'id="confirm-error">Lösenorden är inte likadana.' in page(mismatch)
    assert client.get(path).status_code == 200  # the link is still good


def test_reset_requests_are_rate_limited(client, make_user):
    make_user("anna@example.se")
    for _ in range(3):
        assert request_reset(client, "anna@example.se").status_code == 303
    response = request_reset(client, "anna@example.se")
    assert response.status_code == 429
    html = page(response)
    assert "För många försök." in html
    assert 'value="anna@example.se"' in html
