"""Posts: solutions, lessons, challenges and support offers, with copying and provenance."""

from flask import Blueprint

bp = Blueprint("posts", __name__, url_prefix="/posts")

from . import routes  # noqa: E402,F401
