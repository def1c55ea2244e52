"""Focus areas: the national set and a city's own, with the commitments tagged with each."""

from flask import Blueprint

bp = Blueprint("areas", __name__, url_prefix="/focus-areas")

from . import routes  # noqa: E402,F401
