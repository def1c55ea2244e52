"""Every rule about posts: who may write them, what they may contain, what the public sees, copying.

Routes, the JSON API, the seed loader and tests all go through these functions. They raise
werkzeug's Forbidden/NotFound or one of the PostError subclasses below, commit their own writes,
and never touch the request, flash or templates.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, bindparam, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Forbidden, NotFound

from ..areas.service import areas_of
from ..extensions import db
from ..models import (
    CHALLENGE_STATUSES,
    COST_BANDS,
    ESTIMATION_METHODS,
    LEAD_TIMES,
    LESSON_TYPES,
    ORG_KINDS,
    POST_KINDS,
    REDUCTION_PERIODS,
    SOLUTION_STATUSES,
    Commitment,
    Contract,
    ContractParty,
    FocusArea,
    Organisation,
    Post,
    SubmissionKey,
    User,
    is_public_state,
    post_focus_areas,
    utcnow,
)
from ..notifications.service import notify_moderators, notify_organisation
from ..text import clean_line, nfc, render_markdown
from ..urls import parse_id

# --- limits and field sets --------------------------------------------------------------------

TITLE_MAX = 200
SUMMARY_MAX = 500
BODY_MAX = 20_000
TEXT_MAX = 5_000
SOURCE_MAX = 1_000
TAG_MAX = 40
TAGS_MAX = 10
AREAS_MIN, AREAS_MAX = 1, 3
YEAR_MIN, YEAR_MAX = 1990, 2100
TONNES_MAX = 1e9
PER_PAGE = 20
PER_PAGE_MAX = 100
PAGE_MAX = 10_000
LINEAGE_DEPTH = 12

COPYABLE_KINDS = ("solution", "lesson")
COMMON_FIELDS = ("title", "summary", "body", "tags", "focus_areas", "commitments")
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "solution": (
        "status", "start_year", "end_year", "reduction_tonnes", "reduction_period", "estimation_method",
        "estimation_source", "cost_band", "lead_time", "prerequisites", "contact_enabled",
    ),
    "lesson": ("lesson_type", "do_differently", "related_post"),
    "challenge": ("status", "tried", "help_wanted"),
    "offer": ("audience", "contact_enabled"),
}
DEFAULT_STATUS = {"solution": "planerad", "challenge": "oppen"}
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


# --- errors -------------------------------------------------------------------------------------


class PostError(Exception):
    """A rule was broken; `message` is shown to the user as it is."""

    def __init__(self, message: Any):
        # Kept lazy: it is translated where it is shown, in the viewer's language.
        super().__init__(message)
        self.message = message


class InvalidPost(PostError):
    """The data does not make a valid post; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, list[Any]]):
        super().__init__(_l("Kontrollera de markerade fälten."))
        self.errors = errors


class StaleEdit(PostError):
    """Someone saved the post after this editor opened it; nothing was written."""

    def __init__(self, current: Post | None = None):
        super().__init__(
            _l(
                "Någon annan har sparat inlägget medan du redigerade det. Dina ändringar är inte sparade "
                "– din text finns kvar i formuläret. Jämför med den senast sparade versionen och spara igen."
            )
        )
        self.current = current


class CopyRefused(PostError):
    """This organisation may not copy this post."""


# --- who may do what ----------------------------------------------------------------------------


def public_clause():
    """The condition that makes a post public; every public listing uses it."""
    return and_(Post.state == "published", Post.approval == "approved", Post.hidden.is_(False))


def public_posts() -> Select:
    """A select of the posts anyone may see. Add your own filters and ordering."""
    return select(Post).where(public_clause())


def _signed_in(user: User | None) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and getattr(user, "active", False))


def is_member(user: User | None, organisation_id: int) -> bool:
    return _signed_in(user) and user.organisation_id == organisation_id


def can_edit(post: Post, user: User | None) -> bool:
    """Only members of the post's own organisation write, publish, unpublish and archive it."""
    return is_member(user, post.organisation_id)


