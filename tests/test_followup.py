"""Uppföljning: a contract's yearly follow-up as a visitor, a party and the city see it."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pytest

from hub.extensions import db
from hub.followup import service
from hub.models import Commitment, Contract, ContractParty, Post


def visible(response) -> str:
    page = response.get_data(as_text=True)
    page = re.sub(r"(?is)<(script|style|svg)\b.*?</\1>", " ", page)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page)).strip()


def section(page: str, start: str, end: str | None = None) -> str:
    tail = page[page.index(start):]
    return tail[: tail.index(end)] if end and end in tail else tail


THIS_YEAR = service.current_year()


@pytest.fixture
def contract(app, make_org):
    """Kristianstad's contract with the city and a company, each with commitments."""
    city = make_org("kristianstads-kommun", "Kristianstads kommun", municipality="Kristianstad")
    company = make_org("t-kartor-group", "T-Kartor group", kind="foretag", municipality="Kristianstad")
    made = Contract(city="Kristianstad", title="Klimatneutrala Kristianstad 2030", signed_on=date(2023, 12, 14))
    made.parties = [
        ContractParty(organisation=city, role="part", position=1, commitments=[
            Commitment(number="1", text="Pressa ner utsläppen av växthusgaser.", status="pagar", position=1),
            Commitment(number="2", text="Fler resor med gång, cykel och kollektivtrafik.", status="genomford",
                       position=2),
        ]),
        ContractParty(organisation=company, role="part", position=2, commitments=[
            Commitment(number="1", text="Utveckla policyn kring affärsresor.", status="ej_paborjad", position=1),
        ]),
    ]
    db.session.add(made)
    db.session.commit()
    return made


def solution(party, title, published, tonnes=None, period="", commitments=None, **fields):
    post = Post(kind="solution", title=title, summary="Kort.", organisation_id=party.organisation_id,
                state=fields.pop("state", "published"), published_at=published, reduction_tonnes=tonnes,
                reduction_period=period, status="genomford", **fields)
    post.commitments = commitments if commitments is not None else [party.commitments[0]]
    db.session.add(post)
    db.session.commit()
    return post


@pytest.fixture
def measures(contract):
    city, company = contract.parties
    return {
        "biogas": solution(city, "Biogasbussar i stadstrafiken", datetime(2024, 5, 2, tzinfo=UTC), 120, "per_year",
                           commitments=list(city.commitments)),
        "solar": solution(city, "Solceller på skolorna", datetime(2024, 9, 1, tzinfo=UTC), 30.5, "per_year"),
        "retrofit": solution(city, "Energieffektiv ombyggnad", datetime(2024, 10, 1, tzinfo=UTC), 200, "one_off"),
        "old": solution(city, "Laddstolpar vid kommunhuset", datetime(2023, 12, 20, tzinfo=UTC), 5, "per_year"),
        # Published on New Year's Eve in Sweden, after midnight UTC: it belongs to 2024 in Sweden.
        "travel": solution(company, "Tåg i stället för flyg", datetime(2024, 12, 31, 22, 30, tzinfo=UTC)),
        "draft": solution(company, "Utkast om tjänsteresor", datetime(2024, 3, 1, tzinfo=UTC), 99, "per_year",
                          state="draft"),
        "hidden": solution(company, "Dold åtgärd", datetime(2024, 3, 1, tzinfo=UTC), 99, "per_year", hidden=True),
        "lesson": Post(kind="lesson", title="Lärdom om resor", organisation_id=company.organisation_id,
                       state="published", published_at=datetime(2024, 4, 1, tzinfo=UTC)),
    }


# --- the page ---------------------------------------------------------------------------------


def test_contract_page_links_to_the_yearly_follow_up(client, contract):
    body = client.get(f"/contracts/{contract.id}").get_data(as_text=True)
    assert f'href="/contracts/{contract.id}/follow-up"' in body
    assert "Årlig uppföljning" in body


