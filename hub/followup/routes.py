"""The follow-up page per contract and year, and setting a party's report link from it."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import labels
from ..contracts import service as contracts
from ..htmx import render, render_invalid
from . import bp, service
from .forms import report_form


def _contract(contract_id: int):
    contract = contracts.get_contract(contract_id)
    if contract is None:
        abort(404)
    return contract


def _page(report, forms, invalid=False):
    render_page = render_invalid if invalid else render
    return render_page("followup/show.html", report=report, contract=report.contract, forms=forms)


def _year_field() -> int | None:
    """The follow-up year a form was sent from, to return to it."""
    raw = request.form.get("year", "")
    return int(raw) if raw.isascii() and raw.isdigit() and service.valid_year(int(raw)) else None


def _followup_url(contract, year: int | None, anchor: str) -> str:
    target = url_for("followup.show", contract_id=contract.id, year=year) if year else url_for(
        "followup.show", contract_id=contract.id)
    return f"{target}#{anchor}"


def _forms(report):
    return {p.party.id: report_form(p.party) for p in report.parties if service.can_follow_up(current_user, p.party)}


@bp.get("/<int:contract_id>/follow-up")
@bp.get("/<int:contract_id>/follow-up/<int:year>")
def show(contract_id: int, year: int | None = None):
    if year is not None and not service.valid_year(year):
        abort(404)
    contract = _contract(contract_id)
    report = service.follow_up(contract, year if year is not None else service.latest_year(contract))
    return _page(report, _forms(report))


@bp.post("/<int:contract_id>/follow-up/parties/<int:party_id>/report")
@login_required
def set_report(contract_id: int, party_id: int):
    contract = _contract(contract_id)
    party = service.get_party(contract, party_id)
    year = _year_field()
    form = report_form(party, formdata=request.form)
    try:
        service.set_report_url(current_user, party, form.url.data)
    except service.FollowUpError as error:
        report = service.follow_up(contract, year or service.latest_year(contract))
        forms = _forms(report)
        form.url.errors = [error.message]
        forms[party.id] = form
        return _page(report, forms, invalid=True)
    if party.sustainability_report_url:
        flash(_("Länken till hållbarhetsredovisningen för %(name)s är sparad.", name=party.organisation.name), "success")
    else:
        flash(_("Länken till hållbarhetsredovisningen för %(name)s är borttagen.", name=party.organisation.name),
              "success")
    return redirect(_followup_url(contract, year, f"party-{party.organisation.slug}"), 303)


@bp.post("/<int:contract_id>/follow-up/commitments/<int:commitment_id>/status")
@login_required
def set_commitment_status(contract_id: int, commitment_id: int):
    contract = _contract(contract_id)
    commitment = service.get_commitment(contract, commitment_id)
    year = _year_field()
    try:
        service.set_commitment_status(current_user, commitment, request.form.get("status"))
    except service.FollowUpError as error:
        flash(error.message, "error")
    else:
        flash(_("Åtagande %(number)s för %(name)s: %(status)s.", number=commitment.number,
                name=commitment.party.organisation.name, status=labels.COMMITMENT_STATUSES[commitment.status]),
              "success")
    return redirect(_followup_url(contract, year, f"commitment-status-{commitment.id}"), 303)
