"""Search: one small interface over two backends (Whoosh, the embedded default; PostgreSQL full text).

    from hub import search
    results = search.query(SearchQuery.from_args(request.args))
    search.similar(post, limit=5)
    search.suggest("laddinf")

Indexing follows the database through the outbox (hub/search/outbox.py): services just commit.
`index(post)` and `remove(post_id)` exist for the CLI and tests.
"""

from __future__ import annotations

import logging
import os

import click

from flask import Flask, current_app

from ..extensions import db
from .query_types import FACETS, SORTS, Card, FacetPanel, Hit, SearchQuery, SearchResults
from .service import CheckReport, SearchService

__all__ = [
    "FACETS", "SORTS", "Card", "CheckReport", "Hit", "SearchQuery", "SearchResults", "SearchService",
    "init_app", "service", "index", "remove", "query", "suggest", "similar", "cards", "rebuild", "check", "drain",
]

log = logging.getLogger("hub.search")


def _make_backend(app: Flask):
    name = app.config.get("HUB_SEARCH_BACKEND", "whoosh")
    if name == "postgres":
        from .postgres_backend import PostgresBackend

        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            raise RuntimeError("HUB_SEARCH_BACKEND=postgres needs a PostgreSQL DATABASE_URL.")
        return PostgresBackend()
    if name != "whoosh":
        raise RuntimeError(f"Unknown HUB_SEARCH_BACKEND {name!r} (use 'whoosh' or 'postgres').")
    from .whoosh_backend import WhooshBackend

    procs = int(os.environ.get("HUB_SEARCH_REBUILD_PROCS") or (1 if app.testing else min(2, os.cpu_count() or 1)))
    return WhooshBackend(app.config["HUB_INDEX_DIR"], background_merge=not app.testing, rebuild_procs=procs)


def init_app(app: Flask) -> None:
    from . import cli, outbox

    backend = _make_backend(app)
    search = SearchService(backend)
    app.extensions["hub_search"] = search
    outbox.register()
    app.cli.add_command(cli.search_command)
    from .routes import bp as search_bp

    app.register_blueprint(search_bp)

    # Missing or unreadable index: rebuild now if the database is ready, else on first use.
    # (Under a `flask` command the command decides: `search rebuild` should not build twice.)
    with app.app_context():
        if backend.open() and click.get_current_context(silent=True) is None:
            search.ensure_ready(quiet=True)

    if app.testing:
        def reset_search() -> None:
            backend.reset()
            if backend.name == "whoosh":
                backend.clear()

        app.extensions.setdefault("hub_test_resets", []).append(reset_search)


def service() -> SearchService:
    search: SearchService = current_app.extensions["hub_search"]
    search.ensure_ready()
    return search


def query(search_query: SearchQuery, **kwargs) -> SearchResults:
    return service().query(search_query, **kwargs)


def facet_panel(results: SearchResults, locale: str) -> FacetPanel:
    return service().facet_panel(results, locale)


def suggest(prefix: str, limit: int = 8) -> list[str]:
    return service().suggest(prefix, limit)


def similar(post_or_text, limit: int = 5) -> list:
    return service().similar(post_or_text, limit)


def cards(post_ids: list[int]) -> list[Card]:
    """Public posts as lists show them (see Card), in the order of the ids."""
    return service().cards(post_ids)


def index(post) -> None:
    """Bring one post's index entry in line with the database now (public posts in, others out)."""
    service().sync(db.session, [post.id])


def remove(post_id: int) -> None:
    service().backend.write([], [post_id])


def rebuild() -> int:
    search: SearchService = current_app.extensions["hub_search"]
    return search.rebuild()


def check(repair: bool = True) -> CheckReport:
    return service().check(repair=repair)


def drain() -> dict:
    from . import outbox

    service()
    return outbox.drain(current_app._get_current_object())