def can_view(post: Post, user: User | None) -> bool:
    """Public posts for everyone; the rest for the organisation's members and, once submitted, moderators."""
    if post.is_public or can_edit(post, user):
        return True
    return _signed_in(user) and user.is_moderator and (post.state != "draft" or post.hidden)


def can_copy(post: Post, user: User | None) -> bool:
    return (
        _signed_in(user)
        and post.is_public
        and post.kind in COPYABLE_KINDS
        and user.organisation_id != post.organisation_id
    )


def require_member(post: Post, user: User | None) -> None:
    if not can_edit(post, user):
        raise Forbidden()


def _require_signed_in(user: User | None) -> None:
    if not _signed_in(user):
        raise Forbidden()


# --- reading --------------------------------------------------------------------------------------


CARD_OPTIONS = (joinedload(Post.organisation), selectinload(Post.focus_areas))


def get_post(post_id: int) -> Post:
    # Every page of a post shows its organisation: loaded with it. Its focus areas come from the
    # request's list of every area, which the page's cards read anyway (a third of the time of
    # the relationship's own load, itself cheaper than a selectinload for one post).
    post = db.session.get(Post, post_id, options=(joinedload(Post.organisation),))
    if post is None:
        raise NotFound()
    if "focus_areas" not in post.__dict__:  # not loaded (or changed) in this session already
        set_committed_value(post, "focus_areas", areas_of([post.id])[post.id])
    return post


def get_visible_post(post_id: int, user: User | None) -> Post:
    """The post if this user may see it; 404 otherwise (a draft's existence is not revealed)."""
    post = get_post(post_id)
    if not can_view(post, user):
        raise NotFound()
    return post


