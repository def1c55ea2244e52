"""Helpers for the search tests: posts created straight through the models (the outbox indexes them)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app

from hub import search
from hub.extensions import db
from hub.models import FocusArea, Organisation, Post
from hub.search import SearchQuery


def area(slug: str, name: str, name_en: str = "") -> FocusArea:
    found = db.session.scalar(sa.select(FocusArea).where(FocusArea.slug == slug))
    if found:
        return found
    found = FocusArea(slug=slug, name_sv=name, name_en=name_en or name)
    db.session.add(found)
    db.session.commit()
    return found


def org(slug: str = "eskilstuna-kommun", name: str = "Eskilstuna kommun", kind: str = "kommun",
        municipality: str = "Eskilstuna") -> Organisation:
    found = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if found:
        return found
    found = Organisation(slug=slug, name=name, kind=kind, municipality=municipality)
    db.session.add(found)
    db.session.commit()
    return found


def post(title: str, summary: str = "", body: str = "", *, organisation: Organisation | None = None,
         kind: str = "solution", areas=(), tags=(), state: str = "published", approval: str = "approved",
         hidden: bool = False, published: datetime | None = None, **fields) -> Post:
    item = Post(
        kind=kind,
        title=title,
        summary=summary,
        body=body,
        tags=list(tags),
        organisation=organisation or org(),
        state=state,
        approval=approval,
        hidden=hidden,
        published_at=published or (datetime(2025, 5, 1, tzinfo=UTC) if state == "published" else None),
        **fields,
    )
    item.focus_areas = list(areas)
    db.session.add(item)
    db.session.commit()
    return item


def find(q: str = "", *, cards: bool = False, **args) -> search.SearchResults:
    # As a GET request does: SQLite reads then take no write lock.
    with current_app.test_request_context("/posts/"):
        return search.query(SearchQuery.from_args({"q": q, **args}), cards=cards)


def titles(q: str = "", **args) -> list[str]:
    found = [hit.post.title for hit in find(q, **args).hits]
    db.session.commit()  # the request is over
    return found
