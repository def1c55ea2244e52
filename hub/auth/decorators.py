"""View decorators for pages only some people may use.

    @bp.post("/moderation/posts/<int:post_id>/hide")
    @moderator_required
    def hide(post_id): ...

Anonymous visitors go to the login page (htmx requests get HX-Redirect), moderators and admins
who have not given their second factor in this session go to the code step, and everyone else
gets 403. Services still check permissions themselves; these only guard the door.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, make_response, redirect, request, session, url_for
from flask_login import current_user

from ..urls import safe_next

F = TypeVar("F", bound=Callable)

SECOND_FACTOR_KEY = "second_factor_done"


def second_factor_done() -> bool:
    return bool(session.get(SECOND_FACTOR_KEY))


def _return_path() -> str | None:
    """Where to come back to: this page for a GET, the page the form was on otherwise."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return safe_next(path)


def _redirect(target: str):
    if getattr(request, "htmx", False):
        response = make_response("", 401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def second_factor_redirect():
    """Send a logged-in user to the code step (or TOTP enrolment), then back here."""
    return _redirect(url_for("auth.login_code", next=_return_path()))


def login_required_htmx(view: F) -> F:
    """Flask-Login's login_required; kept as a name for symmetry (its handler already speaks htmx)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _guard(view: F, allowed: Callable[[object], bool]) -> F:
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not allowed(current_user):
            abort(403)
        if not second_factor_done():
            return second_factor_redirect()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def moderator_required(view: F) -> F:
    """Logged in, moderator or admin, second factor given in this session."""
    return _guard(view, lambda user: user.is_moderator)


def admin_required(view: F) -> F:
    """Logged in, admin, second factor given in this session."""
    return _guard(view, lambda user: user.is_admin)


def second_factor_required(view: F) -> F:
    """Logged in; users who need a second factor (moderators, admins) must have given it."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if current_user.needs_second_factor and not second_factor_done():
            return second_factor_redirect()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
