"""Error pages in the base layout; a lost database answers 503 with Retry-After."""

from __future__ import annotations

import logging

from flask import Flask, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from . import db as hub_db
from .extensions import db
from .htmx import login_redirect

log = logging.getLogger(__name__)


def _page(template: str, status: int, **context):
    return render_template(template, **context), status


def init_app(app: Flask) -> None:
    @app.errorhandler(403)
    def forbidden(error):
        return _page("errors/403.html", 403)

    @app.errorhandler(404)
    def not_found(error):
        return _page("errors/404.html", 404)

    @app.errorhandler(405)
    def not_allowed(error):
        return _page("errors/405.html", 405)

    @app.errorhandler(413)
    def too_large(error):
        return _page("errors/413.html", 413)

    @app.errorhandler(429)
    def too_many(error):
        return _page("errors/429.html", 429, limit=getattr(error, "description", ""))

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        # htmx swaps no 4xx, so the plain error page would vanish without a word: an htmx request
        # whose session is gone goes to log in again, any other gets the page afresh (a new token).
        if getattr(request, "htmx", False):
            if not current_user.is_authenticated:
                flash(_("Formuläret hade gått ut. Logga in och försök igen."), "warning")
                return login_redirect()
            flash(_("Formuläret hade gått ut, så sidan har laddats om. Försök igen."), "warning")
            return "", 400, {"HX-Refresh": "true"}
        return _page("errors/csrf.html", 400)

    @app.errorhandler(SQLAlchemyError)
    def database_error(error):
        db.session.rollback()
        if hub_db.is_unavailable(error):
            log.error("database unavailable on %s %s: %s", request.method, request.path, error)
            body = render_template("errors/503.html", database_down=True)
            return body, 503, {"Retry-After": "30"}
        log.exception("database error on %s %s", request.method, request.path)
        return _page("errors/500.html", 500, database_down=True)

    @app.errorhandler(500)
    def server_error(error):
        return _page("errors/500.html", 500, database_down=True)

    @app.errorhandler(HTTPException)
    def other_http_error(error: HTTPException):
        return _page("errors/generic.html", error.code or 500, error=error)
