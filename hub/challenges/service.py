"""Challenges that find solutions: answers, accepting one, turning it into a solution, offers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden, NotFound

from .. import search
from ..extensions import db
from ..models import Answer, Post, User, is_public_state, utcnow
from ..search import Card, SearchQuery
from ..notifications import service as notifications
from ..text import render_markdown
from ..urls import parse_id

BODY_MAX = 10_000
OFFER_CANDIDATES = 100  # offers in the areas looked at (newest first) for ones fitting the challenge
CANDIDATES_PER_PAGE = 24  # asked of the search, and checked in the database, at a time

_OFFER_FIT = select(Post.id, Post.organisation_id, Post.audience, Post.state, Post.approval, Post.hidden).where(
    Post.id.in_(bindparam("ids", expanding=True))
)  # built once


class AnswerError(ValueError):
    """A refused answer, told to the user next to a field."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


def _public():
    """SQL condition for posts anyone may see."""
    return and_(Post.state == "published", Post.approval == "approved", Post.hidden.is_(False))


def public_challenge(post_id) -> Post:
    post_id = parse_id(post_id)
    post = db.session.get(Post, post_id) if post_id else None
    if post is None or post.kind != "challenge" or not post.is_public:
        raise NotFound()
    return post


def get_answer(answer_id) -> Answer:
    """A visible answer to a public challenge, or 404."""
    answer_id = parse_id(answer_id)
    answer = db.session.get(Answer, answer_id) if answer_id else None
    if answer is None or answer.hidden or answer.post.kind != "challenge" or not answer.post.is_public:
        raise NotFound()
    return answer


def _member_of(user: User | None, organisation_id: int) -> bool:
    return bool(user and user.is_authenticated and user.organisation_id == organisation_id)


def can_answer(user: User | None, challenge: Post) -> bool:
    return bool(user and user.is_authenticated) and user.organisation_id != challenge.organisation_id


def can_accept(user: User | None, challenge: Post) -> bool:
    return _member_of(user, challenge.organisation_id)


def visible_answers(challenge: Post, viewer: User | None = None) -> list[Answer]:
    """Answers shown under a challenge: the accepted one first, then oldest first.

    A hidden answer is shown only to its own organisation (with the moderator's reason).
    """
    query = (
        select(Answer)
        .where(Answer.post_id == challenge.id)
        .options(selectinload(Answer.organisation), selectinload(Answer.solution),
                 selectinload(Answer.resulting_post))
        .order_by(Answer.accepted.desc(), Answer.created_at, Answer.id)
    )
    if viewer is not None and viewer.is_authenticated:
        query = query.where(or_(Answer.hidden.is_(False), Answer.organisation_id == viewer.organisation_id))
    else:
        query = query.where(Answer.hidden.is_(False))
    return list(db.session.scalars(query))


def published_solution(solution_id) -> Post | None:
    solution_id = parse_id(solution_id)
    if solution_id is None:
        return None
    post = db.session.get(Post, solution_id)
    if post is None or post.kind != "solution" or not post.is_public:
        return None
    return post


def add_answer(challenge: Post, user: User, body: str, solution_id: int | str | None = None) -> Answer:
    """Answer another organisation's challenge; tell its organisation and its followers."""
    if not (user and user.is_authenticated):
        raise Forbidden()
    if challenge.kind != "challenge" or not challenge.is_public:
        raise NotFound()
    if user.organisation_id == challenge.organisation_id:
        raise Forbidden(_l("Ni kan inte svara på er egen organisations utmaning."))
    body = (body or "").strip()
    if not body:
        raise AnswerError("body", _l("Skriv ett svar."))
    if len(body) > BODY_MAX:
        raise AnswerError("body", _l("Svaret får vara högst %(max)s tecken.", max=BODY_MAX))
    solution = None
    if solution_id not in (None, ""):
        solution = published_solution(solution_id)
        if solution is None:
            raise AnswerError("solution_id", _l("Välj en publicerad åtgärd."))
    answer = Answer(
        post_id=challenge.id,
        organisation_id=user.organisation_id,
        author_id=user.id,
        body=body,
        body_html=render_markdown(body),
        solution_id=solution.id if solution else None,
    )
    db.session.add(answer)
    db.session.flush()
    # One statement: the challenge's organisation and everyone following the challenge.
    notifications.notify(
        [
            notifications.members(challenge.organisation_id),
            notifications.followers({"post": [challenge.id]}, exclude_organisation_id=user.organisation_id),
        ],
        "answer",
        post_id=challenge.id,
        actor_organisation_id=user.organisation_id,
        exclude_user_id=user.id,
    )
    db.session.commit()
    return answer


