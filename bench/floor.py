"""The search without the page, for the benchmark only: `gunicorn 'floor:create_app()'` with
bench/ on the path. `/posts/` reads the query from the address and runs the search as the search
page does (`search.query(..., cards=True)`), then answers with two numbers instead of building the
filter options and rendering the page. Measured in turns with the page and the engine, it is the
floor under the page's HTTP ÷ engine ratio: the search plus Flask, gunicorn and the client."""

from __future__ import annotations

from flask import request

from hub import create_app as create_hub
from hub import search
from hub.search import SearchQuery


def create_app():
    app = create_hub()

    def search_only():
        results = search.query(SearchQuery.from_args(request.args), cards=True)
        return {"total": results.total, "hits": len(results.hits)}

    app.view_functions["posts.index"] = search_only
    return app
