"""What the home page shows, and the hook later features use to add to it.

A feature that puts something on the home page (the month's example, featured posts, the latest
shares) registers a provider at start-up and renders it from its slot in templates/main/:

    from hub.main.home import add_home_context
    add_home_context(app, lambda: {"monthly_example": current_example()})

Each provider returns a dict merged into the home template's context; main/_highlights.html (near
the top) and main/_recent.html (below the contracts) are the slots that render it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import func, select

from ..areas import service as areas
from ..contracts import service as contracts
from ..extensions import db
from ..models import Commitment, Contract, Organisation
from ..organisations import service as organisations

EXTENSION_KEY = "hub_home_context"


def add_home_context(app: Flask, provider: Callable[[], dict]) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(provider)


def context() -> dict:
    totals = {
        "organisations": db.session.scalar(select(func.count()).select_from(Organisation)) or 0,
        "contracts": db.session.scalar(select(func.count()).select_from(Contract)) or 0,
        "commitments": db.session.scalar(select(func.count()).select_from(Commitment)) or 0,
    }
    result = {
        "contracts": contracts.list_contracts(),
        "progress": contracts.progress_by_contract(),
        "areas": areas.grouped(),
        "kind_counts": organisations.kind_counts(),
        "totals": totals,
    }
    for provider in current_app.extensions.get(EXTENSION_KEY, []):
        result.update(provider())
    return result