def accept(answer: Answer, user: User) -> Answer:
    """Mark the answer that solved the challenge: the challenge becomes solved ("lost")."""
    challenge = answer.post
    if not can_accept(user, challenge):
        raise Forbidden()
    if answer.hidden:
        raise NotFound()
    if not answer.accepted:
        # One accepted answer per challenge: accepting another moves the mark.
        for other in challenge.answers:
            if other.accepted and other.id != answer.id:
                other.accepted = False
                other.accepted_at = None
        answer.accepted = True
        answer.accepted_at = utcnow()
        challenge.status = "lost"
        db.session.flush()
        notifications.notify_organisation(
            answer.organisation_id, "accepted", post_id=challenge.id,
            actor_organisation_id=challenge.organisation_id,
        )
    elif challenge.status != "lost":
        challenge.status = "lost"
    db.session.commit()
    return answer


def unaccept(answer: Answer, user: User) -> Answer:
    """Undo accepting: the challenge is open again unless another answer is accepted."""
    challenge = answer.post
    if not can_accept(user, challenge):
        raise Forbidden()
    if answer.accepted:
        answer.accepted = False
        answer.accepted_at = None
        if not any(a.accepted for a in challenge.answers if a.id != answer.id):
            challenge.status = "oppen"
    db.session.commit()
    return answer


def can_make_solution(user: User | None, answer: Answer) -> bool:
    return answer.accepted and _member_of(user, answer.organisation_id)


def to_solution(answer: Answer, user: User) -> Post:
    """A draft solution in the answering organisation, pre-filled from the accepted answer.

    Linked both ways: the answer's resulting_post (shown under the answer) and the solution's
    related_post, the challenge (shown among the solution's facts). Asking twice returns the
    draft made the first time.
    """
    if not _member_of(user, answer.organisation_id):
        raise Forbidden()
    if not answer.accepted:
        raise Forbidden(_l("Bara ett accepterat svar kan bli en åtgärd."))
    if answer.resulting_post is not None:
        return answer.resulting_post
    challenge = answer.post
    body = answer.body
    if answer.solution is not None and answer.solution.is_public:
        body += "\n\n" + str(_l("Bygger på åtgärden [%(title)s](%(url)s).", title=_md_text(answer.solution.title),
                                  url=url_for("posts.show", post_id=answer.solution.id)))
    solution = Post(
        kind="solution",
        title=challenge.title[:200],
        summary=_summary(answer.body),
        body=body,
        body_html=render_markdown(body),
        tags=list(challenge.tags or []),
        organisation_id=answer.organisation_id,
        author_id=user.id,
        state="draft",
        status="genomford",
        related_post_id=challenge.id,
        copied_from_id=None,
    )
    solution.focus_areas = list(challenge.focus_areas)
    db.session.add(solution)
    db.session.flush()
    answer.resulting_post_id = solution.id
    db.session.commit()
    return solution


def _md_text(text: str) -> str:
    """Text safe inside a Markdown link label."""
    return "".join("\\" + ch if ch in "\\[]*_`<>" else ch for ch in text)