def get_public_post(post_id: int) -> Post:
    post = db.session.scalar(public_posts().where(Post.id == post_id))
    if post is None:
        raise NotFound()
    return post


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(query: Select, page: int, per_page: int) -> Page:
    """One page of a select; a page beyond the end shows the last one."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(items=items, total=total, page=page, per_page=per_page)


def _positive_int(value: Any, default: int, maximum: int) -> int:
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 9:
        return default
    return min(max(1, int(text)), maximum)


@dataclass
class PostFilters:
    """The list's filters, parsed from query parameters once; unknown values are dropped."""

    kinds: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    org: str = ""
    page: int = 1
    per_page: int = PER_PAGE
    # Filled by resolve(): the objects behind the slugs, for headings and chips.
    area_objects: list[FocusArea] = field(default_factory=list)
    organisation: Organisation | None = None

    @classmethod
    def from_args(cls, args: Mapping, *, per_page: bool = False) -> PostFilters:
        getlist = getattr(args, "getlist", lambda key: [args[key]] if key in args else [])
        kinds = [k for k in dict.fromkeys(getlist("kind")) if k in POST_KINDS]
        areas = [a for a in dict.fromkeys(getlist("area")) if isinstance(a, str)][:20]
        org = args.get("org", "")
        org = org if isinstance(org, str) else ""
        filters = cls(
            kinds=kinds,
            areas=areas,
            org=org,
            page=_positive_int(args.get("page"), 1, PAGE_MAX),
            per_page=_positive_int(args.get("per_page"), PER_PAGE, PER_PAGE_MAX) if per_page else PER_PAGE,
        )
        return filters.resolve()

    def resolve(self) -> PostFilters:
        """The focus areas and organisation behind the slugs; what is no slug is dropped unread
        (PostgreSQL refuses text with a NUL byte, so it must not reach a query)."""
        self.areas = [slug for slug in self.areas if _SLUG.fullmatch(slug)]
        if self.org and not _SLUG.fullmatch(self.org):
            self.org = ""
        if self.areas:
            found = list(db.session.scalars(select(FocusArea).where(FocusArea.slug.in_(self.areas))))
            by_slug = {a.slug: a for a in found}
            self.areas = [slug for slug in self.areas if slug in by_slug]
            self.area_objects = [by_slug[slug] for slug in self.areas]
        if self.org:
            self.organisation = db.session.scalar(select(Organisation).where(Organisation.slug == self.org))
            if self.organisation is None:
                self.org = ""
        return self

    @property
    def active(self) -> bool:
        return bool(self.kinds or self.areas or self.org)

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query parameters for this filter set (for links such as the next page)."""
        params: dict[str, Any] = {"kind": self.kinds, "area": self.areas, "org": self.org or None, "page": self.page}
        params.update(changes)
        if params.get("page") == 1:
            params.pop("page")
        return {key: value for key, value in params.items() if value not in (None, "", [])}


def apply_filters(query: Select, filters: PostFilters) -> Select:
    if filters.kinds:
        query = query.where(Post.kind.in_(filters.kinds))
    if filters.areas:
        in_area = (
            select(post_focus_areas.c.post_id)
            .join(FocusArea, FocusArea.id == post_focus_areas.c.focus_area_id)
            .where(FocusArea.slug.in_(filters.areas))
        )
        query = query.where(Post.id.in_(in_area))
    if filters.organisation is not None:
        query = query.where(Post.organisation_id == filters.organisation.id)
    return query


def newest_first(query: Select) -> Select:
    return query.order_by(Post.published_at.desc(), Post.id.desc())


def list_public(filters: PostFilters) -> Page:
    """One page of public posts matching the filters, newest first."""
    query = newest_first(apply_filters(public_posts(), filters)).options(*CARD_OPTIONS)
    return paginate(query, filters.page, filters.per_page)


def organisation_posts(organisation_id: int, viewer: User | None = None, limit: int = 50) -> list[Post]:
    """What an organisation has shared; its own members also see drafts, pending and hidden posts."""
    if is_member(viewer, organisation_id):
        query = select(Post).where(Post.organisation_id == organisation_id).order_by(
            Post.updated_at.desc(), Post.id.desc()
        )
    else:
        query = newest_first(public_posts().where(Post.organisation_id == organisation_id))
    return list(db.session.scalars(query.options(*CARD_OPTIONS).limit(limit)).unique())


def own_posts(user: User) -> list[Post]:
    """Every post of the user's organisation, whatever its state (for the members' overview)."""
    _require_signed_in(user)
    query = (
        select(Post)
        .where(Post.organisation_id == user.organisation_id)
        .order_by(Post.updated_at.desc(), Post.id.desc())
        .options(*CARD_OPTIONS)
    )
    return list(db.session.scalars(query).unique())


def posts_for_commitments(commitment_ids: Iterable[int]) -> dict[int, list[Post]]:
    """Public posts linked to each commitment: the commitment's evidence."""
    ids = list(commitment_ids)
    if not ids:
        return {}
    query = (
        newest_first(public_posts())
        .join(Post.commitments)
        .where(Commitment.id.in_(ids))
        .add_columns(Commitment.id)
        .options(joinedload(Post.organisation))
    )
    result: dict[int, list[Post]] = {}
    for post, commitment_id in db.session.execute(query):
        result.setdefault(commitment_id, []).append(post)
    return result


# The statements a post page runs are built once: building one and computing its cache key took
# as long as SQLite took to run it (about 0.1 ms each, ten a page).
_ORGANISATION_CONTRACTS = (
    select(Contract)
    .join(ContractParty, ContractParty.contract_id == Contract.id)
    .where(ContractParty.organisation_id == bindparam("organisation_id"))
    .order_by(Contract.signed_on.desc(), Contract.id.desc())
)


def organisation_contracts(organisation_id: int) -> list[Contract]:
    return list(db.session.scalars(_ORGANISATION_CONTRACTS, {"organisation_id": organisation_id}))


def own_commitments(organisation_id: int) -> list[Commitment]:
    """The organisation's own numbered commitments, from every contract it is party to."""
    query = (
        select(Commitment)
        .join(ContractParty, ContractParty.id == Commitment.party_id)
        .join(Contract, Contract.id == ContractParty.contract_id)
        .where(ContractParty.organisation_id == organisation_id)
        .order_by(Contract.signed_on.desc(), Contract.id, Commitment.position, Commitment.id)
        .options(joinedload(Commitment.party).joinedload(ContractParty.contract))
    )
    return list(db.session.scalars(query).unique())


