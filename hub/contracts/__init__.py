"""Local climate contracts: their parties and each party's numbered commitments."""

from flask import Blueprint

bp = Blueprint("contracts", __name__, url_prefix="/contracts")

from . import routes  # noqa: E402,F401