def test_follow_up_shows_each_partys_measures_for_the_year(client, contract, measures):
    response = client.get(f"/contracts/{contract.id}/follow-up/2024")
    assert response.status_code == 200
    page = visible(response)

    assert "Årlig uppföljning 2024" in page
    assert "2 av 2 parter har redovisat minst en åtgärd för 2024." in page
    assert "Uppskattad minskning per år 150,5 ton CO₂e per år" in page
    assert "Uppskattad engångsminskning 200 ton CO₂e, engångs" in page

    city = section(page, "Kristianstads kommun Ja, minst en åtgärd", "T-Kartor group Ja")
    assert "Biogasbussar i stadstrafiken" in city and "Solceller på skolorna" in city
    assert "Energieffektiv ombyggnad" in city
    assert city.count("Biogasbussar i stadstrafiken") == 1  # linked to two commitments, counted once
    assert "Laddstolpar vid kommunhuset" not in city  # published 2023
    company = section(page, "T-Kartor group Ja, minst en åtgärd")
    assert "Tåg i stället för flyg" in company
    for absent in ("Utkast om tjänsteresor", "Dold åtgärd", "Lärdom om resor"):
        assert absent not in page
    assert "Ej påbörjad" in company and "Utveckla policyn kring affärsresor." in company


def test_table_answers_yes_or_no_per_party(client, contract, measures):
    page = visible(client.get(f"/contracts/{contract.id}/follow-up/2023"))
    table = section(page, "Parternas redovisning 2023", "Kristianstads kommun Ja, minst")
    assert "Minst en åtgärd redovisad för 2023" in table
    assert "Kristianstads kommun Ja 1 5 Ingen uppgift" in table
    assert "T-Kartor group Nej 0 Ingen uppgift Ingen uppgift" in table
    assert "1 av 2 parter har redovisat minst en åtgärd för 2023." in page
    assert "Nej, ingen åtgärd redovisad för 2023." in page


def test_hidden_and_draft_measures_do_not_count(client, contract):
    _city, company = contract.parties
    solution(company, "Utkast", datetime(2024, 3, 1, tzinfo=UTC), state="draft")
    solution(company, "Dold", datetime(2024, 3, 1, tzinfo=UTC), hidden=True)
    solution(company, "Väntar på granskning", datetime(2024, 3, 1, tzinfo=UTC), approval="pending")
    page = visible(client.get(f"/contracts/{contract.id}/follow-up/2024"))
    assert "0 av 2 parter har redovisat minst en åtgärd för 2024." in page
    assert "Ingen uppskattning angiven" in page


def test_default_year_is_the_latest_with_measures(client, contract, measures):
    page = visible(client.get(f"/contracts/{contract.id}/follow-up"))
    assert "Årlig uppföljning 2024" in page


def test_default_year_without_measures_is_this_year(client, contract):
    page = visible(client.get(f"/contracts/{contract.id}/follow-up"))
    assert f"Årlig uppföljning {THIS_YEAR}" in page
    assert "0 av 2 parter har redovisat minst en åtgärd" in page


def test_year_navigation_covers_only_sensible_years(client, contract, measures):
    body = client.get(f"/contracts/{contract.id}/follow-up/2024").get_data(as_text=True)
    assert f'href="/contracts/{contract.id}/follow-up/2023" rel="prev"' in body
    assert f'href="/contracts/{contract.id}/follow-up/2024" aria-current="page"' in body
    assert '/follow-up/2022"' not in body
    first = client.get(f"/contracts/{contract.id}/follow-up/2023").get_data(as_text=True)
    assert 'rel="prev"' not in first and f'href="/contracts/{contract.id}/follow-up/2024" rel="next"' in first
    latest = client.get(f"/contracts/{contract.id}/follow-up/{THIS_YEAR}").get_data(as_text=True)
    assert 'rel="next"' not in latest


@pytest.mark.parametrize("path", ["follow-up/1800", "follow-up/99999999999999999999", "follow-up/abc",
                                  "follow-up/-1", "follow-up/2024.5"])