def relatable_posts(organisation_id: int, exclude_id: int | None = None) -> list[Post]:
    """The organisation's own solutions and challenges a lesson may come from."""
    query = select(Post).where(
        Post.organisation_id == organisation_id,
        Post.kind.in_(("solution", "challenge")),
        Post.state != "archived",
    )
    if exclude_id is not None:
        query = query.where(Post.id != exclude_id)
    return list(db.session.scalars(query.order_by(Post.title)))


_LESSONS_FROM = newest_first(
    public_posts().where(Post.related_post_id == bindparam("post_id"), Post.kind == "lesson")
).options(joinedload(Post.organisation))


def lessons_from(post: Post) -> list[Post]:
    """Public lessons that name this post as where they come from."""
    return list(db.session.scalars(_LESSONS_FROM, {"post_id": post.id}))


# --- copies and provenance ----------------------------------------------------------------------


def published_copies(post: Post) -> list[Post]:
    """Public direct copies of the post, oldest first (the order they were made)."""
    query = public_posts().where(Post.copied_from_id == post.id).order_by(Post.published_at, Post.id)
    return list(db.session.scalars(query.options(joinedload(Post.organisation))))


def copy_counts(post_ids: Iterable[int]) -> dict[int, list[int]]:
    """For each post id, the ids of its public direct copies (one query for a whole list)."""
    ids = list(post_ids)
    if not ids:
        return {}
    # Public is decided here, not in SQL: with `IN` and the public columns, SQLite's planner (on a
    # database never analysed) walks the public-posts index instead of the copies' own.
    query = (
        select(Post.copied_from_id, Post.id, Post.state, Post.approval, Post.hidden)
        .where(Post.copied_from_id.in_(ids))
        .order_by(Post.id)
    )
    result: dict[int, list[int]] = {post_id: [] for post_id in ids}
    for source_id, copy_id, state, approval, hidden in db.session.execute(query):
        if is_public_state(state, approval, hidden):
            result[source_id].append(copy_id)
    return result


def existing_copy(source: Post, organisation_id: int) -> Post | None:
    """The copy this organisation already made of the source, in whatever state it is."""
    return db.session.scalar(
        select(Post)
        .where(Post.copied_from_id == source.id, Post.organisation_id == organisation_id)
        .order_by(Post.id)
        .limit(1)
    )


def visible_source(post: Post, user: User | None) -> Post | None:
    """The post this one was copied from, if the viewer may see it."""
    source = post.copied_from
    if source is not None and can_view(source, user):
        return source
    return None


@dataclass
class LineageNode:
    post: Post
    children: list[LineageNode] = field(default_factory=list)

    @property
    def size(self) -> int:
        return 1 + sum(child.size for child in self.children)


def copies_and_lineage(post: Post) -> tuple[list[Post], LineageNode | None]:
    """A post page's copies: its public direct copies and, for a public post, the public copy tree
    it belongs to. The tree already holds the direct copies (read again, they were a tenth of a
    post page); only a post on the tree's last level has its copies read on their own."""
    if not post.is_public:
        return published_copies(post), None
    tree = lineage(post)
    level = [tree]
    for _ in range(LINEAGE_DEPTH):
        node = next((n for n in level if n.post.id == post.id), None)
        if node is not None:
            return [child.post for child in node.children], tree
        level = [child for n in level for child in n.children]
    return published_copies(post), tree


_COPIES_OF = (  # public checked on the rows, as in copy_counts
    select(Post)
    .where(Post.copied_from_id.in_(bindparam("ids", expanding=True)))
    .order_by(Post.published_at, Post.id)
    .options(joinedload(Post.organisation))
)