def _summary(text: str, limit: int = 300) -> str:
    """The first paragraph of a Markdown text as plain words, cut at a word boundary."""
    first = " ".join((text or "").strip().split("\n\n", 1)[0].split())
    first = first.lstrip("#>*- ").strip()
    if len(first) <= limit:
        return first
    cut = first[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _in_areas(kind: str, challenge: Post, candidates: int, featured_first: bool = False) -> Iterator[int]:
    """Ids of public posts of a kind sharing a focus area with the challenge, newest first (good
    examples before the rest if asked), as the search index has them: up to `candidates` of each
    order, asked for a page at a time as the caller reads on (the first few usually do).

    The search finds them from its facet sets; the same in SQL looked up every post in the areas
    (10–17 ms a challenge page at 10 000 posts, growing with the hub).
    """
    slugs = tuple(sorted(area.slug for area in challenge.focus_areas))
    if not slugs:
        return
    newest = SearchQuery(kinds=(kind,), areas=slugs, sort="newest", per_page=CANDIDATES_PER_PAGE)
    seen: set[int] = set()
    for query in (newest.with_(featured=True), newest) if featured_first else (newest,):
        for page in range(1, -(-candidates // CANDIDATES_PER_PAGE) + 1):
            hits = search.query(query.with_(page=page), load_posts=False, facets=False, clamp_page=False,
                                count=False).hits
            for hit in hits[: candidates - (page - 1) * CANDIDATES_PER_PAGE]:
                if hit.post_id not in seen:
                    seen.add(hit.post_id)
                    yield hit.post_id
            if len(hits) < CANDIDATES_PER_PAGE:
                break


def solution_choices(user: User | None, challenge: Post, limit: int = 50) -> list[tuple[str, list[Post]]]:
    """Solutions an answer may link to: the answerer's own first, then those like the challenge."""
    if not (user and user.is_authenticated):
        return []
    own = list(
        db.session.scalars(
            select(Post)
            .where(_public(), Post.kind == "solution", Post.organisation_id == user.organisation_id)
            .order_by(Post.title)
            .limit(limit)
        )
    )
    # Others' solutions in the challenge's areas, newest first. Public is decided on the rows (by
    # primary key only, as in posts.service.copy_counts), the user's own are left out.
    ids = list(_in_areas("solution", challenge, limit + len(own)))
    found = db.session.scalars(select(Post).where(Post.id.in_(ids)).options(selectinload(Post.organisation))) if ids else []
    by_id = {p.id: p for p in found if p.is_public and p.organisation_id != user.organisation_id}
    related = [by_id[i] for i in ids if i in by_id][:limit]
    groups = []
    if own:
        groups.append((str(_l("Er organisations åtgärder")), own))
    if related:
        groups.append((str(_l("Åtgärder inom samma fokusområden")), related))
    return groups


def matching_offers(challenge: Post, limit: int = 6) -> list[Card]:
    """Published support offers in the challenge's focus areas for its kind of organisation, good
    examples first, then the newest."""
    candidates = _in_areas("offer", challenge, OFFER_CANDIDATES, featured_first=True)
    # The audience is a JSON list, filtered here rather than in SQL so SQLite and PostgreSQL agree;
    # whether the offer is still public is the database's word, not the index's. Candidates are
    # read a few at a time: the first few usually fit.
    kind = challenge.organisation.kind
    chosen: list[int] = []
    while batch := list(islice(candidates, CANDIDATES_PER_PAGE)):
        rows = db.session.execute(_OFFER_FIT, {"ids": batch})
        fitting = {
            row.id for row in rows
            if is_public_state(row.state, row.approval, row.hidden)
            and row.organisation_id != challenge.organisation_id
            and (not row.audience or kind in row.audience)
        }
        chosen += [post_id for post_id in batch if post_id in fitting]
        if len(chosen) >= limit:
            break
    # The offers panel shows title, organisation and summary: cards have them.
    return search.cards(chosen[:limit])


@dataclass
class Thread:
    """What the answers section of a challenge page shows to one viewer."""

    challenge: Post
    answers: list[Answer]
    can_answer: bool
    can_accept: bool
    offers: list[Card] = field(default_factory=list)
    solution_groups: list[tuple[str, list[Post]]] = field(default_factory=list)
    viewer_organisation_id: int | None = None

    @property
    def own_organisation(self) -> bool:
        return self.viewer_organisation_id == self.challenge.organisation_id

    def answered_by_viewer(self, answer: Answer) -> bool:
        return self.viewer_organisation_id == answer.organisation_id


def thread_for(challenge: Post, viewer: User | None) -> Thread:
    signed_in = bool(viewer and viewer.is_authenticated)
    allowed_to_answer = can_answer(viewer, challenge)
    return Thread(
        challenge=challenge,
        answers=visible_answers(challenge, viewer),
        can_answer=allowed_to_answer,
        can_accept=can_accept(viewer, challenge),
        offers=matching_offers(challenge),
        solution_groups=solution_choices(viewer, challenge) if allowed_to_answer else [],
        viewer_organisation_id=viewer.organisation_id if signed_in else None,
    )



SIMILAR_KINDS = ("solution", "lesson", "challenge")


def similar_to_text(*parts: str, limit: int = 5) -> list[Post]:
    """Published solutions, lessons and challenges most like what the user is typing."""
    from .. import search

    text = " ".join(p.strip() for p in parts if p and p.strip())[:5000]
    if len(text) < 3:
        return []
    found = search.similar(text, limit=limit * 2)
    return [p for p in found if p.kind in SIMILAR_KINDS and p.is_public][:limit]


# --- JSON -----------------------------------------------------------------------------------


def answers_by_post(post_ids) -> dict[int, list[Answer]]:
    """Visible answers of many challenges in one query, the accepted one first."""
    ids = list(post_ids)
    grouped: dict[int, list[Answer]] = {i: [] for i in ids}
    if not ids:
        return grouped
    rows = db.session.scalars(
        select(Answer)
        .where(Answer.post_id.in_(ids), Answer.hidden.is_(False))
        .options(selectinload(Answer.organisation), selectinload(Answer.solution))
        .order_by(Answer.post_id, Answer.accepted.desc(), Answer.created_at, Answer.id)
    )
    for row in rows:
        grouped[row.post_id].append(row)
    return grouped


def answer_json(answer: Answer) -> dict:
    solution = answer.solution
    return {
        "id": answer.id,
        "organisation": {"slug": answer.organisation.slug, "name": answer.organisation.name},
        "body_html": answer.body_html,
        "solution_id": solution.id if solution is not None and solution.is_public else None,
        "accepted": bool(answer.accepted),
        "created_at": answer.created_at.isoformat() if answer.created_at else None,
    }
