"""Good examples (Bra exempel) and Månadens exempel."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("examples", __name__, url_prefix="/examples")

from . import routes  # noqa: E402,F401
