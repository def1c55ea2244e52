"""Challenges that find solutions: answers, accepting one, offers and similar posts."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_login import current_user

bp = Blueprint("challenges", __name__)


def challenge_thread(post):
    """The answers section of a challenge page, for templates that include posts/_answers.html."""
    from .service import thread_for

    return thread_for(post, current_user)


def blank_answer_form():
    from .forms import AnswerForm

    return AnswerForm(formdata=None)


def init_app(app: Flask) -> None:
    from . import routes  # noqa: F401

    app.register_blueprint(bp)
    app.add_template_global(challenge_thread)
    app.add_template_global(blank_answer_form)
