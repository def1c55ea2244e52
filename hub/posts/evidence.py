"""What other pages show of posts: an organisation's shared posts, a commitment's evidence,
a focus area's posts (organisation and area lists through the search, as /posts/ lists them).
Exposed to templates as globals, so the slots other features left in their pages
(organisations/_posts.html, contracts/_commitment_extra.html, areas/_posts.html) can fill
themselves without those features' routes knowing about posts.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g
from flask_login import current_user
from sqlalchemy import select

from .. import search
from ..extensions import db
from ..models import Commitment, ContractParty, FocusArea, Organisation, Post
from ..search import SearchQuery, SearchResults
from . import service


@dataclass
class Shared:
    """An organisation's posts on its profile."""

    public: SearchResults  # newest first, with counts per kind
    unpublished: list[Post]  # only for its own members: drafts, posts waiting, hidden posts


def shared_by(organisation: Organisation) -> Shared:
    unpublished = []
    if service.is_member(current_user, organisation.id):
        unpublished = [p for p in service.organisation_posts(organisation.id, current_user) if not p.is_public]
    return Shared(browse(organisation=organisation), unpublished)


def browse(area: FocusArea | None = None, organisation: Organisation | None = None, limit: int = 10) -> SearchResults:
    """The newest public posts in a focus area or from an organisation, with counts per kind:
    the search page's own query, so the page and "show all" never disagree."""
    query = SearchQuery(
        areas=(area.slug,) if area else (), org=organisation.slug if organisation else "", sort="newest", per_page=limit
    )
    return search.query(query, cards=True)


def commitment_evidence(commitment: Commitment) -> list[Post]:
    """Public posts linked to a commitment. One query per contract on the page, not per commitment."""
    cache: dict[int, dict[int, list[Post]]] = g.setdefault("_commitment_evidence", {})
    contract_id = commitment.party.contract_id
    if contract_id not in cache:
        ids = db.session.scalars(
            select(Commitment.id)
            .join(ContractParty, ContractParty.id == Commitment.party_id)
            .where(ContractParty.contract_id == contract_id)
        )
        cache[contract_id] = service.posts_for_commitments(ids)
    return cache[contract_id].get(commitment.id, [])


def init_app(app) -> None:
    app.add_template_global(shared_by, "posts_shared_by")
    app.add_template_global(commitment_evidence, "posts_for_commitment")
    app.add_template_global(browse, "browse_posts")
