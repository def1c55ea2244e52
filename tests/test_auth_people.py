"""People: admins grant and revoke the moderator role and (de)activate accounts, each decision logged."""

from __future__ import annotations

import pytest

from hub.extensions import db
from hub.models import AuditEntry, User




def page(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def admin(make_user, make_org):
    org = make_org("kristianstads-kommun", "Kristianstads kommun")
    return make_user("admin@example.se", org=org, role="admin", name="Ada Admin")


@pytest.fixture
def anna(make_user, make_org):
    org = make_org("t-kartor", "T-Kartor", kind="foretag")
    return make_user("anna@t-kartor.se", org=org, name="Anna Andersson")


def entries() -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)))


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_admin_lists_and_filters_people(client, login_as, admin, anna, make_user):
    make_user("mod@example.se", org=anna.organisation, role="moderator", name="Maja Moderator")
    make_user("borta@example.se", org=anna.organisation, name="Bo Borta", active=False)
    login_as(admin)
    html = page(client.get("/admin/users"))
    assert "4 konton" in html
    for name in ("Ada Admin", "Anna Andersson", "Maja Moderator", "Bo Borta"):
        assert name in html

    moderators = page(client.get("/admin/users?role=moderator"))
    assert "Maja Moderator" in moderators and "Anna Andersson" not in moderators
    inactive = page(client.get("/admin/users?status=inactive"))
    assert "Bo Borta" in inactive and "Maja Moderator" not in inactive
    by_org = page(client.get("/admin/users?organisation=kristianstads-kommun"))
    assert "Ada Admin" in by_org and "Anna Andersson" not in by_org
    search = page(client.get("/admin/users?q=ANNA"))
    assert "Anna Andersson" in search and "Ada Admin" not in search


def test_filtering_with_htmx_returns_only_the_results(client, login_as, admin, anna):
    login_as(admin)
    response = client.get("/admin/users?q=anna", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = page(response)
    assert html.lstrip().startswith('<section id="people-results"')
    assert "<html" not in html
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("query", ["page=abc", "page=-1", "page=99999999999", "role=kung", "status=x", "q=%00"])
def test_garbage_filters_are_ignored(client, login_as, admin, query):
    login_as(admin)
    assert client.get(f"/admin/users?{query}").status_code == 200


def test_grant_and_revoke_moderator_are_logged(client, login_as, admin, anna):
    login_as(admin)
    response = client.post(f"/admin/users/{anna.id}/role", data={"role": "moderator", "role-reason": "Ansvarig för granskning"})
    assert response.status_code == 303
    assert "Anna Andersson är nu moderator." in page(client.get(f"/admin/users/{anna.id}"))
    assert fresh(anna).role == "moderator"

    client.post(f"/admin/users/{anna.id}/role", data={"role": "member"})
    assert fresh(anna).role == "member"

    log = entries()
    assert [(e.action, e.actor_id, e.target_type, e.target_id) for e in log] == [
        ("grant_moderator", admin.id, "user", anna.id),
        ("revoke_moderator", admin.id, "user", anna.id),
    ]
    assert log[0].reason == "Ansvarig för granskning"
    assert log[0].created_at is not None
    shown = page(client.get(f"/admin/users/{anna.id}"))
    assert "Gav moderatorsroll" in shown and "Tog bort moderatorsroll" in shown and "Ansvarig för granskning" in shown


def test_a_decision_that_changes_nothing_writes_nothing(client, login_as, admin, anna):
    login_as(admin)
    client.post(f"/admin/users/{anna.id}/role", data={"role": "member"})
    assert entries() == []
    assert client.post(f"/admin/users/{anna.id}/role", data={"role": "admin"}).status_code == 400
    assert fresh(anna).role == "member"


def test_deactivated_user_is_logged_out_and_cannot_log_in_but_content_stays(app, client, login_as, admin, anna):
    annas_browser = app.test_client()
    annas_browser.post("/login", data={"email": "anna@t-kartor.se", "password": "lösenord-123"})
    assert annas_browser.get("/account").status_code == 200

    login_as(admin)
    no_reason = client.post(f"/admin/users/{anna.id}/deactivate", data={"active-reason": " "})
    assert no_reason.status_code == 422
    assert "Skriv varför kontot inaktiveras." in page(no_reason)
    assert fresh(anna).active

    response = client.post(f"/admin/users/{anna.id}/deactivate", data={"active-reason": "Slutat på T-Kartor"})
    assert response.status_code == 303
    assert not fresh(anna).active
    assert annas_browser.get("/account").status_code == 302
    refused = annas_browser.post("/login", data={"email": "anna@t-kartor.se", "password": "lösenord-123"})
    assert "Kontot är inaktiverat" in page(refused)
    assert db.session.get(User, anna.id) is not None  # the account, and what it wrote, remain

    client.post(f"/admin/users/{anna.id}/reactivate", data={"active-reason": "Tillbaka"})
    assert fresh(anna).active
    assert annas_browser.post("/login", data={"email": "anna@t-kartor.se", "password": "lösenord-123"}).status_code == 303
    assert [e.action for e in entries()] == ["deactivate_user", "reactivate_user"]


def test_admins_cannot_deactivate_themselves(client, login_as, admin):
    login_as(admin)
    assert "Inaktivera kontot" not in page(client.get(f"/admin/users/{admin.id}"))
    response = client.post(f"/admin/users/{admin.id}/deactivate", data={"active-reason": "Test"})
    assert response.status_code == 303
    assert "Du kan inte inaktivera ditt eget konto." in page(client.get(response.headers["Location"]))
    assert fresh(admin).active
    assert entries() == []


def test_unknown_person_is_404(client, login_as, admin):
    login_as(admin)
    assert client.get("/admin/users/999999").status_code == 404
    assert client.post("/admin/users/999999/deactivate", data={"active-reason": "x"}).status_code == 404


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_only_admins_may_manage_people(client, login_as, make_user, anna, role):
    login_as(make_user("inte-admin@example.se", role=role, is_org_admin=True))
    assert client.get("/admin/users").status_code == 403
    assert client.get(f"/admin/users/{anna.id}").status_code == 403
    assert client.post(f"/admin/users/{anna.id}/role", data={"role": "moderator"}).status_code == 403
    assert client.post(f"/admin/users/{anna.id}/deactivate", data={"active-reason": "x"}).status_code == 403
    assert fresh(anna).role == "member" and fresh(anna).active
    assert entries() == []


def test_anonymous_visitors_are_sent_to_log_in(client, anna):
    response = client.post(f"/admin/users/{anna.id}/deactivate", data={"active-reason": "x"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_admin_without_second_factor_in_this_session_is_asked_for_it(client, login_as, admin, anna):
    login_as(admin)
    with client.session_transaction() as s:
        s.pop("second_factor_done")
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login/code?next=/admin/users"
    client.post(f"/admin/users/{anna.id}/role", data={"role": "moderator"})
    assert fresh(anna).role == "member"
