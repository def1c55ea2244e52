"""GET /api/v1/contracts/<id>/follow-up/<year>: the yearly follow-up as open data."""

from __future__ import annotations

from werkzeug.exceptions import NotFound

from ..contracts import service as contracts
from ..followup import service
from . import bp


def party_json(p: service.PartyYear) -> dict:
    org = p.party.organisation
    return {
        "organisation": {"slug": org.slug, "name": org.name},
        "measures": [post.id for post in p.measures],
        "reported": p.reported,
        "reduction_per_year": p.reduction_per_year,
        "reduction_one_off": p.reduction_one_off,
        "sustainability_report_url": p.report_url or None,
    }


@bp.get("/contracts/<int:contract_id>/follow-up/<int:year>", endpoint="contract_followup")
def contract_followup(contract_id: int, year: int):
    contract = contracts.get_contract(contract_id)
    if contract is None or not service.valid_year(year):
        raise NotFound()
    report = service.follow_up(contract, year)
    return {
        "contract": {"id": contract.id, "title": contract.title, "city": contract.city},
        "year": year,
        "parties_total": len(report.parties),
        "parties_reported": report.reported_count,
        "reduction_per_year": report.reduction_per_year,
        "reduction_one_off": report.reduction_one_off,
        "parties": [party_json(p) for p in report.parties],
    }
