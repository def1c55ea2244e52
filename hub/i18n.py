"""Swedish first, English second: the locale comes from the visitor's choice in the session."""

from __future__ import annotations

from flask import Flask, current_app, session
from flask_babel import get_locale

from .extensions import babel


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    return str(get_locale() or "sv")


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
