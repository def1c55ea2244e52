"""Swedish first, English second: the locale comes from the visitor's choice in the session."""

from __future__ import annotations

from babel.support import Translations
from flask import Flask, current_app, g, has_request_context, session
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

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


def _translated(eval_ctx: EvalContext, text: str, variables: dict) -> str:
    # As Jinja's "new style" gettext: the text is always a format string (so "%%" is "%"), in
    # an HTML template it is markup whose variables are escaped, and a template may name any
    # variable, `num` too (the parameters are positional-only, so no name is taken).
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text


@pass_eval_context
def _gettext(eval_ctx: EvalContext, string: str, /, **variables) -> str:
    return _translated(eval_ctx, catalogue().ugettext(string), variables)


@pass_eval_context
def _ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables) -> str:
    variables.setdefault("num", num)
    return _translated(eval_ctx, catalogue().ungettext(singular, plural, num), variables)


@pass_eval_context
def _pgettext(eval_ctx: EvalContext, context: str, string: str, /, **variables) -> str:
    variables.setdefault("context", context)
    return _translated(eval_ctx, catalogue().upgettext(context, string), variables)


@pass_eval_context
def _npgettext(eval_ctx: EvalContext, context: str, singular: str, plural: str, num: int, /, **variables) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    return _translated(eval_ctx, catalogue().unpgettext(context, singular, plural, num), variables)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # Templates translate through the request's catalogue directly. Jinja's own callables reach
    # it through three context calls a string (`_` calls `gettext`, which calls the function):
    # 6 µs against 2 µs, and a search page translates about sixty strings.
    app.jinja_env.newstyle_gettext = True
    app.jinja_env.globals.update(
        _=_gettext, gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext
    )