def lineage(post: Post) -> LineageNode:
    """The public copy tree the post belongs to, from its oldest public ancestor down."""
    root, seen = post, {post.id}
    for _ in range(LINEAGE_DEPTH):
        parent = root.copied_from
        if parent is None or not parent.is_public or parent.id in seen:
            break
        root = parent
        seen.add(root.id)
    top = LineageNode(root)
    seen = {root.id}  # guards against a cycle of copies, however it came about
    level = [top]
    for _ in range(LINEAGE_DEPTH):
        by_id = {node.post.id: node for node in level}
        found = db.session.scalars(_COPIES_OF, {"ids": list(by_id)})
        children = [c for c in found if c.is_public and c.id not in seen]
        if not children:
            break
        level = []
        for child in children:
            seen.add(child.id)
            node = LineageNode(child)
            by_id[child.copied_from_id].children.append(node)
            level.append(node)
    return top


def copy_post(source: Post, user: User) -> tuple[Post, bool]:
    """Copy a public solution or lesson into the user's organisation as a draft.

    Returns (copy, created). Copying the same source again returns the earlier copy.
    """
    _require_signed_in(user)
    if not source.is_public or source.kind not in COPYABLE_KINDS:
        raise CopyRefused(_l("Bara publicerade åtgärder och lärdomar kan kopieras."))
    if source.organisation_id == user.organisation_id:
        raise CopyRefused(
            _l("Inlägget kommer från er egen organisation och kan inte kopieras till den. Redigera det i stället.")
        )
    # Lock the source row so two quick clicks cannot both make a copy (PostgreSQL; SQLite's
    # write transactions are already serialised by BEGIN IMMEDIATE).
    db.session.execute(select(Post.id).where(Post.id == source.id).with_for_update())
    earlier = existing_copy(source, user.organisation_id)
    if earlier is not None:
        return earlier, False
    copy = Post(
        kind=source.kind,
        organisation_id=user.organisation_id,
        author_id=user.id,
        state="draft",
        approval="approved",
        copied_from_id=source.id,
        title=source.title,
        summary=source.summary,
        body=source.body,
        body_html=render_markdown(source.body),
        tags=list(source.tags or []),
        # What the source did is the plan for the copier: it starts as planned, on the copier's dates.
        status=DEFAULT_STATUS.get(source.kind, source.status),
        reduction_tonnes=source.reduction_tonnes,
        reduction_period=source.reduction_period,
        estimation_method=source.estimation_method,
        estimation_source=source.estimation_source,
        cost_band=source.cost_band,
        lead_time=source.lead_time,
        prerequisites=source.prerequisites,
        contact_enabled=source.contact_enabled,
        lesson_type=source.lesson_type,
        do_differently=source.do_differently,
        tried=source.tried,
        help_wanted=source.help_wanted,
        audience=list(source.audience or []),
    )
    copy.focus_areas = list(source.focus_areas)
    db.session.add(copy)
    db.session.flush()
    notify_organisation(
        source.organisation_id,
        "copied",
        post_id=source.id,
        actor_organisation_id=user.organisation_id,
        text=clean_line(source.title)[:300],
    )
    db.session.commit()
    return copy, True


# --- writing ------------------------------------------------------------------------------------


def new_submission_key() -> str:
    """A one-time key for a new-post form."""
    return secrets.token_urlsafe(24)


def _post_for_key(key: str, user: User) -> Post | None:
    used = db.session.get(SubmissionKey, key)
    if used is None:
        return None
    if used.user_id != user.id or used.post_id is None:
        raise PostError(_l("Formuläret har redan använts. Ladda om sidan och försök igen."))
    return db.session.get(Post, used.post_id)


class _Errors:
    def __init__(self) -> None:
        self.errors: dict[str, list[Any]] = {}

    def add(self, name: str, message: Any) -> None:
        self.errors.setdefault(name, []).append(message)


def _line(data: Mapping, name: str, limit: int, errors: _Errors, required: Any = None) -> str:
    value = clean_line(str(data.get(name) or ""))
    if required is not None and not value:
        errors.add(name, required)
    if len(value) > limit:
        errors.add(name, _l("Högst %(n)s tecken.", n=limit))
    return value


