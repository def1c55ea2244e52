"""The read-only JSON API under /api/v1: the blueprint, JSON errors and pagination.

Every feature adds its endpoints in its own module (foundation.py, posts.py, ...) on `bp` and
uses `paginate()` for lists, so every list answers {"items": [...], "total": N, "page": P,
"per_page": K} and every error answers {"status": S, "error": "...", "message": "..."}.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import BadRequest, HTTPException, MethodNotAllowed, NotFound
from werkzeug.http import HTTP_STATUS_CODES

from ..extensions import db
from ..models import count

bp = Blueprint("api", __name__, url_prefix="/api/v1")

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000


# --- values -----------------------------------------------------------------------------------


def iso(value: date | datetime | None) -> str | None:
    """ISO 8601; datetimes in UTC with their offset (SQLite hands them back without one)."""
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


# --- query-string arguments -----------------------------------------------------------------


def int_arg(name: str, default: int, minimum: int = 1, maximum: int = MAX_PAGE) -> int:
    """A whole-number argument, or 400 with a message naming the argument."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise BadRequest(
            _("%(name)s måste vara ett heltal från %(min)s till %(max)s.", name=name, min=minimum, max=maximum)
        )
    return int(raw)


def choice_arg(name: str, allowed) -> str:
    """An argument that must be one of the stored vocabulary values (empty means no filter)."""
    raw = (request.args.get(name) or "").strip()
    if raw and raw not in allowed:
        raise BadRequest(_("%(name)s måste vara något av: %(values)s.", name=name, values=", ".join(allowed)))
    return raw


def page_args() -> tuple[int, int]:
    return int_arg("page", 1), int_arg("per_page", DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE)


def paginate(query, serialize: Callable[[Any], dict], options=()) -> dict:
    """One page of a select(): {"items", "total", "page", "per_page"}; a page past the end is empty."""
    page, per_page = page_args()
    total = count(query)
    rows = db.session.scalars(query.options(*options).limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": [serialize(row) for row in rows], "total": total, "page": page, "per_page": per_page}


# --- errors ---------------------------------------------------------------------------------

_MESSAGES = {
    400: lambda: _("Felaktig begäran."),
    404: lambda: _("Det finns inget här."),
    405: lambda: _("Metoden stöds inte; API:t går bara att läsa."),
}


def error_response(status: int, message: str | None = None, headers: dict | None = None) -> Response:
    default = _MESSAGES.get(status)
    body = {
        "status": status,
        "error": HTTP_STATUS_CODES.get(status, "Error"),
        "message": message or (default() if default else HTTP_STATUS_CODES.get(status, "")),
    }
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def http_error(error: HTTPException):
    # Werkzeug's own English descriptions are replaced; messages we raised ourselves are kept.
    own = error.description if error.description != type(error).description else None
    headers = {}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(error.code or 500, own, headers)


# The app's own handlers for specific codes (HTML pages) would win over a blueprint's generic
# HTTPException handler, so the API claims each code it can raise as well.
bp.register_error_handler(HTTPException, http_error)
for _code in (400, 403, 404, 405, 413, 429, 500):
    bp.register_error_handler(_code, http_error)


@bp.before_app_request
def json_routing_errors():
    """Unknown paths and wrong methods under /api/v1 answer in JSON too.

    Routing errors happen before any blueprint is known, so blueprint handlers never see them.
    """
    error = request.routing_exception
    if isinstance(error, (NotFound, MethodNotAllowed)) and (
        request.path == bp.url_prefix or request.path.startswith(bp.url_prefix + "/")
    ):
        return http_error(error)
    return None


@bp.errorhandler(SQLAlchemyError)
def database_error(error: SQLAlchemyError):
    from .. import db as hub_db

    db.session.rollback()
    if hub_db.is_unavailable(error):
        current_app.logger.error("database unavailable on %s %s: %s", request.method, request.path, error)
        return error_response(503, _("Databasen svarar inte just nu. Försök igen om en stund."), {"Retry-After": "30"})
    current_app.logger.exception("database error on %s %s", request.method, request.path)
    return error_response(500, _("Något gick fel hos oss."))


@bp.after_request
def open_data_headers(response: Response) -> Response:
    # Public, read-only open data: any site may read it (no cookies are honoured for it).
    response.headers.setdefault("Access-Control-Allow-Origin", "*")
    return response


# --- the API's own pages ----------------------------------------------------------------------


@bp.get("/")
def index():
    return jsonify(
        {
            "name": "Klimathubben API",
            "version": 1,
            "endpoints": {
                "organisations": url_for("api.organisations", _external=True),
                "contracts": url_for("api.contracts", _external=True),
                "focus_areas": url_for("api.focus_areas", _external=True),
            },
            "pagination": {"page": 1, "per_page": DEFAULT_PER_PAGE, "max_per_page": MAX_PER_PAGE},
        }
    )


from . import foundation  # noqa: E402,F401  (each feature imports its endpoints here)
from . import posts  # noqa: E402,F401
from . import followup  # noqa: E402,F401
from . import openapi  # noqa: E402,F401
