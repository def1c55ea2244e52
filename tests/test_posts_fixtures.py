"""A small world for the post tests: three organisations, two contracts, focus areas, people.

Imported by tests/test_posts*.py and tests/test_copy*.py (`from test_posts_fixtures import ...`).
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from hub.extensions import db
from hub.models import Commitment, Contract, ContractParty, FocusArea
from hub.posts import service

HX = {"HX-Request": "true"}


@pytest.fixture
def world(app, make_org, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "HUB_PREMODERATION", "off")
    kristianstad = make_org("kristianstads-kommun", "Kristianstads kommun")
    tkartor = make_org("t-kartor", "T-Kartor Sweden AB", kind="foretag")
    boras = make_org("boras-stad", "Borås Stad", municipality="Borås")
    areas = [
        FocusArea(slug=slug, name_sv=name, name_en=name, position=i)
        for i, (slug, name) in enumerate(
            [
                ("transporter", "Transporter och resor"),
                ("upphandling", "Upphandling"),
                ("energi", "Energi"),
                ("cirkular-ekonomi", "Cirkulär ekonomi"),
            ]
        )
    ]
    db.session.add_all(areas)
    contract = Contract(city="Kristianstad", title="Lokalt klimatkontrakt Kristianstad", signed_on=date(2023, 12, 14))
    ks_party = ContractParty(contract=contract, organisation=kristianstad, role="part", position=0)
    tk_party = ContractParty(contract=contract, organisation=tkartor, role="part", position=1)
    ks_commitments = [
        Commitment(party=ks_party, number=str(n), text=text, position=n)
        for n, text in enumerate(
            [
                "Klimatfrågan ska genomsyra hela kommunorganisationen.",
                "Pressa ner utsläppen och öka den förnybara energin.",
                "Fler resor med gång, cykel och kollektivtrafik.",
                "Efterfråga klimatsmarta lösningar i upphandling.",
            ],
            start=1,
        )
    ]
    tk_commitments = [
        Commitment(party=tk_party, number=str(n), text=text, position=n)
        for n, text in enumerate(
            ["Utveckla policyn för affärsresor.", "Bidra till omställningsarenan genom utbildning."], start=1
        )
    ]
    boras_contract = Contract(city="Borås", title="Klimatkontrakt Borås", signed_on=date(2022, 6, 1))
    boras_party = ContractParty(contract=boras_contract, organisation=boras, role="part", position=0)
    boras_commitments = [Commitment(party=boras_party, number="1", text="Modig mobilitet.", position=1)]
    db.session.add_all([contract, boras_contract])
    db.session.commit()
    return SimpleNamespace(
        kristianstad=kristianstad,
        tkartor=tkartor,
        boras=boras,
        areas=areas,
        contract=contract,
        ks_commitments=ks_commitments,
        tk_commitments=tk_commitments,
        boras_commitments=boras_commitments,
        anna=make_user("anna@kristianstad.example", org=kristianstad),
        karl=make_user("karl@kristianstad.example", org=kristianstad),
        tove=make_user("tove@tkartor.example", org=tkartor),
        britt=make_user("britt@boras.example", org=boras),
        moderator=make_user("mod@hub.example", org=boras, role="moderator"),
    )


def post_data(world, **changes) -> dict:
    data = {
        "title": "Klimatsmart upphandling av livsmedel",
        "summary": "Vi ställer klimatkrav när kommunen köper in livsmedel.",
        "body": "Vi började med **kött och mejeri**.",
        "tags": "upphandling, livsmedel",
        "focus_areas": [world.areas[1].id],
        "commitments": [],
        "status": "pagaende",
        "lesson_type": "upphandling",
        "audience": ["kommun"],
    }
    data.update(changes)
    return data


def make_post(world, user, kind: str = "solution", publish: bool = True, **changes):
    post, _created = service.create_post(user, kind, post_data(world, **changes))
    if publish:
        service.publish_post(post, user)
    return post


def form_fields(world, **changes) -> dict:
    """What a browser sends for the solution form."""
    fields = {
        "title": "Cykelpool för tjänsteresor",
        "summary": "Anställda lånar elcyklar för resor i tjänsten i stället för bil.",
        "body": "Tio elcyklar vid stadshuset.",
        "tags": "cykel, tjänsteresor",
        "focus_areas": [str(world.areas[0].id)],
        "status": "genomford",
        "start_year": "2022",
        "end_year": "2023",
        "reduction_tonnes": "3,5",
        "reduction_period": "per_year",
        "estimation_method": "rough",
        "cost_band": "100k_1m",
        "lead_time": "3_12m",
        "prerequisites": "Laddplatser och ett bokningssystem.",
        "contact_enabled": "y",
        "action": "publish",
    }
    fields.update(changes)
    return fields
