"""Adding a contract from JSON: the API's own shape goes back in, and a bad file stores nothing."""

from __future__ import annotations

import json

import pytest

from hub.extensions import db
from hub.models import Contract, FocusArea


@pytest.fixture
def parties(make_org):
    db.session.add(FocusArea(slug="mobilitet", name_sv="Mobilitet", name_en="Mobility", position=1))
    db.session.commit()
    return make_org("boras-stad", "Borås Stad", municipality="Borås"), make_org(
        "hogskolan-i-boras", "Högskolan i Borås", kind="akademi", municipality="Borås")


CONTRACT = {
    "city": "Borås",
    "title": "Klimatkontrakt Borås 2026",
    "signed_on": "2026-03-01",
    "year": 2026,
    "mission": "Klimatneutrala Borås 2030.",
    "parties": [
        {"organisation": {"slug": "boras-stad"}, "role": "part", "commitments": [
            {"number": "1", "text": "Öka andelen hållbara vardagsresor.", "status": "pagar", "focus_areas": ["mobilitet"]},
            {"number": "2", "text": "Ta fram en klimatinvesteringsplan."},
        ]},
        {"organisation": "hogskolan-i-boras", "role": "projektpart", "commitments": []},
    ],
}


def write(tmp_path, data) -> str:
    path = tmp_path / "kontrakt.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_contract_file_adds_the_contract_with_its_parties_and_commitments(app, client, parties, tmp_path):
    result = app.test_cli_runner().invoke(args=["contracts", "import", write(tmp_path, CONTRACT)])
    assert result.exit_code == 0, result.output
    assert "med 2 parter och 2 åtaganden" in result.output
    contract = db.session.scalar(db.select(Contract))
    page = client.get(f"/contracts/{contract.id}").get_data(as_text=True)
    assert "Klimatkontrakt Borås 2026" in page and "Öka andelen hållbara vardagsresor." in page
    assert "Högskolan i Borås" in page

    # What the API answers goes back in as a new contract (ids and extra fields are ignored).
    exported = client.get(f"/api/v1/contracts/{contract.id}").get_json()
    exported["title"] = "Klimatkontrakt Borås 2027"
    again = app.test_cli_runner().invoke(args=["contracts", "import", write(tmp_path, exported)])
    assert again.exit_code == 0, again.output
    copy = db.session.scalar(db.select(Contract).where(Contract.title == "Klimatkontrakt Borås 2027"))
    first = copy.parties[0].commitments[0]
    assert (first.number, first.status, [a.slug for a in first.focus_areas]) == ("1", "pagar", ["mobilitet"])
    assert copy.parties[1].role == "projektpart"


@pytest.mark.parametrize(("change", "message"), [
    ({"title": ""}, "Fältet 'title' saknas eller är tomt."),
    ({"signed_on": "14/12/2023"}, "'signed_on' ska vara ett datum"),
    ({"year": "2026"}, "'year' ska vara ett årtal"),
    ({"parties": [{"organisation": "okand-organisation"}]}, "organisationen 'okand-organisation' finns inte"),
    ({"parties": [{"organisation": "boras-stad"}, {"organisation": "boras-stad"}]}, "står som part två gånger"),
    ({"parties": [{"organisation": "boras-stad", "commitments": [{"text": "A", "status": "klart"}]}]},
     "okänd status 'klart'"),
    ({"parties": [{"organisation": "boras-stad", "commitments": [{"text": "A", "focus_areas": ["rymden"]}]}]},
     "okänt fokusområde rymden"),
    ({"parties": [{"organisation": "boras-stad", "commitments": [{"number": "1", "text": "A"},
                                                                  {"number": "1", "text": "B"}]}]},
     "numret 1 finns redan"),
])
def test_a_bad_contract_file_says_what_is_wrong_and_stores_nothing(app, parties, tmp_path, change, message):
    result = app.test_cli_runner().invoke(args=["contracts", "import", write(tmp_path, {**CONTRACT, **change})])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Contract)) == 0


def test_not_json_and_a_duplicate_are_refused(app, parties, tmp_path):
    runner = app.test_cli_runner()
    broken = runner.invoke(args=["contracts", "import", write(tmp_path, '{"city": ')])
    assert broken.exit_code != 0 and "inte giltig JSON" in broken.output
    assert runner.invoke(args=["contracts", "import", write(tmp_path, CONTRACT)]).exit_code == 0
    twice = runner.invoke(args=["contracts", "import", write(tmp_path, CONTRACT)])
    assert twice.exit_code != 0 and "Det finns redan ett kontrakt" in twice.output
