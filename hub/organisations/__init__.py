"""The organisation directory and each organisation's profile."""

from flask import Blueprint

bp = Blueprint("organisations", __name__, url_prefix="/organisations", cli_group="organisations")

from . import cli, routes  # noqa: E402,F401
