"""Posts: solutions, lessons, challenges and support offers, with copying and provenance."""

from flask import Blueprint

bp = Blueprint("posts", __name__, url_prefix="/posts")


@bp.record_once
def _register_template_globals(state) -> None:
    from .evidence import init_app

    init_app(state.app)


from . import routes  # noqa: E402,F401
