"""Accounts: login, logout, invitations, password reset, second factor."""

from __future__ import annotations

import hmac

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from ..extensions import db, login_manager

bp = Blueprint("auth", __name__)


def load_user(user_id: str):
    """Find the user behind a session; a rotated session token makes old cookies worthless."""
    from ..models import User

    ident, _, token = (user_id or "").partition(":")
    if not ident.isdigit() or not token:
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


def _unauthorized():
    from ..htmx import login_redirect

    return login_redirect()


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.login_message = _l("Logga in för att fortsätta.")
    login_manager.session_protection = "basic"

    from . import routes  # noqa: F401
    from .cli import users_command
    from .people import bp as people_bp

    app.register_blueprint(bp)
    app.register_blueprint(people_bp)
    app.cli.add_command(users_command)
