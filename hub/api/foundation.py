"""Organisations, contracts with their parties and commitments, and focus areas as JSON."""

from __future__ import annotations

from flask import request
from sqlalchemy import false, select
from werkzeug.exceptions import NotFound

from ..contracts import service as contracts
from ..models import ORG_KINDS, Commitment, Contract, ContractParty, FocusArea, Organisation
from ..organisations import service as organisations
from ..text import clean_line
from . import bp, choice_arg, iso, paginate

# --- serialisers: the models' own field names, ISO dates --------------------------------------


def organisation_json(org: Organisation) -> dict:
    return {
        "id": org.id,
        "slug": org.slug,
        "name": org.name,
        "kind": org.kind,
        "municipality": org.municipality,
        "sector": org.sector,
        "size_band": org.size_band,
        "website": org.website,
        "description": org.description,
        "created_at": iso(org.created_at),
    }


def focus_area_json(area: FocusArea) -> dict:
    return {
        "id": area.id,
        "slug": area.slug,
        "name_sv": area.name_sv,
        "name_en": area.name_en,
        "description_sv": area.description_sv,
        "description_en": area.description_en,
        "city": area.city,
        "position": area.position,
    }


def commitment_json(commitment: Commitment) -> dict:
    return {
        "id": commitment.id,
        "party_id": commitment.party_id,
        "number": commitment.number,
        "text": commitment.text,
        "status": commitment.status,
        "position": commitment.position,
        "focus_areas": [area.slug for area in commitment.focus_areas],
    }


def contract_json(contract: Contract) -> dict:
    return {
        "id": contract.id,
        "city": contract.city,
        "title": contract.title,
        "signed_on": iso(contract.signed_on),
        "year": contract.year,
        "version": contract.version,
        "mission": contract.mission,
        "purpose": contract.purpose,
        "prerequisites": contract.prerequisites,
        "shared_starting_point": contract.shared_starting_point,
        "follow_up": contract.follow_up,
        "note": contract.note,
        "created_at": iso(contract.created_at),
    }


def _party_fields(party: ContractParty) -> dict:
    return {
        "id": party.id,
        "contract_id": party.contract_id,
        "organisation_id": party.organisation_id,
        "role": party.role,
        "position": party.position,
        "sustainability_report_url": party.sustainability_report_url,
        "commitments": [commitment_json(c) for c in party.commitments],
    }


def contract_detail_json(contract: Contract) -> dict:
    parties = []
    for party in contract.parties:
        org = party.organisation
        parties.append(
            _party_fields(party)
            | {"organisation": {"id": org.id, "slug": org.slug, "name": org.name, "kind": org.kind}}
        )
    return contract_json(contract) | {"parties": parties}


def organisation_detail_json(org: Organisation) -> dict:
    parties = []
    for party in sorted(org.parties, key=lambda p: p.contract_id):
        contract = party.contract
        parties.append(
            _party_fields(party)
            | {
                "contract": {
                    "id": contract.id,
                    "city": contract.city,
                    "title": contract.title,
                    "signed_on": iso(contract.signed_on),
                }
            }
        )
    return organisation_json(org) | {"parties": parties}


# --- endpoints ------------------------------------------------------------------------------


@bp.get("/organisations", endpoint="organisations")
def list_organisations():
    kind = choice_arg("kind", ORG_KINDS)
    query = organisations.directory_query(kind=kind)
    wanted = clean_line(request.args.get("municipality", ""))
    if wanted:
        municipality = organisations.known_name(wanted, organisations.municipalities())
        # An unknown municipality is a filter that matches nothing, not an error.
        query = query.where(Organisation.municipality == municipality) if municipality else query.where(false())
    return paginate(query, organisation_json)


@bp.get("/organisations/<slug>", endpoint="organisation")
def show_organisation(slug: str):
    org = organisations.get_by_slug(slug)
    if org is None:
        raise NotFound()
    return organisation_detail_json(org)


@bp.get("/contracts", endpoint="contracts")
def list_contracts():
    return paginate(contracts.contracts_query(clean_line(request.args.get("city", ""))), contract_json)


@bp.get("/contracts/<int:contract_id>", endpoint="contract")
def show_contract(contract_id: int):
    found = contracts.get_contract(contract_id)
    if found is None:
        raise NotFound()
    return contract_detail_json(found)


@bp.get("/focus-areas", endpoint="focus_areas")
def list_focus_areas():
    return paginate(select(FocusArea).order_by(FocusArea.position, FocusArea.id), focus_area_json)
