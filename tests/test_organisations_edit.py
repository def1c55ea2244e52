"""Adding organisations (admins) and keeping a profile up to date (its organisation admins)."""

from __future__ import annotations

import pytest

from hub.extensions import db
from hub.models import Organisation

PROFILE = {
    "name": "Borås Energi och Miljö",
    "kind": "foretag",
    "municipality": "Borås",
    "sector": "Energi",
    "size_band": "250-999",
    "website": "https://www.borasem.se/",
    "description": "Fjärrvärme och avfall.\n\nVi är part i Klimatneutrala Borås 2030.",
}


@pytest.fixture
def city(make_org):
    return make_org("boras-stad", "Borås Stad", municipality="Borås")


def test_an_admin_adds_an_organisation_and_goes_on_to_invite_someone_from_it(client, city, make_user, login_as):
    login_as(make_user("admin@example.se", org=city, role="admin"))
    assert "Lägg till en organisation" in client.get("/organisations/").get_data(as_text=True)
    response = client.post("/organisations/new", data=PROFILE)
    assert response.status_code == 303
    created = db.session.scalar(db.select(Organisation).where(Organisation.slug == "boras-energi-och-miljo"))
    assert created is not None and created.website == "https://www.borasem.se/" and created.size_band == "250-999"
    assert response.headers["Location"].endswith(f"/invite?organisation={created.id}")
    invite = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'<option selected value="{created.id}">Borås Energi och Miljö</option>' in invite
    page = client.get("/organisations/boras-energi-och-miljo").get_data(as_text=True)
    assert "Fjärrvärme och avfall." in page and "Vi är part i Klimatneutrala Borås 2030." in page

    again = client.post("/organisations/new", data=PROFILE)
    assert again.status_code == 422
    assert "Det finns redan en organisation med adressen boras-energi-och-miljo." in again.get_data(as_text=True)


def test_bad_profile_input_is_named_next_to_each_field_and_kept(client, city, make_user, login_as):
    login_as(make_user("admin@example.se", org=city, role="admin"))
    response = client.post("/organisations/new", data={
        **PROFILE, "name": "  ", "kind": "bank", "website": "javascript:alert(1)", "slug": "Med Mellanslag",
        "sector": "Energi & värme",
    })
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Fyll i organisationens namn." in page
    assert "Välj vilket slags aktör organisationen är." in page
    assert "Adressen måste börja med https:// eller http://." in page
    assert 'value="Energi &amp; värme"' in page  # what was typed stays
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 1


def test_only_admins_add_organisations(client, city, make_user, login_as):
    assert client.get("/organisations/new").status_code == 302  # to the login page
    login_as(make_user("orgadmin@boras.se", org=city, is_org_admin=True))
    assert client.get("/organisations/new").status_code == 403
    assert client.post("/organisations/new", data=PROFILE).status_code == 403
    assert "Lägg till en organisation" not in client.get("/organisations/").get_data(as_text=True)


def test_an_organisation_admin_edits_its_own_profile_but_no_other(client, city, make_org, make_user, login_as):
    other = make_org("t-kartor-group", "T-Kartor group", kind="foretag", municipality="Kristianstad")
    login_as(make_user("orgadmin@boras.se", org=city, is_org_admin=True))
    assert "Redigera profilen" in client.get("/organisations/boras-stad").get_data(as_text=True)
    form = client.get("/organisations/boras-stad/edit").get_data(as_text=True)
    assert 'value="Borås Stad"' in form
    response = client.post("/organisations/boras-stad/edit", data={**PROFILE, "name": "Borås Stad", "kind": "kommun"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/organisations/boras-stad")
    assert db.session.get(Organisation, city.id).sector == "Energi"

    assert client.get("/organisations/t-kartor-group/edit").status_code == 403
    assert client.post("/organisations/t-kartor-group/edit", data=PROFILE).status_code == 403
    assert db.session.get(Organisation, other.id).name == "T-Kartor group"


def test_a_member_who_is_no_organisation_admin_cannot_edit(client, city, make_user, login_as):
    login_as(make_user("member@boras.se", org=city))
    assert "Redigera profilen" not in client.get("/organisations/boras-stad").get_data(as_text=True)
    assert client.get("/organisations/boras-stad/edit").status_code == 403


def test_the_command_line_adds_an_organisation_and_says_what_is_wrong(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["organisations", "create", "Borås Stad", "--kind", "kommun", "--municipality",
                                 "Borås", "--website", "https://www.boras.se"])
    assert result.exit_code == 0, result.output
    assert "Organisationen Borås Stad är tillagd med adressen boras-stad." in result.output
    assert db.session.scalar(db.select(Organisation).where(Organisation.slug == "boras-stad")).kind == "kommun"

    again = runner.invoke(args=["organisations", "create", "Borås Stad", "--kind", "kommun", "--municipality", "Borås"])
    assert again.exit_code != 0
    assert "Det finns redan en organisation med adressen boras-stad." in again.output
    bad = runner.invoke(args=["organisations", "create", "X", "--kind", "kommun", "--municipality", "Borås",
                              "--website", "ftp://x"])
    assert bad.exit_code != 0 and "https://" in bad.output
