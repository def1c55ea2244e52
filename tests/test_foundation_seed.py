"""`flask seed-demo`: the demo foundation from the source texts, idempotent and organisation-level."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import func, select

from hub.extensions import db
from hub.models import (
    Commitment,
    Contract,
    ContractParty,
    FocusArea,
    Organisation,
    User,
    commitment_focus_areas,
)
from hub.seed import foundation

COUNTED = (Organisation, Contract, ContractParty, Commitment, FocusArea, User)

# Officials named in the source texts: the demo data is organisation-level and must not name them.
OFFICIALS = ("Jimmy Jansson", "Kristina Birath", "Jansson", "Birath")


def counts() -> dict[str, int]:
    result = {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in COUNTED}
    result["tags"] = db.session.scalar(select(func.count()).select_from(commitment_focus_areas))
    return result


def party(city: str, slug: str) -> ContractParty:
    return db.session.scalar(
        select(ContractParty)
        .join(Contract)
        .join(Organisation)
        .where(Contract.city == city, Organisation.slug == slug)
    )


def test_seed_demo_runs_twice_without_changing_anything(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Demodata laddad." in first.output
    after_first = counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert counts() == after_first
    assert after_first["Organisation"] == 23
    assert after_first["Contract"] == 3


def test_seed_demo_if_empty_leaves_existing_data_alone(app, make_org):
    make_org("egen-kommun", "Egen kommun")
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Contract)) == 0


def test_seed_keeps_what_users_changed_since(app):
    foundation.load()
    commitment = party("Kristianstad", "t-kartor-group").commitments[2]
    commitment.status = "genomford"
    db.session.commit()
    foundation.load()
    db.session.expire_all()
    assert party("Kristianstad", "t-kartor-group").commitments[2].status == "genomford"


def test_kristianstad_contract_from_the_source_text(app):
    foundation.load()
    contract = db.session.scalar(select(Contract).where(Contract.city == "Kristianstad"))
    assert contract.signed_on.isoformat() == "2023-12-14"
    assert "nulägesanalys" in contract.prerequisites
    assert "hela värdekedjan" in contract.shared_starting_point
    assert "minst en konkret åtgärd" in contract.follow_up
    assert "hållbarhetsredovisning" in contract.follow_up
    assert "sammanfattning" in contract.follow_up
    municipality = party("Kristianstad", "kristianstads-kommun")
    company = party("Kristianstad", "t-kartor-group")
    assert [c.number for c in municipality.commitments] == ["1", "2", "3", "4"]
    assert [c.number for c in company.commitments] == ["1", "2", "3"]
    assert company.commitments[0].text == "Utveckla T-Kartors policy kring affärsresor."
    assert all(c.focus_areas for c in municipality.commitments + company.commitments)


def test_eskilstuna_partners_and_twelve_support_partners(app):
    foundation.load()
    contract = db.session.scalar(select(Contract).where(Contract.city == "Eskilstuna"))
    roles = {p.organisation.name: p.role for p in contract.parties}
    assert roles["Eskilstuna kommun"] == "part"
    for partner in ("Mälardalens universitet", "Studiefrämjandet", "ReTuna Återbruksgalleria"):
        assert roles[partner] == "partner"
    support = sorted(name for name, role in roles.items() if role == "stodpartner")
    assert len(support) == 12
    for expected in ("Affärsplan Eskilstuna", "AGRO Sörmland", "ATEA", "Berglunds Åkeri", "Destination Eskilstuna",
                     "Energy Evolution Center", "Fastighets AB Regio", "Länsbildningsförbundet Sörmland",
                     "AB Mälarplast", "Mälarstaden Asset Management", "PEAB AB"):
        assert expected in support
    assert any(name.startswith("MITC") for name in support)
    assert all(p.commitments for p in contract.parties)


def test_boras_parties_and_its_four_focus_areas(app):
    foundation.load()
    contract = db.session.scalar(select(Contract).where(Contract.city == "Borås"))
    assert contract.title == "Klimatneutrala Borås 2030"
    assert {p.organisation.name for p in contract.parties} == {
        "Borås Stad", "Science Park Borås", "Borås Energi och Miljö AB", "Navet Science Center",
        "Fristadbostäder AB (FRIBO)",
    }
    assert {p.role for p in contract.parties} == {"projektpart"}
    own = db.session.scalars(select(FocusArea).where(FocusArea.city == "Borås").order_by(FocusArea.position)).all()
    assert [a.name_sv for a in own] == ["Modig mobilitet", "Bestående byggnation", "Smart samskapande",
                                        "Klokt klimatledarskap"]


def test_national_focus_areas_are_bilingual(app):
    foundation.load()
    national = db.session.scalars(select(FocusArea).where(FocusArea.city == "")).all()
    assert len(national) == 9
    assert all(a.name_sv and a.name_en and a.description_sv and a.description_en for a in national)


def test_statuses_vary_and_every_value_is_known(app):
    foundation.load()
    statuses = {c.status for c in db.session.scalars(select(Commitment))}
    assert statuses == {"ej_paborjad", "pagar", "genomford"}
    kinds = set(db.session.scalars(select(Organisation.kind)))
    assert kinds <= {"kommun", "foretag", "offentlig", "akademi", "forening", "region", "myndighet"}


def test_demo_data_names_no_officials_and_holds_no_contact_details(app):
    foundation.load()
    foundation.demo_logins(production=False)
    texts = []
    for org in db.session.scalars(select(Organisation)):
        texts += [org.name, org.sector, org.website, org.description]
    for contract in db.session.scalars(select(Contract)):
        texts += [contract.title, contract.mission, contract.purpose, contract.prerequisites,
                  contract.shared_starting_point, contract.follow_up, contract.note]
    texts += [c.text for c in db.session.scalars(select(Commitment))]
    for area in db.session.scalars(select(FocusArea)):
        texts += [area.name_sv, area.name_en, area.description_sv, area.description_en]
    texts += [u.name for u in db.session.scalars(select(User))]
    blob = "\n".join(texts)
    for name in OFFICIALS:
        assert name not in blob
    assert "@" not in blob
    assert not re.search(r"\b0\d{1,3}[- ]?\d{2,3}[ ]?\d{2}[ ]?\d{2}\b", blob), "looks like a phone number"
    for email in db.session.scalars(select(User.email)):
        assert email.endswith(("@example.se", "@example.org"))


def test_demo_logins_exist_outside_production_with_a_second_factor_for_staff(app):
    foundation.load()
    logins = foundation.demo_logins(production=False)
    emails = [email for email, _password, _what in logins]
    assert "admin@example.se" in emails and "moderator@example.se" in emails
    passwords = {password for _email, password, _what in logins}
    assert len(passwords) == 1
    password = passwords.pop()
    for email, _password, description in logins:
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.check_password(password)
        if user.is_moderator:
            assert user.totp_enabled
            assert user.totp_secret in description
            assert pyotp.TOTP(user.totp_secret).now().isdigit()
    members = {db.session.scalar(select(User).where(User.email == e)).organisation.slug for e in emails}
    assert {"kristianstads-kommun", "t-kartor-group", "eskilstuna-kommun", "boras-stad"} <= members
    # Running again neither duplicates users nor resets their passwords.
    user = db.session.scalar(select(User).where(User.email == "boras@example.se"))
    user.set_password("ett annat lösenord")
    db.session.commit()
    foundation.demo_logins(production=False)
    assert db.session.scalar(select(func.count()).select_from(User)) == len(logins)
    assert user.check_password("ett annat lösenord")


def test_no_demo_logins_in_production(app):
    foundation.load()
    assert foundation.demo_logins(production=True) == []
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize("email", ["admin@example.se", "kristianstad@example.se"])
def test_seed_demo_prints_the_demo_logins(app, email):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert email in result.output
    assert foundation.DEMO_PASSWORD in result.output