def test_absurd_years_are_not_found(client, contract, path):
    assert client.get(f"/contracts/{contract.id}/{path}").status_code == 404


def test_years_outside_the_contract_say_so(client, contract):
    response = client.get(f"/contracts/{contract.id}/follow-up/2010")
    assert response.status_code == 200
    assert "Det finns ingen uppföljning för 2010: uppföljningen omfattar 2023–" in visible(response)


def test_unknown_contract_is_not_found(client, contract):
    assert client.get("/contracts/999999/follow-up").status_code == 404
    assert client.get("/contracts/99999999999999/follow-up/2024").status_code == 404


def test_page_is_the_same_for_htmx_boosted_requests(client, contract, measures):
    response = client.get(f"/contracts/{contract.id}/follow-up/2024", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert "2 av 2 parter" in visible(response)


# --- sustainability report links --------------------------------------------------------------


def test_report_link_is_shown_with_nofollow(client, contract):
    contract.parties[1].sustainability_report_url = "https://www.t-kartor.com/hallbarhet"
    db.session.commit()
    body = client.get(f"/contracts/{contract.id}/follow-up/2024").get_data(as_text=True)
    assert '<a href="https://www.t-kartor.com/hallbarhet" rel="nofollow noopener">' in body
    assert "Ingen hållbarhetsredovisning är länkad ännu." in visible(client.get(f"/contracts/{contract.id}/follow-up"))


def test_visitors_see_no_report_forms(client, contract):
    body = client.get(f"/contracts/{contract.id}/follow-up/2024").get_data(as_text=True)
    assert "Spara länken" not in body


def test_the_city_sets_a_partys_report_link(client, contract, make_user, login_as):
    city, company = contract.parties
    login_as(make_user("miljo@kristianstad.se", org=city.organisation))
    page = visible(client.get(f"/contracts/{contract.id}/follow-up/2024"))
    assert "Spara länken för Kristianstads kommun" in page and "Spara länken för T-Kartor group" in page

    response = client.post(f"/contracts/{contract.id}/follow-up/parties/{company.id}/report",
                           data={f"party-{company.id}-url": " https://www.t-kartor.com/hallbarhet ", "year": "2024"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/contracts/{contract.id}/follow-up/2024#party-t-kartor-group")
    page = visible(client.get(response.headers["Location"]))
    assert "Länken till hållbarhetsredovisningen för T-Kartor group är sparad." in page
    assert db.session.get(ContractParty, company.id).sustainability_report_url == "https://www.t-kartor.com/hallbarhet"

    response = client.post(f"/contracts/{contract.id}/follow-up/parties/{company.id}/report",
                           data={f"party-{company.id}-url": ""})
    assert response.status_code == 303 and response.headers["Location"].endswith("/follow-up#party-t-kartor-group")
    assert db.session.get(ContractParty, company.id).sustainability_report_url == ""


def test_a_party_sets_its_own_link_but_not_anothers(client, contract, make_user, login_as):
    city, company = contract.parties
    login_as(make_user("hallbarhet@t-kartor.com", org=company.organisation))
    page = visible(client.get(f"/contracts/{contract.id}/follow-up/2024"))
    assert "Spara länken för T-Kartor group" in page and "Spara länken för Kristianstads kommun" not in page

    own = client.post(f"/contracts/{contract.id}/follow-up/parties/{company.id}/report",
                      data={f"party-{company.id}-url": "https://www.t-kartor.com/rapport"})
    assert own.status_code == 303
    refused = client.post(f"/contracts/{contract.id}/follow-up/parties/{city.id}/report",
                          data={f"party-{city.id}-url": "https://evil.example.com/"})
    assert refused.status_code == 403
    assert db.session.get(ContractParty, city.id).sustainability_report_url == ""


def test_other_municipalities_and_visitors_are_refused(client, contract, make_org, make_user, login_as):
    company = contract.parties[1]
    url = f"/contracts/{contract.id}/follow-up/parties/{company.id}/report"
    data = {f"party-{company.id}-url": "https://example.se/"}
    anonymous = client.post(url, data=data)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]

    other_city = make_org("hassleholms-kommun", "Hässleholms kommun", municipality="Hässleholm")
    login_as(make_user("someone@hassleholm.se", org=other_city))
    assert client.post(url, data=data).status_code == 403
    assert db.session.get(ContractParty, company.id).sustainability_report_url == ""


def test_an_admin_may_set_any_link(client, contract, make_org, make_user, login_as):
    company = contract.parties[1]
    login_as(make_user("admin@klimathubben.se", org=make_org("klimathubben", municipality="Lund"), role="admin"))
    response = client.post(f"/contracts/{contract.id}/follow-up/parties/{company.id}/report",
                           data={f"party-{company.id}-url": "http://www.t-kartor.com/"})
    assert response.status_code == 303
    assert db.session.get(ContractParty, company.id).sustainability_report_url == "http://www.t-kartor.com/"


@pytest.mark.parametrize("bad, message", [
    ("javascript:alert(1)", "Adressen måste börja med https:// eller http://."),
    ("ftp://files.example.se/rapport.pdf", "Adressen måste börja med https:// eller http://."),
    ("www.t-kartor.com", "Adressen måste börja med https:// eller http://."),
    ("https://", "Ange en giltig webbadress"),
    ("https://exa mple.se", "Adressen får inte innehålla mellanslag."),
    ("https://" + "a" * 300 + ".se", "Adressen får vara högst 300 tecken."),
])
def test_invalid_links_are_refused_next_to_the_field(client, contract, make_user, login_as, bad, message):
    city, company = contract.parties
    login_as(make_user("miljo@kristianstad.se", org=city.organisation))
    response = client.post(f"/contracts/{contract.id}/follow-up/parties/{company.id}/report",
                           data={f"party-{company.id}-url": bad, "year": "2024"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    field = section(body, f'for="party-{company.id}-url"', "</div>")
    assert f'value="{html.escape(bad)}"' in field and 'aria-invalid="true"' in field
    assert message in html.unescape(field)
    assert "Årlig uppföljning 2024" in visible(response)
    assert db.session.get(ContractParty, company.id).sustainability_report_url == ""


def test_invalid_link_with_htmx_is_swapped(client, contract, make_user, login_as):
    city, company = contract.parties
    login_as(make_user("miljo@kristianstad.se", org=city.organisation))
    response = client.post(f"/contracts/{contract.id}/follow-up/parties/{company.id}/report",
                           data={f"party-{company.id}-url": "mailto:a@b.se"},
                           headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert response.status_code == 200 and response.headers["HX-Reswap"] == "innerHTML"
    assert "Adressen måste börja med https:// eller http://." in visible(response)


def test_service_checks_permission_before_the_address(app, contract, make_org, make_user):
    company = contract.parties[1]
    outsider = make_user("x@lund.se", org=make_org("lunds-kommun", municipality="Lund"))
    with pytest.raises(Exception) as refused:
        service.set_report_url(outsider, company, "not a url")
    assert getattr(refused.value, "code", None) == 403
    member = make_user("y@t-kartor.com", org=company.organisation)
    with pytest.raises(service.FollowUpError):
        service.set_report_url(member, company, "not a url")
    assert service.set_report_url(member, company, "HTTPS://www.t-kartor.com/").sustainability_report_url == \
        "https://www.t-kartor.com/"


# --- JSON -------------------------------------------------------------------------------------


# --- commitment status ---------------------------------------------------------------------------


def test_a_party_moves_its_commitment_along_and_the_progress_follows(client, contract, make_user, login_as):
    city, company = contract.parties
    commitment = company.commitments[0]
    login_as(make_user("hallbarhet@t-kartor.com", org=company.organisation))
    page = client.get(f"/contracts/{contract.id}/follow-up/2024").get_data(as_text=True)
    assert f'<label for="status-{commitment.id}">Status för åtagande 1</label>' in page
    assert f'id="status-{city.commitments[0].id}"' not in page  # the city's own commitments are not theirs

    url = f"/contracts/{contract.id}/follow-up/commitments/{commitment.id}/status"
    response = client.post(url, data={"status": "pagar", "year": "2024"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/follow-up/2024#commitment-status-{commitment.id}")
    assert "Åtagande 1 för T-Kartor group: Pågår." in visible(client.get(response.headers["Location"]))
    assert db.session.get(Commitment, commitment.id).status == "pagar"
    contract_page = visible(client.get(f"/contracts/{contract.id}"))
    assert "1 av 3 åtaganden genomförda, 2 pågår, 0 ej påbörjade." in contract_page

    bad = client.post(url, data={"status": "klart"})
    assert bad.status_code == 303
    assert "Välj en status för åtagandet" in visible(client.get(bad.headers["Location"]))
    assert db.session.get(Commitment, commitment.id).status == "pagar"


def test_only_those_who_follow_a_party_up_set_its_commitments_status(client, contract, make_org, make_user,
                                                                     login_as):
    city, company = contract.parties
    url = f"/contracts/{contract.id}/follow-up/commitments/{city.commitments[0].id}/status"
    anonymous = client.post(url, data={"status": "genomford"})
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login_as(make_user("hallbarhet@t-kartor.com", org=company.organisation))
    assert client.post(url, data={"status": "genomford"}).status_code == 403
    assert db.session.get(Commitment, city.commitments[0].id).status == "pagar"
    # The city follows every party up, as it does with their report links.
    login_as(make_user("miljo@kristianstad.se", org=city.organisation))
    company_url = f"/contracts/{contract.id}/follow-up/commitments/{company.commitments[0].id}/status"
    assert client.post(company_url, data={"status": "genomford"}).status_code == 303
    assert db.session.get(Commitment, company.commitments[0].id).status == "genomford"
    # A commitment of another contract is not found through this one.
    other = Contract(city="Borås", title="Klimatneutrala Borås 2030")
    db.session.add(other)
    db.session.commit()
    assert client.post(f"/contracts/{other.id}/follow-up/commitments/{company.commitments[0].id}/status",
                       data={"status": "pagar"}).status_code == 404


def test_follow_up_as_json(client, contract, measures):
    contract.parties[1].sustainability_report_url = "https://www.t-kartor.com/hallbarhet"
    db.session.commit()
    response = client.get(f"/api/v1/contracts/{contract.id}/follow-up/2024")
    assert response.status_code == 200
    data = response.get_json()
    assert data["year"] == 2024 and data["parties_reported"] == 2 and data["parties_total"] == 2
    city, company = data["parties"]
    assert city == {
        "organisation": {"slug": "kristianstads-kommun", "name": "Kristianstads kommun"},
        "measures": [measures["biogas"].id, measures["solar"].id, measures["retrofit"].id],
        "reported": True,
        "reduction_per_year": 150.5,
        "reduction_one_off": 200.0,
        "sustainability_report_url": None,
    }
    assert company["measures"] == [measures["travel"].id] and company["reduction_per_year"] is None
    assert company["sustainability_report_url"] == "https://www.t-kartor.com/hallbarhet"

    empty = client.get(f"/api/v1/contracts/{contract.id}/follow-up/2023").get_json()
    assert [p["reported"] for p in empty["parties"]] == [True, False]


def test_follow_up_json_errors(client, contract):
    assert client.get(f"/api/v1/contracts/{contract.id}/follow-up/1800").get_json()["status"] == 404
    assert client.get("/api/v1/contracts/424242/follow-up/2024").get_json()["status"] == 404
    assert client.get(f"/api/v1/contracts/{contract.id}/follow-up/abc").status_code == 404
