"""The search service: turns a SearchQuery into a backend plan, and backend answers into results."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from .. import labels
from ..areas.service import all_areas, area_ids_of, areas_from, areas_of, known_slugs
from ..extensions import db
from ..models import FocusArea, Organisation, Post, is_public_state
from . import analysis, documents, highlight
from .backend import Backend, Group, Plan
from .query_types import (
    Card,
    FacetGroup,
    FacetOption,
    FacetPanel,
    Hit,
    OrganisationName,
    SearchQuery,
    SearchResults,
)

log = logging.getLogger("hub.search")

SUGGEST_BELOW = 3  # "Menade du …?" is considered when a query finds fewer posts than this
SIMILAR_TERMS = 12
MUNICIPALITIES_SHOWN = 15  # the filter lists the municipalities with most hits, and any chosen one
EXCERPT_BODY_CHARS = highlight.SCAN_CHARS * 2  # an excerpt is cut from the summary and this much of the body
ORGANISATIONS_SHOWN = 40  # the organisation select likewise (an organisation's page lists all of its posts)


@dataclass
class CheckReport:
    missing: list[int]
    stale: list[int]
    extra: list[int]
    repaired: bool

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.extra)


# The statements every list of cards runs are built once: building one and computing its cache
# key took as long as SQLite took to run it.
_CARDS = (
    sa.select(
        Post.id, Post.kind, Post.title, Post.summary, Post.featured, Post.status, Post.published_at,
        Post.state, Post.approval, Post.hidden, Organisation.name, Organisation.slug,
        sa.func.substr(Post.body, 1, EXCERPT_BODY_CHARS), area_ids_of(Post.id),
    )
    .join(Organisation, Organisation.id == Post.organisation_id)
    .where(Post.id.in_(sa.bindparam("ids", expanding=True)))
)
_ORGANISATION_NAMES = sa.select(Organisation.slug, Organisation.name).where(
    Organisation.slug.in_(sa.bindparam("slugs", expanding=True))
)


class SearchService:
    def __init__(self, backend: Backend):
        self.backend = backend
        self._ready_lock = threading.Lock()

    def ensure_ready(self, quiet: bool = False) -> None:
        """Rebuild a missing or unreadable index from the database once the database answers."""
        if not self.backend.needs_rebuild:
            return
        with self._ready_lock:
            if not self.backend.needs_rebuild:
                return
            try:
                self.rebuild()
            except sa.exc.SQLAlchemyError as error:
                log.log(
                    logging.INFO if quiet else logging.WARNING,
                    "Search index not rebuilt yet, the database is not ready (%s); trying again on first use.",
                    type(error).__name__,
                )

    # --- writing -------------------------------------------------------------------------------

    def sync(self, session: Session, post_ids: Iterable[int]) -> None:
        """Make the index agree with the database for these posts (public ones in, others out)."""
        ids = sorted(set(post_ids))
        if not ids:
            return
        docs = documents.load(session, ids)
        removals = [i for i in ids if i not in docs]
        self.backend.write(list(docs.values()), removals)

    def rebuild(self) -> int:
        started = time.monotonic()
        with Session(db.engine) as session:
            count = self.backend.rebuild(documents.iter_public(session))
        log.info("Search index rebuilt from the database: %d posts in %.1f s.", count, time.monotonic() - started)
        return count

    def check(self, repair: bool = True) -> CheckReport:
        with Session(db.engine) as session:
            indexed = self.backend.stored_hashes()
            wanted = {doc.post_id: doc.content_hash for doc in documents.iter_public(session)}
            missing = sorted(set(wanted) - set(indexed))
            extra = sorted(set(indexed) - set(wanted))
            stale = sorted(i for i in set(wanted) & set(indexed) if wanted[i] != indexed[i])
            report = CheckReport(missing, stale, extra, repaired=False)
            if repair and not report.ok:
                self.sync(session, missing + stale + extra)
                session.commit()
                report.repaired = True
        return report

    # --- reading -------------------------------------------------------------------------------

    def _group(self, word: str) -> Group:
        stem = analysis.stem(word)
        folded = analysis.fold(stem)
        expansions = analysis.compound_expansions(
            folded, self.backend.with_prefix, self.backend.with_suffix, self.backend.known
        )
        return Group(word=word, stem=stem, folded=folded, expansions=tuple(expansions))

    def _known_values(self, query: SearchQuery) -> tuple[dict[str, tuple], str, list[str]]:
        """Facet filters with values the database does not know dropped (and which were)."""
        filters = query.filters()
        ignored: list[str] = []
        if "area" in filters:
            known = known_slugs(filters["area"])
            kept = tuple(v for v in filters["area"] if v in known)
            if len(kept) != len(filters["area"]):
                ignored.append("area")
            filters["area"] = kept
        if "municipality" in filters:
            known = set(
                db.session.scalars(
                    sa.select(Organisation.municipality).where(Organisation.municipality.in_(filters["municipality"]))
                )
            )
            kept = tuple(v for v in filters["municipality"] if v in known)
            if len(kept) != len(filters["municipality"]):
                ignored.append("municipality")
            filters["municipality"] = kept
        org = query.org
        if org and not db.session.scalar(sa.select(Organisation.id).where(Organisation.slug == org)):
            ignored.append("org")
            org = ""
        return {k: v for k, v in filters.items() if v}, org, ignored

    def _groups(self, word: str) -> list[Group]:
        group = self._group(word)
        if len(word) >= 7 and not group.expansions and not self.backend.known([group.folded]):
            parts = analysis.split_compound(word, self.backend.known)
            if parts:
                return [self._group(part) for part in parts]
        return [group]

    def plan(self, query: SearchQuery, **changes) -> tuple[Plan, list[str]]:
        words = query.words
        groups = tuple(g for w in words for g in self._groups(w))
        # One word (even split into parts) needs all of them; more words need half, all-words first.
        min_words = len(groups) if len(words) <= 1 else max(1, math.ceil(len(groups) / 2))
        filters, org, ignored = self._known_values(query)
        plan = Plan(
            groups=groups,
            min_words=min_words,
            filters=filters,
            org=org,
            sort=query.effective_sort,
            page=query.page,
            per_page=query.per_page,
        )
        if changes:
            plan = Plan(**{**plan.__dict__, **changes})
        return plan, ignored

    def query(
        self,
        query: SearchQuery,
        *,
        load_posts: bool = True,
        facets: bool = True,
        clamp_page: bool = True,
        load_options: tuple = (),
        cards: bool = False,
        count: bool = True,
    ) -> SearchResults:
        """The results of a query. With `cards`, the hits are Cards with the matching words marked
        in the title and an excerpt (what a list shows) rather than ORM posts (what the API and the
        exports need, unmarked; `load_options` apply to those).
        Without `count`, `total` may count only the hits of the page (browsing for the first few,
        which a backend may find without counting the rest)."""
        plan, ignored = self.plan(query, facets=facets, clamp_page=clamp_page, count=count)
        raw = self.backend.execute(plan)
        relaxed = len(plan.groups) > 1 and raw.total > 0 and raw.complete == 0
        if ignored:
            query = query.with_(ignored=tuple(dict.fromkeys(query.ignored + tuple(ignored))))
        results = SearchResults(
            query=query,
            total=raw.total,
            page=raw.page,
            per_page=plan.per_page,
            facets=self._facets(raw.facets, query) if facets else {},
            relaxed=relaxed,
            no_words=bool(query.q.strip()) and not plan.groups,
        )
        terms = self._terms(plan)
        if facets or (load_posts and raw.ids):  # once, for the hits' tags and the filter form
            results.areas = all_areas()
        if not load_posts:
            loaded = {}
        elif cards:
            loaded = self._load_cards(raw.ids, results.areas)
        else:
            loaded = {i: (p, "") for i, p in self._load(raw.ids, load_options, results.areas).items()}
        for post_id, score in zip(raw.ids, raw.scores):
            post, text = loaded.get(post_id, (None, ""))
            if load_posts and post is None:
                continue  # left the public since it was indexed; the outbox removes it shortly
            hit = Hit(post_id=post_id, score=score, post=post)
            if cards and post is not None:
                hit.title_html = highlight.mark(post.title, terms)
                hit.excerpt_html = highlight.excerpt(text, terms)
            results.hits.append(hit)
        if plan.groups and (raw.total < SUGGEST_BELOW or raw.complete == 0):
            self._suggest_spelling(query, plan, results)
        return results

    @staticmethod
    def _facets(counts: dict[str, dict[str, int]], query: SearchQuery) -> dict[str, dict[str, int]]:
        """The backend's counts (most first), and a chosen value stays visible even at zero (last,
        as the fewest). Browsing shares its counts between requests: they are not copied (at
        100 000 posts, sorting the organisations again was a twelfth of a list page)."""
        facets = {}
        chosen = query.filters() | ({"org": (query.org,)} if query.org else {})
        for name, values in counts.items():
            missing = sorted(v for v in chosen.get(name, ()) if v not in values)
            facets[name] = {**values, **dict.fromkeys(missing, 0)} if missing else values
        return facets

    @staticmethod
    def _terms(plan: Plan) -> highlight.Terms:
        terms = highlight.Terms()
        for group in plan.groups:
            terms.stems.add(group.stem)
            terms.folded.add(group.folded)
            terms.folded.update(group.expansions)
        return terms

    @staticmethod
    def _excerpt_source(summary: str | None, body: str | None) -> str:
        body = documents._plain((body or "")[:EXCERPT_BODY_CHARS])
        return f"{summary or ''} {body}".strip()

    @staticmethod
    def _load(ids: list[int], options: tuple = (), areas: list[FocusArea] | None = None) -> dict[int, Post]:
        """The posts of a page, if still public. By primary key only: with the public condition in
        SQL, SQLite may walk the public-posts index instead, which grows with the hub."""
        if not ids:
            return {}
        stmt = sa.select(Post).where(Post.id.in_(ids)).options(joinedload(Post.organisation), *options)
        posts = {p.id: p for p in db.session.scalars(stmt).unique() if p.is_public}
        for post_id, found in areas_of(list(posts), areas).items():
            set_committed_value(posts[post_id], "focus_areas", found)
        return posts

    def cards(self, ids: list[int]) -> list[Card]:
        """The cards of the public posts among these, in the order of the ids."""
        found = self._load_cards(ids)
        return [found[i][0] for i in ids if i in found]

    @classmethod
    def _load_cards(cls, ids: list[int], areas: list[FocusArea] | None = None) -> dict[int, tuple[Card, str]]:
        """The cards of these posts, if still public, each with the text its excerpt is cut from
        (only the beginning of the body is read). By primary key only, as _load."""
        if not ids:
            return {}
        cards: dict[int, tuple[Card, str]] = {}
        by_id = {area.id: area for area in (areas or all_areas())}
        for (post_id, kind, title, summary, featured, status, published_at, state, approval, hidden,
             org_name, org_slug, body, area_ids) in db.session.execute(_CARDS, {"ids": list(ids)}):
            if is_public_state(state, approval, hidden):
                card = Card(post_id, kind, title, summary or "", bool(featured), status or "", published_at,
                            OrganisationName(org_name, org_slug), areas_from(area_ids, by_id))
                cards[post_id] = (card, cls._excerpt_source(summary, body))
        return cards

    # --- "Menade du …?" ------------------------------------------------------------------------

    def _suggest_spelling(self, query: SearchQuery, plan: Plan, results: SearchResults) -> None:
        replacements: dict[str, str] = {}
        for group in plan.groups:
            word = group.word
            if len(word) < 4 or word.isdigit() or group.expansions or self.backend.known([group.folded]):
                continue  # a word the index has (or has inside compounds) is spelt as someone spells it
            vocabulary = dict(self.backend.words_with_prefix(word[:2]))
            candidates = analysis.spelling_candidates(word, vocabulary) + analysis.spelling_candidates(
                group.stem, vocabulary
            )
            if candidates:
                best = min(candidates, key=lambda c: (c[0], -vocabulary.get(c[1], 0), c[1]))
                replacements[word] = best[1]
        if not replacements:
            return
        corrected = " ".join(replacements.get(w, w) for w in query.words)
        corrected_plan, _ignored = self.plan(query.with_(q=corrected, page=1), facets=False, per_page=1, page=1)
        raw = self.backend.execute(corrected_plan)
        if raw.total <= results.total:
            return
        # Vocabularies may hold stems: show the word as a post that would be found writes it.
        cards = self._load_cards(raw.ids[:1], results.areas)
        if cards:
            card, text = next(iter(cards.values()))
            title = card.title
            written = {}
            for w, _s, _e in analysis.words(analysis.normalize(f"{title} {text}")):
                written.setdefault(analysis.fold(analysis.stem(w)), w)
            corrected = " ".join(
                written.get(analysis.fold(analysis.stem(replacements[w])), replacements[w]) if w in replacements else w
                for w in query.words
            )
        results.suggestion = corrected
        results.suggestion_total = raw.total

    # --- what the filter form offers ------------------------------------------------------------

    @staticmethod
    def facet_panel(results: SearchResults, locale: str) -> FacetPanel:
        """The filter form's choices, each with the number of hits it would give.

        Every kind is offered; statuses, focus areas, kinds of actor and years only where the
        results have some (or the user chose one); the municipalities with most hits; the
        organisations with most results for the select.
        """
        counts, query = results.facets, results.query
        names = labels.as_context(locale)

        def group(name: str, legend, values: Iterable[tuple[str, str]], keep_all: bool = False) -> FacetGroup:
            found, chosen = counts.get(name, {}), set(query.filters().get(name, ()))
            options = [
                FacetOption(value, label, found.get(value, 0), value in chosen)
                for value, label in values
                if keep_all or value in found or value in chosen
            ]
            return FacetGroup(name, legend, options)

        areas = results.areas or all_areas()
        municipalities = counts.get("municipality", {})
        top = set(list(municipalities)[:MUNICIPALITIES_SHOWN]) | set(query.municipalities)
        groups = [
            group("kind", _l("Slag"), names["POST_KINDS"].items(), keep_all=True),
            group("featured", _l("Utvalda"), [("1", str(_l("Bra exempel")))], keep_all=True),
            group("status", _l("Status"), names["STATUSES"].items()),
            group("area", _l("Fokusområden"),
                  ((a.slug, a.name(locale) + (f" ({a.city})" if a.city else "")) for a in areas)),
            group("org_kind", _l("Slag av aktör"), names["ORG_KINDS"].items()),
            group("municipality", _l("Kommun"), ((m, m) for m in municipalities if m in top)),
            group("year", _l("Publicerat år"), ((y, y) for y in sorted(counts.get("year", {}), reverse=True))),
        ]
        org_counts = counts.get("org", {})
        slugs = set(list(org_counts)[:ORGANISATIONS_SHOWN]) | ({query.org} if query.org else set())
        rows = db.session.execute(_ORGANISATION_NAMES, {"slugs": list(slugs)}).all() if slugs else []
        choices = sorted(
            (FacetOption(row.slug, row.name, org_counts.get(row.slug, 0), row.slug == query.org) for row in rows),
            key=lambda option: option.label,
        )
        return FacetPanel({g.name: g for g in groups}, choices)

    # --- suggestions and similar posts ---------------------------------------------------------

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Words in the index that begin with what the user has typed so far."""
        words = [w for w, _s, _e in analysis.words(analysis.normalize(prefix))]
        if not words or len(words[-1]) < 2:
            return []
        last = words[-1]
        found = self.backend.words_with_prefix(last, limit=500)
        found.sort(key=lambda item: (-item[1], len(item[0]), item[0]))
        return [w for w, _f in found if w != last][:limit]

    def key_terms(self, text_by_weight: list[tuple[str, float]]) -> dict[str, float]:
        """The most telling folded stems of a text (term frequency times rarity in the index)."""
        counts: Counter[str] = Counter()
        for text, weight in text_by_weight:
            for stem in analysis.stems(text):
                if len(stem) >= 3 and not stem.isdigit():
                    counts[analysis.fold(stem)] += weight
        if not counts:
            return {}
        scored = {}
        for term, tf in counts.most_common(60):
            df = self.backend.document_frequency(term)
            if df == 0:
                continue  # no other post has it
            idf = 1.0 if df is None else 1.0 + math.log(1000.0 / (1 + df))
            scored[term] = tf * max(idf, 0.1)
        best = sorted(scored.items(), key=lambda item: -item[1])[:SIMILAR_TERMS]
        top = best[0][1] if best else 1.0
        return {term: round(score / top, 3) for term, score in best}

    def similar(self, post_or_text, limit: int = 5) -> list[Card]:
        """Public posts like a post (sharing one of its focus areas, if it has any) or like a text,
        as cards."""
        areas: tuple[str, ...] = ()
        if isinstance(post_or_text, Post):
            post = post_or_text
            # Words alone find a mobility challenge "like" a renovation that mentions the same
            # town; a shared focus area keeps "Liknande" about the same kind of work.
            areas = tuple(sorted(area.slug for area in post.focus_areas))
            texts = [
                (post.title or "", 3.0),
                (post.summary or "", 2.0),
                (" ".join(post.tags or []), 2.0),
                (documents._plain(post.body or "")[:5000], 1.0),
            ]
            exclude = post.id
        else:
            texts = [(analysis.normalize(str(post_or_text or ""))[:5000], 1.0)]
            exclude = None
        terms = self.key_terms(texts)
        if not terms:
            return []
        ids = [i for i in self.backend.similar(terms, exclude, limit + 1, areas) if i != exclude]
        return self.cards(ids)[:limit]
