"""The read-only JSON API: organisations, contracts with parties and commitments, focus areas."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from hub.extensions import db
from hub.models import Contract, Organisation

PAGE_KEYS = {"items", "total", "page", "per_page"}


@pytest.fixture
def seeded(app):
    from hub.seed import foundation

    foundation.load()


def contract_id(city: str) -> int:
    return db.session.scalar(db.select(Contract.id).filter_by(city=city))


def assert_json_error(response, status: int):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["status"] == status
    assert body["message"]
    return body


# --- organisations ---------------------------------------------------------------------------


def test_organisations_are_paginated_with_model_field_names(client, seeded):
    response = client.get("/api/v1/organisations")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert set(body) == PAGE_KEYS
    assert body["total"] == 23 and body["page"] == 1 and body["per_page"] == 20
    assert len(body["items"]) == 20
    first = body["items"][0]
    assert set(first) == {"id", "slug", "name", "kind", "municipality", "sector", "size_band", "website",
                          "description", "created_at"}
    assert datetime.fromisoformat(first["created_at"]).tzinfo is not None


def test_organisations_second_page_and_page_past_the_end(client, seeded):
    second = client.get("/api/v1/organisations?page=2&per_page=20").get_json()
    assert second["page"] == 2 and len(second["items"]) == 3
    small = client.get("/api/v1/organisations?per_page=5&page=3").get_json()
    assert small["per_page"] == 5 and len(small["items"]) == 5
    beyond = client.get("/api/v1/organisations?page=50").get_json()
    assert beyond == {"items": [], "total": 23, "page": 50, "per_page": 20}


def test_organisations_filter_by_kind_and_municipality(client, seeded):
    municipalities = client.get("/api/v1/organisations?kind=kommun").get_json()
    assert {o["name"] for o in municipalities["items"]} == {"Kristianstads kommun", "Eskilstuna kommun", "Borås Stad"}
    boras = client.get("/api/v1/organisations?municipality=Borås&per_page=100").get_json()
    assert boras["total"] == 5
    assert {o["municipality"] for o in boras["items"]} == {"Borås"}
    both = client.get("/api/v1/organisations?kind=foretag&municipality=kristianstad").get_json()
    assert [o["slug"] for o in both["items"]] == ["t-kartor-group"]
    assert client.get("/api/v1/organisations?municipality=Atlantis").get_json()["total"] == 0
    assert client.get("/api/v1/organisations?municipality=BORÅS").get_json()["total"] == 5


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=-1", "page=abc", "page=1.5", "page=99999999999", "per_page=0", "per_page=101",
     "per_page=x", "page=%EF%BC%91", "kind=bananer"],
)
def test_bad_list_arguments_answer_400_in_json(client, seeded, query):
    body = assert_json_error(client.get(f"/api/v1/organisations?{query}"), 400)
    assert body["error"] == "Bad Request"


def test_organisation_detail_has_contracts_and_commitments(client, seeded):
    response = client.get("/api/v1/organisations/t-kartor-group")
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "T-Kartor group" and body["kind"] == "foretag"
    assert body["municipality"] == "Kristianstad"
    [party] = body["parties"]
    assert party["role"] == "part"
    assert party["contract"]["signed_on"] == "2023-12-14"
    assert [c["number"] for c in party["commitments"]] == ["1", "2", "3"]
    assert party["commitments"][0]["focus_areas"] == ["mobilitet"]
    assert party["commitments"][0]["status"] in {"ej_paborjad", "pagar", "genomford"}


@pytest.mark.parametrize("slug", ["finns-inte", "UPPER", "x" * 300])
def test_unknown_organisation_is_404_in_json(client, slug):
    assert_json_error(client.get(f"/api/v1/organisations/{slug}"), 404)


# --- contracts -------------------------------------------------------------------------------


def test_contracts_list(client, seeded):
    body = client.get("/api/v1/contracts").get_json()
    assert set(body) == PAGE_KEYS and body["total"] == 3
    titles = [c["title"] for c in body["items"]]
    assert titles[0] == "Lokalt klimatkontrakt – Klimatneutrala Kristianstad 2030"  # most recently signed first
    kristianstad = body["items"][0]
    assert kristianstad["city"] == "Kristianstad"
    assert date.fromisoformat(kristianstad["signed_on"]) == date(2023, 12, 14)
    for field in ("mission", "purpose", "prerequisites", "shared_starting_point", "follow_up", "year", "version"):
        assert field in kristianstad
    assert client.get("/api/v1/contracts?city=Atlantis").get_json()["total"] == 0
    boras = client.get("/api/v1/contracts?city=BORÅS").get_json()
    assert [c["title"] for c in boras["items"]] == ["Klimatneutrala Borås 2030"]
    assert boras["items"][0]["signed_on"] is None


def test_contract_detail_has_parties_with_commitments_and_focus_area_slugs(client, seeded):
    body = client.get(f"/api/v1/contracts/{contract_id('Kristianstad')}").get_json()
    assert [p["organisation"]["slug"] for p in body["parties"]] == ["kristianstads-kommun", "t-kartor-group"]
    municipality, company = body["parties"]
    assert [c["number"] for c in municipality["commitments"]] == ["1", "2", "3", "4"]
    assert [c["number"] for c in company["commitments"]] == ["1", "2", "3"]
    assert municipality["commitments"][1]["focus_areas"] == ["energi", "konsumtion-cirkularitet"]
    assert set(municipality["commitments"][0]) == {"id", "party_id", "number", "text", "status", "position",
                                                   "focus_areas"}
    eskilstuna = client.get(f"/api/v1/contracts/{contract_id('Eskilstuna')}").get_json()
    assert sum(p["role"] == "stodpartner" for p in eskilstuna["parties"]) == 12


@pytest.mark.parametrize("path", ["/api/v1/contracts/999", "/api/v1/contracts/0",
                                  "/api/v1/contracts/99999999999999999999", "/api/v1/contracts/abc"])
def test_unknown_contract_is_404_in_json(client, seeded, path):
    assert_json_error(client.get(path), 404)


# --- focus areas -----------------------------------------------------------------------------


def test_focus_areas_list(client, seeded):
    body = client.get("/api/v1/focus-areas").get_json()
    assert set(body) == PAGE_KEYS and body["total"] == 13
    slugs = [a["slug"] for a in body["items"]]
    assert slugs[:2] == ["mobilitet", "byggnader"]
    boras = [a for a in body["items"] if a["city"] == "Borås"]
    assert [a["name_sv"] for a in boras] == ["Modig mobilitet", "Bestående byggnation", "Smart samskapande",
                                             "Klokt klimatledarskap"]
    assert all(a["name_en"] for a in body["items"])
    assert client.get("/api/v1/focus-areas?per_page=5&page=3").get_json()["items"][-1]["slug"] == "klokt-klimatledarskap"


# --- the API as a whole ----------------------------------------------------------------------


def test_api_index_lists_the_endpoints(client):
    body = client.get("/api/v1/").get_json()
    assert body["endpoints"]["organisations"].endswith("/api/v1/organisations")
    assert body["endpoints"]["contracts"].endswith("/api/v1/contracts")
    assert body["endpoints"]["focus_areas"].endswith("/api/v1/focus-areas")


def test_unknown_api_path_is_404_in_json(client):
    assert_json_error(client.get("/api/v1/finns-inte"), 404)
    assert_json_error(client.get("/api/v1/organisations/a/b"), 404)


def test_api_is_read_only(client, seeded):
    response = client.post("/api/v1/organisations", json={"name": "Ny"})
    body = assert_json_error(response, 405)
    assert "GET" in response.headers["Allow"]
    assert body["error"] == "Method Not Allowed"
    assert_json_error(client.delete("/api/v1/organisations/t-kartor-group"), 405)
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 23


def test_empty_database_answers_empty_pages(client):
    for path in ("/api/v1/organisations", "/api/v1/contracts", "/api/v1/focus-areas"):
        assert client.get(path).get_json() == {"items": [], "total": 0, "page": 1, "per_page": 20}


def test_html_pages_link_to_the_api(client, seeded):
    body = client.get(f"/contracts/{contract_id('Kristianstad')}").get_data(as_text=True)
    assert f'href="/api/v1/contracts/{contract_id("Kristianstad")}"' in body
    assert 'href="/api/v1/"' in client.get("/").get_data(as_text=True)