def _text(data: Mapping, name: str, limit: int, errors: _Errors) -> str:
    value = nfc(str(data.get(name) or "")).replace("\r\n", "\n").strip()
    if len(value) > limit:
        errors.add(name, _l("Högst %(n)s tecken.", n=limit))
    return value


def _choice(data: Mapping, name: str, allowed: Iterable[str], errors: _Errors, required: Any = None) -> str:
    value = str(data.get(name) or "").strip()
    if not value:
        if required is not None:
            errors.add(name, required)
        return ""
    if value not in allowed:
        errors.add(name, _l("Välj ett av alternativen."))
        return ""
    return value


def _int(data: Mapping, name: str, errors: _Errors, low: int, high: int) -> int | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors.add(name, _l("Ange ett heltal."))
        return None
    if not low <= number <= high:
        errors.add(name, _l("Ange ett år mellan %(low)s och %(high)s.", low=low, high=high))
        return None
    return number


def _float(data: Mapping, name: str, errors: _Errors) -> float | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    try:
        number = float(str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except ValueError:
        errors.add(name, _l("Ange ett tal, till exempel 12,5."))
        return None
    if not math.isfinite(number) or number < 0 or number > TONNES_MAX:
        errors.add(name, _l("Ange ett tal som är noll eller större."))
        return None
    return number


def _ids(data: Mapping, name: str, errors: _Errors) -> list[int]:
    raw = data.get(name) or []
    if isinstance(raw, (str, int)):
        raw = [raw]
    ids: list[int] = []
    for item in raw:
        found = parse_id(item)
        if found is None:
            errors.add(name, _l("Välj bland alternativen."))
            return []
        ids.append(found)
    return list(dict.fromkeys(ids))


def parse_tags(raw: Any) -> list[str]:
    """Tags from a comma-separated string or a list: trimmed, no '#', no duplicates (ignoring case)."""
    items = re.split(r"[,;\n]", raw) if isinstance(raw, str) else list(raw or [])
    tags: list[str] = []
    seen: set[str] = set()
    for item in items:
        tag = clean_line(str(item)).lstrip("#").strip()
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def clean_post_data(kind: str, data: Mapping, organisation_id: int, post: Post | None = None) -> dict[str, Any]:
    """Validate and normalise a post's fields; raise InvalidPost with every problem at once."""
    errors = _Errors()
    values: dict[str, Any] = {
        "title": _line(data, "title", TITLE_MAX, errors, _l("Skriv en rubrik.")),
        "summary": _line(data, "summary", SUMMARY_MAX, errors, _l("Skriv en kort sammanfattning.")),
        "body": _text(data, "body", BODY_MAX, errors),
    }

    tags = parse_tags(data.get("tags"))
    if len(tags) > TAGS_MAX:
        errors.add("tags", _l("Högst %(n)s taggar.", n=TAGS_MAX))
    if any(len(tag) > TAG_MAX for tag in tags):
        errors.add("tags", _l("En tagg får vara högst %(n)s tecken.", n=TAG_MAX))
    values["tags"] = tags

    area_ids = _ids(data, "focus_areas", errors)
    areas = list(db.session.scalars(select(FocusArea).where(FocusArea.id.in_(area_ids)))) if area_ids else []
    if len(areas) != len(area_ids):
        errors.add("focus_areas", _l("Välj bland fokusområdena i listan."))
    elif not AREAS_MIN <= len(areas) <= AREAS_MAX:
        errors.add("focus_areas", _l("Välj ett till tre fokusområden."))
    values["focus_areas"] = sorted(areas, key=lambda a: area_ids.index(a.id))

    commitment_ids = _ids(data, "commitments", errors)
    commitments: list[Commitment] = []
    if commitment_ids:
        commitments = list(
            db.session.scalars(
                select(Commitment)
                .join(ContractParty, ContractParty.id == Commitment.party_id)
                .where(Commitment.id.in_(commitment_ids), ContractParty.organisation_id == organisation_id)
            )
        )
        if len(commitments) != len(commitment_ids):
            errors.add("commitments", _l("Välj bara bland er egen organisations åtaganden."))
    values["commitments"] = commitments

    fields = KIND_FIELDS[kind]
    if "status" in fields:
        allowed = SOLUTION_STATUSES if kind == "solution" else CHALLENGE_STATUSES
        values["status"] = _choice(data, "status", allowed, errors) or DEFAULT_STATUS[kind]
    if kind == "solution":
        values["start_year"] = _int(data, "start_year", errors, YEAR_MIN, YEAR_MAX)
        values["end_year"] = _int(data, "end_year", errors, YEAR_MIN, YEAR_MAX)
        if values["start_year"] and values["end_year"] and values["end_year"] < values["start_year"]:
            errors.add("end_year", _l("Slutåret kan inte vara före startåret."))
        values["reduction_tonnes"] = _float(data, "reduction_tonnes", errors)
        values["reduction_period"] = _choice(data, "reduction_period", REDUCTION_PERIODS, errors)
        if values["reduction_tonnes"] is not None and not values["reduction_period"]:
            errors.add("reduction_period", _l("Ange om minskningen gäller per år eller en gång."))
        values["estimation_method"] = _choice(data, "estimation_method", ESTIMATION_METHODS, errors)
        values["estimation_source"] = _text(data, "estimation_source", SOURCE_MAX, errors)
        values["cost_band"] = _choice(data, "cost_band", COST_BANDS, errors)
        values["lead_time"] = _choice(data, "lead_time", LEAD_TIMES, errors)
        values["prerequisites"] = _text(data, "prerequisites", TEXT_MAX, errors)
    if kind == "lesson":
        values["lesson_type"] = _choice(
            data, "lesson_type", LESSON_TYPES, errors, _l("Välj vilken sorts lärdom det är.")
        )
        values["do_differently"] = _text(data, "do_differently", TEXT_MAX, errors)
        related = data.get("related_post")
        values["related_post_id"] = None
        if related not in (None, "", 0, "0"):
            text = str(related).strip()
            candidates = {p.id for p in relatable_posts(organisation_id, post.id if post else None)}
            if not text.isdigit() or int(text) not in candidates:
                errors.add("related_post", _l("Välj en av er organisations egna åtgärder eller utmaningar."))
            else:
                values["related_post_id"] = int(text)
    if kind == "challenge":
        values["tried"] = _text(data, "tried", TEXT_MAX, errors)
        values["help_wanted"] = _text(data, "help_wanted", TEXT_MAX, errors)
    if kind == "offer":
        raw = data.get("audience") or []
        audience = [raw] if isinstance(raw, str) else list(raw)
        if any(value not in ORG_KINDS for value in audience):
            errors.add("audience", _l("Välj bland alternativen."))
            audience = []
        elif not audience:
            errors.add("audience", _l("Välj vilka slags aktörer stödet riktar sig till."))
        values["audience"] = [k for k in ORG_KINDS if k in audience]
    if "contact_enabled" in fields:
        values["contact_enabled"] = bool(data.get("contact_enabled"))

    if errors.errors:
        raise InvalidPost(errors.errors)
    return values


def _apply(post: Post, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(post, name, value)
    # The stored HTML is what pages and the API show; it is made here, on every save, and only here.
    post.body_html = render_markdown(post.body)
    post.updated_at = utcnow()


def create_post(user: User, kind: str, data: Mapping, *, submission_key: str | None = None) -> tuple[Post, bool]:
    """Save a new draft in the user's organisation. Returns (post, created).

    A submission key that was already used returns the post saved with it instead of a second one.
    """
    _require_signed_in(user)
    if kind not in POST_KINDS:
        raise InvalidPost({"kind": [_l("Välj vad du vill dela.")]})
    key = submission_key if submission_key and _KEY.fullmatch(submission_key) else None
    if key:
        earlier = _post_for_key(key, user)
        if earlier is not None:
            return earlier, False
    values = clean_post_data(kind, data, user.organisation_id)
    post = Post(
        kind=kind,
        organisation_id=user.organisation_id,
        author_id=user.id,
        state="draft",
        approval="approved",
        status=DEFAULT_STATUS.get(kind, ""),
    )
    _apply(post, values)
    db.session.add(post)
    db.session.flush()
    if key:
        db.session.add(SubmissionKey(key=key, user_id=user.id, post_id=post.id))
    try:
        db.session.commit()
    except IntegrityError:
        # The same form was submitted at the same moment and the other request won.
        db.session.rollback()
        earlier = _post_for_key(key, user) if key else None
        if earlier is None:
            raise
        return earlier, False
    return post, True


def import_post(organisation_id: int, kind: str, data: Mapping, *, author_id: int | None = None,
                published_at=None, copied_from_id: int | None = None) -> Post:
    """Add an already-approved post for trusted loaders (demo data, imports): the same validation and
    rendering as a user's save, but no premoderation and no notifications. The caller commits.

    With `published_at` the post is published then; without it, it is a draft.
    """
    values = clean_post_data(kind, data, organisation_id)
    post = Post(
        kind=kind,
        organisation_id=organisation_id,
        author_id=author_id,
        state="published" if published_at else "draft",
        approval="approved",
        copied_from_id=copied_from_id,
    )
    _apply(post, values)
    if published_at:
        post.published_at = post.updated_at = published_at
        post.created_at = published_at
    db.session.add(post)
    return post


def update_post(post: Post, user: User, data: Mapping, *, version: int | None) -> Post:
    """Save an edit, refusing it if the post changed since the editor loaded `version`."""
    require_member(post, user)
    if version is not None and version != post.version:
        raise StaleEdit(post)
    values = clean_post_data(post.kind, data, post.organisation_id, post=post)
    _commit_edit(post, lambda: _apply(post, values))
    return post


def _commit_edit(post: Post, change=None) -> None:
    """Make the change and commit; a row someone else saved meanwhile is a StaleEdit."""
    post_id = post.id
    try:
        if change is not None:
            # No flush half-way: the UPDATE (checked against the version) happens once, at commit.
            with db.session.no_autoflush:
                change()
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleEdit(db.session.get(Post, post_id)) from None


def approval_on_publish(post: Post) -> str:
    """HUB_PREMODERATION: off approves at once; all queues every publish; first (default) queues
    an organisation's first post until a moderator has approved one."""
    mode = current_app.config.get("HUB_PREMODERATION", "first")
    if mode == "off":
        return "approved"
    if mode == "all":
        return "pending"
    if post.approval == "approved" and post.published_at is not None:
        return "approved"
    approved_before = db.session.scalar(
        select(
            exists().where(
                Post.organisation_id == post.organisation_id,
                Post.id != post.id,
                Post.approval == "approved",
                Post.published_at.is_not(None),
            )
        )
    )
    return "approved" if approved_before else "pending"


def publish_post(post: Post, user: User) -> Post:
    """Publish (or republish) a post; it may wait for a moderator first (see approval_on_publish)."""
    require_member(post, user)
    if post.state == "published":
        return post
    approval = approval_on_publish(post)
    now = utcnow()
    post.state = "published"
    post.approval = approval
    post.published_at = post.published_at or now
    post.updated_at = now
    if approval == "pending":
        notify_moderators("moderation", post_id=post.id, text=clean_line(post.title)[:300])
    _commit_edit(post)
    return post


def unpublish_post(post: Post, user: User) -> Post:
    """Take a published post back to draft."""
    require_member(post, user)
    if post.state != "published":
        raise PostError(_l("Inlägget är inte publicerat."))
    post.state = "draft"
    post.updated_at = utcnow()
    _commit_edit(post)
    return post


def archive_post(post: Post, user: User) -> Post:
    """Archive a post: it leaves every public place but stays with the organisation."""
    require_member(post, user)
    if post.state == "archived":
        return post
    post.state = "archived"
    post.updated_at = utcnow()
    _commit_edit(post)
    return post
