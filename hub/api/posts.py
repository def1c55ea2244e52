"""Public posts as JSON: only what anyone may see (drafts, pending and hidden posts answer 404)."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import BadRequest

from .. import search
from ..models import POST_KINDS, Post
from ..challenges import service as challenges
from ..posts import service
from ..search import SearchQuery
from . import bp, iso, page_args

KIND_FIELDS = {
    "solution": (
        "start_year", "end_year", "reduction_tonnes", "reduction_period", "estimation_method",
        "estimation_source", "cost_band", "lead_time", "prerequisites", "contact_enabled",
    ),
    "lesson": ("lesson_type", "do_differently"),
    "challenge": ("tried", "help_wanted"),
    "offer": ("audience", "contact_enabled"),
}


def post_json(post: Post, copies: list[int] | None = None, answers: list | None = None) -> dict:
    """One public post. `copies` (ids of its public copies) may be given to save a query per post."""
    if copies is None:
        copies = service.copy_counts([post.id])[post.id]
    source = post.copied_from
    data = {
        "id": post.id,
        "url": url_for("posts.show", post_id=post.id, _external=True),
        "kind": post.kind,
        "status": post.status or None,
        "title": post.title,
        "summary": post.summary,
        "body_html": post.body_html,
        "tags": list(post.tags or []),
        "organisation": {"slug": post.organisation.slug, "name": post.organisation.name},
        "focus_areas": [area.slug for area in post.focus_areas],
        "commitments": [commitment.id for commitment in post.commitments],
        "copied_from": source.id if source is not None and source.is_public else None,
        "copies": copies,
        "copy_count": len(copies),
        "featured": bool(post.featured),
        "featured_reason": (post.featured_reason or None) if post.featured else None,
        "created_at": iso(post.created_at),
        "published_at": iso(post.published_at),
        "updated_at": iso(post.updated_at),
    }
    for name in KIND_FIELDS[post.kind]:
        value = getattr(post, name)
        data[name] = list(value) if isinstance(value, list) else (None if value == "" else value)
    if post.kind == "lesson":
        related = post.related_post
        data["related_post"] = related.id if related is not None and related.is_public else None
    if post.kind == "challenge":
        if answers is None:
            answers = challenges.answers_by_post([post.id])[post.id]
        data["answers"] = [challenges.answer_json(a) for a in answers]
    return data


def posts_json(posts: list[Post]) -> list[dict]:
    """Many posts with one query for all their copies."""
    copies = service.copy_counts([p.id for p in posts])
    answers = challenges.answers_by_post([p.id for p in posts if p.kind == "challenge"])
    return [post_json(p, copies[p.id], answers.get(p.id)) for p in posts]


def _filters() -> service.PostFilters:
    """The list's filters, strictly: an unknown kind, area or organisation is a 400, not an empty list."""
    kinds = request.args.getlist("kind")
    for kind in kinds:
        if kind not in POST_KINDS:
            raise BadRequest(_("%(name)s måste vara något av: %(values)s.", name="kind", values=", ".join(POST_KINDS)))
    areas = request.args.getlist("area")
    org = request.args.get("org", "")
    page, per_page = page_args()
    filters = service.PostFilters(kinds=list(dict.fromkeys(kinds)), areas=list(dict.fromkeys(areas))[:20],
                                  org=org[:80], page=page, per_page=per_page).resolve()
    unknown = [a for a in dict.fromkeys(areas) if a not in filters.areas]
    if unknown:
        raise BadRequest(_("Okänt fokusområde: %(slugs)s.", slugs=", ".join(unknown[:5])))
    if org and filters.organisation is None:
        raise BadRequest(_("Okänd organisation: %(slug)s.", slug=org[:80]))
    return filters


def list_query(filters: service.PostFilters):
    return service.newest_first(service.apply_filters(service.public_posts(), filters))


@bp.get("/posts", endpoint="posts")
def list_posts():
    """Public posts matching a search (q) and filters, with facet counts; same parameters as /posts/."""
    filters = _filters()
    query = search_query(filters)
    results = search.query(query, clamp_page=False, load_options=(selectinload(Post.commitments),))
    return {
        "items": posts_json(results.posts),
        "total": results.total,
        "page": query.page,
        "per_page": query.per_page,
        "facets": results.facets,
        "suggestion": results.suggestion,
        "license": LICENSE,
    }


LICENSE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
STRICT = ("status", "org_kind", "year", "sort", "municipality", "featured")


def search_query(filters: service.PostFilters) -> SearchQuery:
    """The search parameters, strictly: a value the search would ignore is a 400 here."""
    query = SearchQuery.from_args(request.args).with_(page=filters.page, per_page=filters.per_page)
    wrong = [name for name in query.ignored if name in STRICT]
    if wrong:
        raise BadRequest(_("Ogiltigt värde för %(name)s.", name=wrong[0]))
    return query


@bp.get("/posts/<int:post_id>", endpoint="post")
def show_post(post_id: int):
    return post_json(service.get_public_post(post_id))
