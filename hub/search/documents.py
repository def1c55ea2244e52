"""What the index knows about a post: its texts, facet values and ranking boost, read from the database."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from ..models import Post
from . import analysis

LOCAL_TIME = ZoneInfo("Europe/Stockholm")
FEATURED_BOOST = 1.5
SOLVED_BOOST = 1.3
MAX_BODY_CHARS = 20_000

_URL = re.compile(r"\]\([^)\s]*\)|<?https?://\S+>?|www\.\S+")


def public_filter():
    """The one definition of a public post, as SQL."""
    return sa.and_(Post.state == "published", Post.approval == "approved", Post.hidden.is_(False))


def _plain(markdown_source: str) -> str:
    # Link targets and bare URLs are not words anyone searches for.
    return _URL.sub(" ", markdown_source or "")


@dataclass
class Document:
    post_id: int
    title: str
    summary: str
    body: str
    tags: str
    org: str
    areas: str
    kind: str
    status: str
    featured: bool
    year: int | None
    municipality: str
    org_kind: str
    area_slugs: list[str] = field(default_factory=list)
    org_slug: str = ""
    published: float = 0.0  # POSIX timestamp, for "newest"
    copies: int = 0  # published copies, for "most copied"

    @property
    def boost(self) -> float:
        boost = 1.0
        if self.featured:
            boost *= FEATURED_BOOST
        if self.kind == "challenge" and self.status == "lost":
            boost *= SOLVED_BOOST
        return boost

    @property
    def content_hash(self) -> str:
        """A fingerprint of everything indexed, so `search check` can tell a stale entry."""
        payload = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.blake2b(payload.encode(), digest_size=12).hexdigest()

    def facet_values(self) -> dict[str, list[str]]:
        return {
            "kind": [self.kind],
            "status": [self.status] if self.status else [],
            "featured": ["1"] if self.featured else [],
            "year": [str(self.year)] if self.year else [],
            "municipality": [self.municipality] if self.municipality else [],
            "org_kind": [self.org_kind] if self.org_kind else [],
            "area": list(self.area_slugs),
        }

    def field_texts(self) -> dict[str, str]:
        return {
            "title": self.title,
            "summary": self.summary,
            "body": self.body,
            "tags": self.tags,
            "org": self.org,
            "areas": self.areas,
        }

    def all_text(self) -> str:
        return " ".join(self.field_texts().values())


def _year(moment: datetime | None) -> int | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TIME).year


def _timestamp(moment: datetime | None) -> float:
    if moment is None:
        return 0.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def build(post: Post, copies: int = 0) -> Document:
    n = analysis.normalize
    body_parts = [post.body, post.prerequisites, post.do_differently, post.tried, post.help_wanted]
    body = n(" \n".join(_plain(p) for p in body_parts if p))[:MAX_BODY_CHARS]
    areas = post.focus_areas or []
    org = post.organisation
    return Document(
        post_id=post.id,
        title=n(post.title),
        summary=n(post.summary),
        body=body,
        tags=n(" ".join(post.tags or [])),
        org=n(org.name if org else ""),
        areas=n(" ".join(f"{a.name_sv} {a.name_en}" for a in areas)),
        kind=post.kind,
        status=post.status or "",
        featured=bool(post.featured),
        year=_year(post.published_at),
        municipality=n(org.municipality if org else ""),
        org_kind=org.kind if org else "",
        area_slugs=[a.slug for a in areas],
        org_slug=org.slug if org else "",
        published=_timestamp(post.published_at or post.created_at),
        copies=copies,
    )


def _copy_counts(session: Session, ids: Iterable[int] | None) -> dict[int, int]:
    stmt = (
        sa.select(Post.copied_from_id, sa.func.count())
        .where(Post.copied_from_id.is_not(None), public_filter())
        .group_by(Post.copied_from_id)
    )
    if ids is not None:
        stmt = stmt.where(Post.copied_from_id.in_(list(ids)))
    return {source: n for source, n in session.execute(stmt)}


def _post_query():
    return sa.select(Post).options(joinedload(Post.organisation), selectinload(Post.focus_areas))


def load(session: Session, ids: Iterable[int]) -> dict[int, Document]:
    """Documents for those of the given posts that are public (the rest must leave the index)."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    posts = session.scalars(_post_query().where(Post.id.in_(ids), public_filter())).unique().all()
    copies = _copy_counts(session, [p.id for p in posts])
    return {p.id: build(p, copies.get(p.id, 0)) for p in posts}


def public_ids(session: Session) -> list[int]:
    return list(session.scalars(sa.select(Post.id).where(public_filter()).order_by(Post.id)))


def iter_public(session: Session, batch: int = 500) -> Iterator[Document]:
    """Every public post as a Document, in batches (for rebuild and check)."""
    copies = _copy_counts(session, None)
    ids = public_ids(session)
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        posts = session.scalars(_post_query().where(Post.id.in_(chunk))).unique().all()
        for post in posts:
            yield build(post, copies.get(post.id, 0))
        session.expunge_all()
