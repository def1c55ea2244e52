from __future__ import annotations

from flask import abort

from ..htmx import render
from . import bp, service


@bp.get("/")
def index():
    return render(
        "contracts/index.html",
        contracts=service.list_contracts(),
        progress=service.progress_by_contract(),
    )


@bp.get("/<int:contract_id>")
def show(contract_id: int):
    contract = service.get_contract(contract_id)
    if contract is None:
        abort(404)
    return render(
        "contracts/show.html",
        contract=contract,
        progress=service.progress(contract),
        texts=service.texts(contract),
    )
