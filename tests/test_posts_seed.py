"""The demo posts load on top of the demo foundation, once, with copies that show lineage."""

from __future__ import annotations

from sqlalchemy import func, select

from hub.extensions import db
from hub.models import Post
from hub.posts import service
from hub.seed import foundation
from hub.seed import posts as demo_posts


def test_demo_posts_load_once_with_every_kind_and_copies(app, client):
    foundation.load()
    added = demo_posts.load()
    assert added >= 40
    assert demo_posts.load() == 0  # idempotent
    assert db.session.scalar(select(func.count()).select_from(Post)) == added

    public = list(db.session.scalars(service.public_posts()))
    kinds = {kind: sum(1 for p in public if p.kind == kind) for kind in ("solution", "lesson", "challenge", "offer")}
    assert kinds["solution"] >= 15 and kinds["lesson"] >= 5 and kinds["challenge"] >= 5 and kinds["offer"] >= 2
    assert all(p.status == "oppen" for p in public if p.kind == "challenge")
    assert all(p.focus_areas and p.body_html for p in public)
    # Linked commitments are always the organisation's own.
    for post in public:
        assert all(c.party.organisation_id == post.organisation_id for c in post.commitments)

    source = db.session.scalar(select(Post).where(Post.title == "Klimatkrav i livsmedelsupphandlingen"))
    assert len(service.published_copies(source)) == 2
    policy = db.session.scalar(select(Post).where(Post.title == "Resepolicy: digitalt först, tåg före flyg"))
    assert service.lineage(policy).size == 3  # a copy of a copy

    page = client.get(f"/posts/{policy.id}").get_data(as_text=True)
    assert "Kopierad av 1 organisation" in page and "Idéns väg" in page
    assert client.get("/posts/?kind=offer").status_code == 200
    assert "Stöderbjudanden" in client.get("/posts/?kind=offer").get_data(as_text=True)
