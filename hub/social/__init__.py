"""Following and messages between organisations."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_login import current_user

bp = Blueprint("social", __name__)


def following(target_type: str, target_id: int) -> bool:
    """For follow buttons: whether the current user follows the target."""
    from .service import is_following

    return is_following(current_user, target_type, target_id)


def can_contact(post) -> bool:
    """For the contact button on a post: whether the current user may write to its organisation about it."""
    from .service import can_contact as allowed

    return allowed(current_user, post)


def followed_by_me() -> dict:
    """For the notifications page: what the current user follows."""
    from .service import followed_by

    if not current_user.is_authenticated:
        return {"area": [], "organisation": [], "post": []}
    return followed_by(current_user)


def init_app(app: Flask) -> None:
    from . import events, routes  # noqa: F401

    events.register()
    app.register_blueprint(bp)
    app.add_template_global(following)
    app.add_template_global(followed_by_me)
    app.add_template_global(can_contact)
