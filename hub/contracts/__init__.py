"""Local climate contracts: their parties and each party's numbered commitments."""

from flask import Blueprint

bp = Blueprint("contracts", __name__, url_prefix="/contracts", cli_group="contracts")

from . import cli, routes  # noqa: E402,F401
