"""Uppföljning: each contract's yearly follow-up, derived from the parties' published solutions."""

from flask import Blueprint

bp = Blueprint("followup", __name__, url_prefix="/contracts")

from . import routes  # noqa: F401
