"""What every template can use: labels, locale, dates, the header's unread count."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from flask import Flask, has_request_context, request, url_for
from babel import dates as babel_dates
from flask_babel import format_datetime
from markupsafe import Markup

from . import labels
from .i18n import current_locale


@lru_cache(maxsize=4096)
def _day(value: date, fmt: str, locale: str) -> str:
    # A list page shows a date per card; Babel takes ~40 µs to format one, the cache ~1 µs.
    return babel_dates.format_date(value, fmt, locale=locale)


def _date(value: date | datetime | None, fmt: str = "d MMMM y") -> str:
    if value is None:
        return ""
    return _day(value.date() if isinstance(value, datetime) else value, fmt, current_locale())


def _datetime(value: datetime | None, fmt: str = "d MMM y HH:mm") -> str:
    return format_datetime(value, fmt) if value else ""


def _iso(value: date | datetime | None) -> str:
    return value.isoformat() if value else ""


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    text = f"{value:,.1f}" if isinstance(value, float) and not value.is_integer() else f"{int(value):,}"
    return text.replace(",", "\u00a0").replace(".", ",") if current_locale() == "sv" else text


def _lang_sv() -> Markup:
    """` lang="sv"` for stored Swedish text (titles, summaries, bodies) on a page in another
    language, so screen readers and hyphenation treat it as Swedish; nothing on a Swedish page."""
    return Markup("") if current_locale() == "sv" else Markup(' lang="sv"')


class _Labels:
    """`labels` for macros. Macro files are imported without the caller's context, so Jinja
    runs each once per app: an import "with context" ran the file again at every import (a post
    page imported eight, 0.15 ms in all). A page's own context still has the same dicts."""

    __slots__ = ()

    def __getattr__(self, name: str) -> dict[str, str]:
        try:
            return labels.as_context(current_locale())[name]
        except KeyError:
            raise AttributeError(name) from None


URLS_KEPT = 20_000  # addresses an app keeps before its cache starts again


def _cached_url_for():
    """`url_for` for an app's templates, each address built once.

    An address depends only on the endpoint, its values and the script root, and the URL map is
    fixed once the app is made; a search page asks for about ninety (its hits, tags, filters,
    pages, the menu), each 7 µs to build, against 1 µs to look up. Absolute addresses, addresses
    relative to the current blueprint, addresses outside a request and values that cannot be a key
    are built every time.
    """
    urls: dict[tuple, str] = {}

    def kept(key: tuple, endpoint: str, values: dict) -> str:
        """The address under this key, built on first use (TypeError if the key is unhashable)."""
        try:
            return urls[key]
        except KeyError:
            if len(urls) >= URLS_KEPT:  # post addresses are many; never let the cache grow without end
                urls.clear()
            urls[key] = found = url_for(endpoint, **values)
            return found

    def cached(endpoint: str, **values) -> str:
        if endpoint[:1] == "." or "_external" in values or "_scheme" in values or not has_request_context():
            return url_for(endpoint, **values)
        root = request.script_root
        try:
            return kept((root, endpoint, *values.items()), endpoint, values)
        except TypeError:  # a list value (a filter's choices) is kept under a tuple
            pass
        try:
            as_tuples = ((k, tuple(v) if isinstance(v, list) else v) for k, v in values.items())
            return kept((root, endpoint, *as_tuples), endpoint, values)
        except TypeError:  # a value that cannot be a key
            return url_for(endpoint, **values)

    return cached


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(date=_date, datetime=_datetime, iso=_iso, number=_number)
    # Globals, not context values: macros (imported without context) use them too.
    app.jinja_env.globals.update(
        lang_sv=_lang_sv, url_for=_cached_url_for(), labels=_Labels(), current_locale=current_locale
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def globals_for_templates():
        locale = current_locale()
        return {
            "labels": labels.as_context(locale),
            "locale": locale,
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
