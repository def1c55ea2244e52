"""Swedish first, English second: the locale comes from the visitor's choice in the session."""

from __future__ import annotations

from babel.support import Translations
from flask import Flask, current_app, g, has_request_context, session
from flask_babel import get_locale, get_translations

from .extensions import babel


def select_locale() -> str:
    if not has_request_context():  # the command line speaks the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    """The request's language code, looked up once (templates ask for it per card and date)."""
    if not has_request_context():
        return str(get_locale() or "sv")
    try:
        return g._hub_locale
    except AttributeError:
        g._hub_locale = found = str(get_locale() or "sv")
        return found


def catalogue() -> Translations:
    """This request's translations, looked up once.

    Flask-Babel finds the locale and its catalogue again for every string (about 20 µs); a list
    page translates a few hundred. The locale is fixed for a request (Flask-Babel keeps it on
    `g` too), so the catalogue is kept beside it.
    """
    try:
        return g._hub_catalogue
    except AttributeError:
        g._hub_catalogue = found = get_translations()
        return found


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        lambda string: catalogue().ugettext(string),
        lambda singular, plural, n: catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, string: catalogue().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: catalogue().unpgettext(context, singular, plural, n),
        newstyle=True,
    )
