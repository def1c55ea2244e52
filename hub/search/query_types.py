"""A search request parsed and validated once, and the results every backend returns."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from markupsafe import Markup

from ..models import CHALLENGE_STATUSES, ORG_KINDS, POST_KINDS, SOLUTION_STATUSES, is_solved_state
from . import analysis

SORTS = ("relevance", "newest", "copied")
STATUSES = SOLUTION_STATUSES + CHALLENGE_STATUSES
FACETS = ("kind", "area", "municipality", "org_kind", "status", "featured", "year")
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
MAX_VALUES = 20  # per repeatable parameter
MIN_YEAR, MAX_YEAR = 1990, 2100

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_TRUE = {"1", "true", "on", "yes", "ja"}


def _values(args, name: str) -> list[str]:
    getlist = getattr(args, "getlist", None)
    if getlist:
        raw = getlist(name)
    else:
        value = args.get(name)
        raw = list(value) if isinstance(value, (list, tuple)) else ([] if value is None else [value])
    found: list[str] = []
    for value in raw[: MAX_VALUES * 2]:
        value = analysis.normalize(str(value)).strip()
        if value and value not in found:
            found.append(value)
    return found[:MAX_VALUES]


def _int(value: str | None, default: int, low: int, high: int) -> tuple[int, bool]:
    """(value, valid): garbage and out-of-range numbers fall back to the default / the bound."""
    if value is None or value == "":
        return default, True
    try:
        number = int(str(value).strip())
    except ValueError:
        return default, False
    if number < low:
        return low, False
    if number > high:
        return high, False
    return number, True


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    kinds: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    org_kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    featured: bool = False
    years: tuple[int, ...] = ()
    org: str = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    # What parsing had to change: the query was cut, or parameters were ignored.
    truncated: bool = False
    ignored: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args, *, per_page: int | None = None, allow_per_page: bool = False) -> SearchQuery:
        """Parse request arguments (a MultiDict or a plain dict); never raises on user input."""
        ignored: list[str] = []

        raw_q = analysis.normalize(args.get("q", "") or "")
        raw_q = " ".join(raw_q.split())
        truncated = len(raw_q) > analysis.MAX_QUERY_CHARS
        q = raw_q[: analysis.MAX_QUERY_CHARS].strip()
        if analysis.query_words(q)[1]:
            truncated = True
            # Cut the text before the first word over the limit, so the box shows what was searched.
            seen: list[str] = []
            for word, start, _end in analysis.words(q):
                if not analysis.is_indexable(word) or word in seen:
                    continue
                if len(seen) >= analysis.MAX_QUERY_TERMS:
                    q = q[:start].strip()
                    break
                seen.append(word)

        def pick(name: str, allowed) -> tuple[str, ...]:
            values = _values(args, name)
            good = tuple(v for v in values if v in allowed)
            if len(good) != len(values):
                ignored.append(name)
            return good

        def slugs(name: str) -> tuple[str, ...]:
            values = _values(args, name)
            good = tuple(v for v in values if _SLUG.match(v))
            if len(good) != len(values):
                ignored.append(name)
            return good

        municipalities = tuple(v[:80] for v in _values(args, "municipality"))
        years: list[int] = []
        for value in _values(args, "year"):
            year, ok = _int(value, 0, MIN_YEAR, MAX_YEAR)
            if ok and year:
                years.append(year)
            else:
                ignored.append("year")
        featured_values = _values(args, "featured")
        featured = any(v.lower() in _TRUE for v in featured_values)
        org_values = slugs("org")

        sort = (args.get("sort") or "relevance").strip().lower()
        if sort not in SORTS:
            ignored.append("sort")
            sort = "relevance"
        page, ok = _int(args.get("page"), 1, 1, MAX_PAGE)
        if not ok:
            ignored.append("page")
        size = per_page or DEFAULT_PER_PAGE
        if allow_per_page and args.get("per_page"):
            size, ok = _int(args.get("per_page"), size, 1, MAX_PER_PAGE)
            if not ok:
                ignored.append("per_page")

        return cls(
            q=q,
            kinds=pick("kind", POST_KINDS),
            areas=slugs("area"),
            municipalities=municipalities,
            org_kinds=pick("org_kind", ORG_KINDS),
            statuses=pick("status", STATUSES),
            featured=featured,
            years=tuple(years),
            org=org_values[0] if org_values else "",
            sort=sort,
            page=page,
            per_page=size,
            truncated=truncated,
            ignored=tuple(dict.fromkeys(ignored)),
        )

    # --- what the backends need ---------------------------------------------------------------

    @property
    def words(self) -> list[str]:
        return analysis.query_words(self.q)[0]

    @property
    def has_text(self) -> bool:
        return bool(self.words)

    @property
    def effective_sort(self) -> str:
        """Relevance means nothing without words: browsing lists the newest first."""
        if self.sort == "relevance" and not self.has_text:
            return "newest"
        return self.sort

    def filters(self) -> dict[str, tuple]:
        """Active facet filters by facet name (values within a facet are alternatives)."""
        active: dict[str, tuple] = {}
        if self.kinds:
            active["kind"] = self.kinds
        if self.areas:
            active["area"] = self.areas
        if self.municipalities:
            active["municipality"] = self.municipalities
        if self.org_kinds:
            active["org_kind"] = self.org_kinds
        if self.statuses:
            active["status"] = self.statuses
        if self.featured:
            active["featured"] = ("1",)
        if self.years:
            active["year"] = tuple(str(y) for y in self.years)
        return active

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters()) or bool(self.org)

    def with_(self, **changes: Any) -> SearchQuery:
        return replace(self, **changes)

    # --- URLs ----------------------------------------------------------------------------------

    def to_params(self, **overrides: Any) -> dict[str, Any]:
        """Parameters for url_for: only what differs from the defaults, lists for repeatables."""
        values = {
            "q": self.q,
            "kind": list(self.kinds),
            "area": list(self.areas),
            "municipality": list(self.municipalities),
            "org_kind": list(self.org_kinds),
            "status": list(self.statuses),
            "featured": "1" if self.featured else "",
            "year": [str(y) for y in self.years],
            "org": self.org,
            "sort": "" if self.sort == "relevance" else self.sort,
            "page": self.page if self.page > 1 else "",
        }
        values.update(overrides)
        return {k: v for k, v in values.items() if v not in ("", None, [], ())}

    def toggled(self, facet: str, value: str) -> dict[str, Any]:
        """Parameters with one facet value switched on or off (and back to page 1)."""
        params = self.to_params(page="")
        if facet == "featured":
            params.pop("featured", None) if self.featured else params.update(featured="1")
            return params
        current = list(params.get(facet, []))
        if value in current:
            current.remove(value)
        else:
            current.append(value)
        if current:
            params[facet] = current
        else:
            params.pop(facet, None)
        return params

    def is_selected(self, facet: str, value: str) -> bool:
        return str(value) in self.filters().get(facet, ())


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetGroup:
    name: str  # the query parameter
    legend: Any
    options: list[FacetOption]


@dataclass
class FacetPanel:
    """What the filter form shows: facet groups by parameter name, and the organisation select."""

    groups: dict[str, FacetGroup]
    organisations: list[FacetOption]


@dataclass(frozen=True, slots=True)
class OrganisationName:
    name: str
    slug: str


@dataclass(slots=True)
class Card:
    """A public post as a list shows it, read without the ORM: the hits of a page, "Liknande".

    It has the attributes of a Post that the card templates read, so they take either. Building
    20 ORM posts (all 40 columns, with their organisation) cost twice as long as these.
    """

    id: int
    kind: str
    title: str
    summary: str
    featured: bool
    status: str
    published_at: datetime | None
    organisation: OrganisationName
    focus_areas: list = field(default_factory=list)
    is_public: bool = True  # cards are made of public posts only

    @property
    def is_solved(self) -> bool:
        return is_solved_state(self.kind, self.status)


@dataclass
class Hit:
    post_id: int
    score: float = 0.0
    post: Any = None  # the Post (or its Card), loaded for the page
    # Markup is immutable: one empty value serves every hit asked for ids only (a challenge's offers).
    title_html: Markup = Markup("")
    excerpt_html: Markup = Markup("")


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # "Menade du …?": a corrected query that finds more, and how many it finds.
    suggestion: str | None = None
    suggestion_total: int = 0
    # No post had every word, so these are posts with some of them.
    relaxed: bool = False
    # The query had text but no searchable word in it ("((", only stop words): everything is listed.
    no_words: bool = False
    # Every focus area, loaded once for the hits' tags and the filter form.
    areas: list = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def posts(self) -> list:
        return [hit.post for hit in self.hits if hit.post is not None]

    def __iter__(self):
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)
