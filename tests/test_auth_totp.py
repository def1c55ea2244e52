"""The second factor: moderators and admins give a TOTP code (or a recovery code) after the password."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from flask import g, session
from flask_login import login_user
from werkzeug.exceptions import HTTPException

from hub.auth import service
from hub.auth.decorators import admin_required, moderator_required, second_factor_required
from hub.extensions import db
from hub.models import RecoveryCode, User



PASSWORD = "lösenord-123"
SECRET = pyotp.random_base32()


def page(response) -> str:
    return response.get_data(as_text=True)


def log_in(client, email, password=PASSWORD, **data):
    return client.post("/login", data={"email": email, "password": password, **data})


def code_now(secret=SECRET) -> str:
    return pyotp.TOTP(secret).now()


def code_next(secret=SECRET) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30)


@pytest.fixture
def moderator(make_user):
    return make_user("mod@example.se", role="moderator", totp_secret=SECRET, totp_enabled=True)


@pytest.fixture
def admin(make_user):
    return make_user("admin@example.se", role="admin", totp_secret=SECRET, totp_enabled=True)


def test_moderator_password_alone_does_not_log_in(client, moderator):
    response = log_in(client, "mod@example.se", next="/admin/users")
    assert response.status_code == 303
    assert response.headers["Location"] == "/login/code?next=/admin/users"
    # Not logged in yet: the account page still asks for a login.
    assert client.get("/account").status_code == 302

    form = client.get(response.headers["Location"])
    assert "Tvåstegsverifiering" in page(form)
    assert 'autocomplete="one-time-code"' in page(form)


def test_moderator_logs_in_with_password_and_code(client, moderator):
    log_in(client, "mod@example.se", next="/account")
    response = client.post("/login/code?next=/account", data={"code": code_now()})
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200
    with client.session_transaction() as s:
        assert s["second_factor_done"] is True


def test_wrong_code_is_refused_next_to_the_field(client, moderator):
    log_in(client, "mod@example.se")
    wrong = str((int(code_now()) + 1) % 1_000_000).zfill(6)
    response = client.post("/login/code", data={"code": wrong})
    assert response.status_code == 422
    assert "Koden stämmer inte." in page(response)
    assert client.get("/account").status_code == 302
    assert client.post("/login/code", data={"code": "<script>"}).status_code == 422


def test_a_code_cannot_be_used_twice(app, moderator):
    first, second = app.test_client(), app.test_client()
    code = code_now()
    log_in(first, "mod@example.se")
    assert first.post("/login/code", data={"code": code}).status_code == 303
    log_in(second, "mod@example.se")
    assert second.post("/login/code", data={"code": code}).status_code == 422
    assert second.post("/login/code", data={"code": code_next()}).status_code == 303


def test_code_step_without_a_password_step_starts_over(client, moderator):
    response = client.get("/login/code")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_pending_login_expires(client, moderator, monkeypatch):
    log_in(client, "mod@example.se")
    monkeypatch.setattr("hub.auth.routes.PENDING_MAX_AGE", -1)  # ten minutes have passed
    response = client.post("/login/code", data={"code": code_now()})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_code_step_is_rate_limited(client, moderator):
    log_in(client, "mod@example.se")
    for _ in range(5):
        assert client.post("/login/code", data={"code": "000000"}).status_code == 422
    response = client.post("/login/code", data={"code": code_now()})
    assert response.status_code == 429
    assert "För många försök med koden." in page(response)


def test_member_who_turned_totp_on_also_gives_a_code(client, make_user):
    make_user("medlem@example.se", totp_secret=SECRET, totp_enabled=True)
    assert log_in(client, "medlem@example.se").headers["Location"].startswith("/login/code")


def test_remember_me_is_set_only_after_the_code(client, app, admin):
    log_in(client, "admin@example.se", remember="y")
    assert client.get_cookie("remember_token") is None
    client.post("/login/code", data={"code": code_now()})
    remember = client.get_cookie("remember_token")
    assert remember is not None

    # A remembered browser is logged in, but admin work asks for the code again.
    later = app.test_client()
    later.set_cookie("remember_token", remember.value)
    assert later.get("/account").status_code == 200
    response = later.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/code")


# --- enrolment right after the password -----------------------------------------------------


def _secret_on(html: str) -> str:
    return re.search(r'<code class="totp-secret">([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")


def test_moderator_without_totp_enrols_right_after_the_password(client, make_user):
    user = make_user("ny.mod@example.se", role="moderator")
    response = log_in(client, "ny.mod@example.se")
    assert response.headers["Location"] == "/login/enrol"

    setup = page(client.get("/login/enrol"))
    assert "<svg" in setup and "<path" in setup  # the QR code, drawn inline
    assert "http" not in re.search(r"<svg.*?</svg>", setup, re.S).group(0).replace("http://www.w3.org", "")
    secret = _secret_on(setup)
    # Reloading shows the same secret until it is confirmed.
    assert _secret_on(page(client.get("/login/enrol"))) == secret
    assert client.get("/account").status_code == 302

    wrong = client.post("/login/enrol", data={"code": "123"})
    assert wrong.status_code == 422
    assert "Koden består av sex siffror." in page(wrong)

    done = client.post("/login/enrol", data={"code": code_now(secret)})
    assert done.status_code == 303
    assert done.headers["Location"].startswith("/account/recovery-codes")
    codes_page = page(client.get(done.headers["Location"]))
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", codes_page)
    assert len(codes) == 10
    assert "visas bara den här gången" in codes_page
    # Shown once only.
    assert client.get("/account/recovery-codes").status_code == 302

    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.totp_enabled and user.totp_secret == secret
    stored = db.session.scalars(db.select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10
    assert not any(code in row.code_hash for row in stored for code in codes)  # kept hashed
    assert client.get("/account").status_code == 200


def test_recovery_code_logs_in_once(app, moderator):
    _uri, codes = service.enrol_totp(moderator)
    first = app.test_client()
    log_in(first, "mod@example.se")
    response = first.post("/login/code", data={"code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 303
    assert "Du har 9 koder kvar." in page(first.get("/"))

    again = app.test_client()
    log_in(again, "mod@example.se")
    assert again.post("/login/code", data={"code": codes[0]}).status_code == 422


# --- the decorators other features use ------------------------------------------------------


def _call(app, user, decorator, second_factor=True, headers=None):
    @decorator
    def view():
        return "inne"

    with app.test_request_context("/moderation/", headers=headers or {}):
        g.pop("_login_user", None)  # no user left over from an earlier call
        if user is not None:
            login_user(user)
            session["second_factor_done"] = second_factor
        try:
            return app.make_response(view())
        except HTTPException as error:
            return error.get_response()


def test_moderator_required(app, make_user, moderator, admin):
    member = make_user("medlem@example.se")
    assert _call(app, moderator, moderator_required).get_data(as_text=True) == "inne"
    assert _call(app, admin, moderator_required).get_data(as_text=True) == "inne"
    assert _call(app, member, moderator_required).status_code == 403

    no_code = _call(app, moderator, moderator_required, second_factor=False)
    assert no_code.status_code == 302
    assert no_code.headers["Location"] == "/login/code?next=/moderation/"

    anonymous = _call(app, None, moderator_required)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/login?next=")
    htmx = _call(app, None, moderator_required, headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and "HX-Redirect" in htmx.headers


def test_admin_required(app, moderator, admin):
    assert _call(app, admin, admin_required).get_data(as_text=True) == "inne"
    assert _call(app, moderator, admin_required).status_code == 403
    assert _call(app, admin, admin_required, second_factor=False).status_code == 302


def test_second_factor_required(app, make_user, moderator):
    member = make_user("medlem@example.se")
    assert _call(app, member, second_factor_required, second_factor=False).get_data(as_text=True) == "inne"
    assert _call(app, moderator, second_factor_required, second_factor=False).status_code == 302


def test_promoted_user_without_totp_is_sent_to_enrol(client, make_user, login_as):
    user = make_user("befordrad@example.se", role="admin")
    login_as(user)
    with client.session_transaction() as s:
        s.pop("second_factor_done")
    step = client.get("/admin/users")
    assert step.headers["Location"] == "/login/code?next=/admin/users"
    enrol = client.get(step.headers["Location"])
    assert enrol.headers["Location"] == "/account/totp?next=/admin/users"
    secret = _secret_on(page(client.get("/account/totp?next=/admin/users")))
    done = client.post("/account/totp?next=/admin/users", data={"code": code_now(secret)})
    assert done.headers["Location"] == "/account/recovery-codes?next=/admin/users"
    assert 'href="/admin/users"' in page(client.get(done.headers["Location"]))
    assert client.get("/admin/users").status_code == 200
