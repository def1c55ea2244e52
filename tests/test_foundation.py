"""The foundation as a visitor sees it: home, organisations, contracts and focus areas."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from hub.extensions import db
from hub.models import Commitment, Contract, ContractParty, FocusArea, Organisation


def visible(response) -> str:
    """The page's text as a reader sees it: no tags, entities decoded, single spaces."""
    page = response.get_data(as_text=True)
    page = re.sub(r"(?is)<(script|style|svg)\b.*?</\1>", " ", page)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page)).strip()


@pytest.fixture
def seeded(app):
    from hub.seed import foundation

    foundation.load()
    return foundation


@pytest.fixture
def small_contract(app, make_org):
    """A contract of two parties with three commitments in two focus areas."""
    energy = FocusArea(slug="energi", name_sv="Energi", name_en="Energy", description_sv="Om energi.", position=1)
    bold = FocusArea(
        slug="modig-mobilitet", name_sv="Modig mobilitet", name_en="Bold mobility", city="Borås", position=2
    )
    city = make_org("boras-stad", "Borås Stad", municipality="Borås", website="https://www.boras.se")
    company = make_org("fribo", "Fristadbostäder AB (FRIBO)", kind="offentlig", municipality="Borås")
    contract = Contract(city="Borås", title="Klimatneutrala Borås 2030", signed_on=date(2024, 3, 1),
                        prerequisites="- en nulägesanalys", follow_up="Följs upp **varje år**.")
    contract.parties = [
        ContractParty(organisation=city, role="projektpart", position=1, commitments=[
            Commitment(number="1", text="Samordna innovationsteamet.", status="genomford", position=1,
                       focus_areas=[energy]),
            Commitment(number="2", text="Fler hållbara vardagsresor.", status="pagar", position=2,
                       focus_areas=[bold]),
        ]),
        ContractParty(organisation=company, role="stodpartner", position=2, commitments=[
            Commitment(number="1", text="Klimatplan för bostäderna.", status="ej_paborjad", position=1,
                       focus_areas=[energy, bold]),
        ]),
    ]
    db.session.add(contract)
    db.session.commit()
    return contract


# --- home -------------------------------------------------------------------------------------


def test_home_explains_the_hub_in_swedish(client):
    page = visible(client.get("/"))
    assert "Vad är ett klimatkontrakt?" in page
    assert "Åtgärder" in page and "Lärdomar" in page and "Utmaningar" in page
    assert "Inga klimatkontrakt är inlagda ännu." in page


