"""What the search service asks of a backend (Whoosh or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .documents import Document


@dataclass(frozen=True)
class Group:
    """One search word and every indexed form that counts as a match for it."""

    word: str  # as typed, lower-cased
    stem: str  # matched in the weighted text fields
    folded: str  # matched in the folded field, below the exact form
    expansions: tuple[str, ...] = ()  # folded compounds/derivations that contain the word


@dataclass(frozen=True)
class Plan:
    groups: tuple[Group, ...] = ()
    min_words: int = 0  # how many of the groups a post must match (0: all of them)
    filters: dict = field(default_factory=dict)  # facet -> allowed values
    org: str = ""
    sort: str = "newest"
    page: int = 1
    per_page: int = 20
    facets: bool = True
    clamp_page: bool = True  # a page past the end shows the last page (the API answers it empty)
    count: bool = True  # False: the caller wants the first hits only; `total` may then stop at them


def most_first(counts: dict[str, int]) -> dict[str, int]:
    """Facet counts in the order every backend answers them: most posts first, then by value."""
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


@dataclass
class Raw:
    """A backend's answer: post ids for the page (best first), the total and the facet counts
    (each facet's values `most_first`; a backend may hand the same dicts to later answers)."""

    ids: list[int] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    total: int = 0
    complete: int = 0  # how many of them have every word
    page: int = 1
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


# Weighted text fields and their boosts (PostgreSQL maps them onto its four weights).
FIELD_BOOSTS = {"title": 4.0, "summary": 2.0, "tags": 2.0, "areas": 1.5, "org": 1.5, "body": 1.0}
FOLDED_BOOST = 0.5
EXPANSION_BOOST = 0.3


class Backend:
    name = "abstract"
    needs_rebuild = False  # the index is missing or unreadable: rebuild it from the database

    def open(self) -> bool:
        """At start-up: get the index ready for use and say whether it must be rebuilt."""
        return False

    def write(self, documents: list[Document], removals: Iterable[int]) -> None:
        raise NotImplementedError

    def rebuild(self, documents: Iterable[Document]) -> int:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def stored_hashes(self) -> dict[int, str]:
        raise NotImplementedError

    def execute(self, plan: Plan) -> Raw:
        raise NotImplementedError

    def count(self, plan: Plan) -> int:
        raise NotImplementedError

    def similar(self, terms: dict[str, float], exclude: int | None, limit: int, areas: tuple[str, ...] = ()) -> list[int]:
        """Public posts sharing the most telling of the terms (and, if `areas` are given, one of
        those focus areas, by slug), best first, `exclude` left out."""
        raise NotImplementedError

    # The vocabulary, for compounds, "Menade du …?" and suggestions.
    def with_prefix(self, folded: str, limit: int = 400) -> list[str]:
        raise NotImplementedError

    def with_suffix(self, folded: str, limit: int = 400) -> list[str]:
        raise NotImplementedError

    def known(self, folded_terms: Iterable[str]) -> set[str]:
        raise NotImplementedError

    def document_frequency(self, folded: str) -> int | None:
        return None

    def words_with_prefix(self, prefix: str, limit: int = 2000) -> list[tuple[str, int]]:
        """(word, document frequency or 0) for words as written, for spelling and suggestions."""
        raise NotImplementedError

    def optimize(self) -> None:
        pass

    def reset(self) -> None:
        """Forget per-process caches (tests call this after emptying the database)."""

    def close(self) -> None:
        pass
