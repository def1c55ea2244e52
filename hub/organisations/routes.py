from __future__ import annotations

from flask import abort, request

from ..contracts.service import Progress
from ..htmx import render
from . import bp, service


@bp.get("/")
def index():
    known = service.municipalities()
    filters = service.DirectoryFilter.from_args(request.args, known)
    results = service.directory(filters)
    return render(
        "organisations/index.html",
        "organisations/_results.html",
        results=results,
        filters=filters,
        municipalities=known,
    )


@bp.get("/<slug>")
def show(slug: str):
    organisation = service.get_by_slug(slug)
    if organisation is None:
        abort(404)
    return render(
        "organisations/show.html",
        organisation=organisation,
        progress_by_party={party.id: Progress.of(party.commitments) for party in organisation.parties},
    )