def test_home_lists_focus_areas_contracts_and_links_to_organisations(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    page = visible(response)
    assert "Lokalt klimatkontrakt – Klimatneutrala Kristianstad 2030" in page
    assert "Klimatneutrala Borås 2030" in page
    assert "Mobilitet och transporter" in page
    assert "Borås egna fokusområden" in page
    for name in ("Modig mobilitet", "Bestående byggnation", "Smart samskapande", "Klokt klimatledarskap"):
        assert name in page
    assert "Kommun (3)" in page
    body = response.get_data(as_text=True)
    assert 'href="/organisations/"' in body
    assert 'href="/organisations/?kind=foretag"' in body
    assert 'href="/focus-areas/modig-mobilitet"' in body


def test_home_shows_progress_per_contract(client, small_contract):
    page = visible(client.get("/"))
    assert "1 av 3 åtaganden genomförda, 1 pågår, 1 ej påbörjade." in page


def test_navigation_leads_to_the_three_sections(client):
    body = client.get("/").get_data(as_text=True)
    for href, label in (("/organisations/", "Organisationer"), ("/contracts/", "Klimatkontrakt"),
                        ("/focus-areas/", "Fokusområden")):
        assert f'href="{href}"' in body and label in body
    assert 'aria-current="page"' in client.get("/contracts/").get_data(as_text=True)


# --- organisation directory ------------------------------------------------------------------


def test_directory_lists_organisations_with_kind_and_municipality(client, small_contract):
    response = client.get("/organisations/")
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    page = visible(response)
    assert "2 organisationer" in page
    assert "Borås Stad Kommun Borås" in page
    assert "Fristadbostäder AB (FRIBO) Offentlig verksamhet Borås" in page
    assert "Part i: Klimatneutrala Borås 2030" in page


def test_directory_filters_by_kind_and_municipality(client, small_contract, make_org):
    make_org("t-kartor-group", "T-Kartor group", kind="foretag", municipality="Kristianstad")
    page = visible(client.get("/organisations/?kind=foretag"))
    assert "1 organisation" in page and "T-Kartor group" in page and "Borås Stad" not in page

    page = visible(client.get("/organisations/?municipality=Borås"))
    assert "2 organisationer" in page and "T-Kartor group" not in page

    page = visible(client.get("/organisations/?kind=kommun&municipality=bor%C3%A5s"))
    assert "1 organisation" in page and "Borås Stad" in page

    page = visible(client.get("/organisations/?kind=akademi"))
    assert "Ingen organisation matchar filtret." in page


def test_directory_filter_form_works_without_javascript_and_keeps_choices(client, small_contract):
    body = client.get("/organisations/?kind=offentlig&municipality=Borås").get_data(as_text=True)
    assert '<form method="get" action="/organisations/"' in body
    assert '<option value="offentlig" selected>' in body
    assert '<option value="Borås" selected>' in body
    assert 'hx-push-url="true"' in body
    assert "Rensa filter" in body


def test_directory_htmx_request_gets_only_the_results(client, small_contract):
    response = client.get("/organisations/?kind=offentlig", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    body = response.get_data(as_text=True)
    assert "<html" not in body and "<form" not in body
    assert "Fristadbostäder AB (FRIBO)" in body and "Borås Stad" not in body


def test_directory_boosted_and_history_restore_requests_get_the_full_page(client, small_contract):
    boosted = client.get("/organisations/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    restore = client.get("/organisations/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in boosted.get_data(as_text=True)
    assert "<html" in restore.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "kind=nonsense",
        "municipality=Atlantis",
        "page=abc",
        "page=-4",
        "page=99999999999999999999",
        "kind=%00&municipality=%00&q=%00",
        "q=" + "x" * 5000,
        "q=%25_%5C",
        "kind=kommun&kind=foretag",
    ],
)
def test_directory_survives_garbage_filters(client, small_contract, query):
    response = client.get(f"/organisations/?{query}")
    assert response.status_code == 200
    fragment = client.get(f"/organisations/?{query}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200


def test_directory_says_which_filter_it_ignored(client, small_contract):
    page = visible(client.get("/organisations/?kind=bananer"))
    assert "Vi känner inte igen filtret bananer" in page
    assert "2 organisationer" in page


def test_directory_is_paginated(client, make_org):
    for number in range(25):
        make_org(f"org-{number:02d}", f"Förening {number:02d}", kind="forening")
    first = visible(client.get("/organisations/"))
    assert "25 organisationer, sida 1 av 2" in first
    assert "Förening 00" in first and "Förening 20" not in first
    second = client.get("/organisations/?page=2")
    assert "Förening 24" in visible(second) and "Förening 00" not in visible(second)
    assert 'href="/organisations/" rel="prev"' in second.get_data(as_text=True)
    # A page past the end shows the last page rather than nothing.
    assert "Förening 24" in visible(client.get("/organisations/?page=40"))
    filtered = client.get("/organisations/?kind=forening").get_data(as_text=True)
    assert 'href="/organisations/?kind=forening&amp;page=2"' in filtered


def test_directory_searches_names(client, small_contract):
    page = visible(client.get("/organisations/?q=fribo"))
    assert "1 organisation" in page and "Fristadbostäder" in page


def test_directory_folds_swedish_letters_in_names_and_municipalities(client, make_org):
    make_org("retuna", "ReTuna Återbruksgalleria", kind="offentlig", municipality="Eskilstuna")
    make_org("orebro-kommun", "Örebro kommun", municipality="Örebro")
    assert "ReTuna Återbruksgalleria" in visible(client.get("/organisations/?q=återbruk"))
    page = visible(client.get("/organisations/?municipality=ÖREBRO"))
    assert "1 organisation" in page and "Örebro kommun" in page
    assert "Vi känner inte igen" not in page


# --- organisation profile --------------------------------------------------------------------


def test_profile_shows_facts_contracts_and_numbered_commitments(client, small_contract):
    org = db.session.scalar(db.select(Organisation).filter_by(slug="boras-stad"))
    org.sector = "Offentlig förvaltning"
    org.size_band = "1000+"
    org.description = "Koordinerar satsningen.\n\nAndra stycket."
    db.session.commit()
    response = client.get("/organisations/boras-stad")
    assert response.status_code == 200
    page = visible(response)
    assert "Borås Stad" in page
    assert "Typ Kommun" in page and "Kommun Borås" in page
    assert "Sektor Offentlig förvaltning" in page
    assert "Storlek 1 000 anställda eller fler" in page
    assert "Koordinerar satsningen." in page and "Andra stycket." in page
    assert "Klimatneutrala Borås 2030" in page and "Projektpart" in page
    assert "Åtagande 1 Samordna innovationsteamet. Status: Genomförd Energi" in page
    assert "Åtagande 2 Fler hållbara vardagsresor. Status: Pågår Modig mobilitet" in page
    body = response.get_data(as_text=True)
    assert '<a href="https://www.boras.se" rel="nofollow noopener">www.boras.se</a>' in body
    commitment = small_contract.parties[0].commitments[0]
    assert f'href="/contracts/{small_contract.id}#commitment-{commitment.id}"' in body


def test_profile_without_contracts_or_website_says_so(client, make_org):
    make_org("ny-forening", "Ny förening", kind="forening", website="javascript:alert(1)")
    response = client.get("/organisations/ny-forening")
    page = visible(response)
    assert "inte part i något klimatkontrakt" in page
    assert "Storlek Uppgift saknas" in page
    assert 'href="javascript:' not in response.get_data(as_text=True)


@pytest.mark.parametrize("slug", ["finns-inte", "UPPER", "a" * 200, "%00", "..%2f"])
def test_unknown_profile_is_404(client, slug):
    assert client.get(f"/organisations/{slug}").status_code == 404


# --- contracts -------------------------------------------------------------------------------


def test_contract_list_shows_city_date_parties_and_progress(client, small_contract):
    response = client.get("/contracts/")
    page = visible(response)
    assert "Klimatneutrala Borås 2030" in page
    assert "Borås Undertecknat 1 mars 2024 2 parter" in page
    assert "1 av 3 åtaganden genomförda" in page
    assert f'href="/contracts/{small_contract.id}"' in response.get_data(as_text=True)


def test_contract_page_shows_every_party_with_numbered_commitments(client, small_contract):
    response = client.get(f"/contracts/{small_contract.id}")
    assert response.status_code == 200
    page = visible(response)
    assert "Stad Borås" in page and "Undertecknat 1 mars 2024" in page
    assert "Borås Stad Projektpart" in page
    assert "Fristadbostäder AB (FRIBO) Stödpartner" in page
    assert "Åtagande 1 Klimatplan för bostäderna. Status: Ej påbörjad Energi Modig mobilitet" in page
    assert "1 av 3 åtaganden genomförda, 1 pågår, 1 ej påbörjade." in page
    assert "Förutsättningar för att skriva under" in page and "en nulägesanalys" in page
    body = response.get_data(as_text=True)
    assert "Följs upp <strong>varje år</strong>." in body
    for party in small_contract.parties:
        for commitment in party.commitments:
            assert f'id="commitment-{commitment.id}"' in body
    assert 'id="party-fribo"' in body
    assert 'style="' not in body.split("<main", 1)[1]


def test_kristianstad_contract_after_seeding(client, seeded):
    contract = db.session.scalar(db.select(Contract).filter_by(city="Kristianstad"))
    response = client.get(f"/contracts/{contract.id}")
    page = visible(response)
    assert "Lokalt klimatkontrakt – Klimatneutrala Kristianstad 2030" in page
    assert "14 december 2023" in page
    assert "Kristianstads kommun Part" in page and "T-Kartor group Part" in page
    for number, start in (
        ("1", "Klimat- och hållbarhetsfrågor ska genomsyra hela kommunorganisationen"),
        ("2", "Pressa ner utsläppen av växthusgaser"),
        ("3", "Öka andelen resor i kommunen som företas med gång, cykel eller kollektivtrafik"),
        ("4", "Främja nya lösningar och innovationer"),
    ):
        assert f"Åtagande {number} {start}" in page
    for number, start in (
        ("1", "Utveckla T-Kartors policy kring affärsresor."),
        ("2", "Bidra till omställningsarenan genom utbildning."),
        ("3", "Ta fram en klimathandlingsplan för fastighet"),
    ):
        assert f"Åtagande {number} {start}" in page
    assert "Gemensam utgångspunkt" in page and "hela värdekedjan" in page
    assert "Uppföljning" in page and "minst en konkret åtgärd" in page
    assert "hållbarhetsredovisning" in page
    assert "av 7 åtaganden genomförda" in page


def test_eskilstuna_contract_has_partners_and_twelve_support_partners(client, seeded):
    contract = db.session.scalar(db.select(Contract).filter_by(city="Eskilstuna"))
    page = visible(client.get(f"/contracts/{contract.id}"))
    for partner in ("Mälardalens universitet", "Studiefrämjandet", "ReTuna Återbruksgalleria"):
        assert f"{partner} Partner" in page
    assert page.count("(Stödpartner,") == 12


@pytest.mark.parametrize("path", ["/contracts/999", "/contracts/0", "/contracts/99999999999999999999", "/contracts/abc"])
def test_unknown_contract_is_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Sidan finns inte" in visible(response)


# --- focus areas -----------------------------------------------------------------------------


def test_focus_area_page_lists_tagged_commitments_with_party_and_contract(client, small_contract):
    response = client.get("/focus-areas/energi")
    assert response.status_code == 200
    page = visible(response)
    assert "Energi" in page and "Om energi." in page
    assert "Klimatneutrala Borås 2030" in page
    assert "Borås Stad Projektpart" in page and "Samordna innovationsteamet." in page
    assert "Fristadbostäder AB (FRIBO) Stödpartner" in page and "Klimatplan för bostäderna." in page
    assert "Fler hållbara vardagsresor." not in page
    assert "1 av 2 åtaganden genomförda" in page


def test_focus_area_name_follows_the_language(client, small_contract):
    client.post("/language", data={"lang": "en", "next": "/focus-areas/modig-mobilitet"})
    page = visible(client.get("/focus-areas/modig-mobilitet"))
    assert "Bold mobility" in page


def test_contract_page_tags_commitments_with_focus_areas_in_the_chosen_language(client, small_contract):
    client.post("/language", data={"lang": "en"})
    page = visible(client.get(f"/contracts/{small_contract.id}"))
    assert "Bold mobility" in page and "Energy" in page
    assert "Modig mobilitet" not in page


def test_focus_area_without_commitments(client, app):
    db.session.add(FocusArea(slug="mat", name_sv="Mat och livsmedel", name_en="Food"))
    db.session.commit()
    page = visible(client.get("/focus-areas/mat"))
    assert "Inga åtaganden är märkta med det här fokusområdet ännu." in page


def test_focus_area_index_groups_national_and_city_areas(client, seeded):
    page = visible(client.get("/focus-areas/"))
    national, boras = page.split("Borås egna fokusområden", 1)
    assert "Gemensamma fokusområden" in national
    for name in ("Mobilitet och transporter", "Byggnader och anläggning", "Energi", "Konsumtion och cirkularitet",
                 "Upphandling", "Mat och livsmedel", "Samverkan", "Ledarskap och styrning", "Utbildning och kunskap"):
        assert name in national
    for name in ("Modig mobilitet", "Bestående byggnation", "Smart samskapande", "Klokt klimatledarskap"):
        assert name in boras and name not in national


@pytest.mark.parametrize("slug", ["finns-inte", "%00", "A"])
def test_unknown_focus_area_is_404(client, slug):
    assert client.get(f"/focus-areas/{slug}").status_code == 404
