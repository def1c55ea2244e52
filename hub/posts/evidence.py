"""What other pages show of posts: an organisation's shared posts, a commitment's evidence,
a focus area's posts. Exposed to templates as globals, so the slots other features left in their
pages (organisations/_posts.html, contracts/_commitment_extra.html, areas/_posts.html) can fill
themselves without those features' routes knowing about posts.
"""

from __future__ import annotations

from flask import g
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import Commitment, ContractParty, FocusArea, Organisation, Post, post_focus_areas
from . import service


def shared_by(organisation: Organisation) -> list[Post]:
    """The organisation's public posts; its own members also see drafts and posts waiting."""
    return service.organisation_posts(organisation.id, current_user)


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


def area_posts(area: FocusArea, limit: int = 10) -> list[Post]:
    """The newest public posts in a focus area."""
    in_area = select(post_focus_areas.c.post_id).where(post_focus_areas.c.focus_area_id == area.id)
    query = service.newest_first(service.public_posts().where(Post.id.in_(in_area)))
    return list(db.session.scalars(query.options(*service.CARD_OPTIONS).limit(limit)).unique())


def init_app(app) -> None:
    app.add_template_global(shared_by, "posts_shared_by")
    app.add_template_global(commitment_evidence, "posts_for_commitment")
    app.add_template_global(area_posts, "posts_in_area")
