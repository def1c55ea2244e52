from __future__ import annotations

from flask import abort

from ..contracts.service import Progress
from ..htmx import render
from . import bp, service


@bp.get("/")
def index():
    return render("areas/index.html", groups=service.grouped(), counts=service.commitment_counts())


@bp.get("/<slug>")
def show(slug: str):
    area = service.get_by_slug(slug)
    if area is None:
        abort(404)
    groups = service.commitments_for(area)
    return render(
        "areas/show.html",
        area=area,
        groups=groups,
        progress=Progress.of(c for group in groups for c in group.commitments),
    )
