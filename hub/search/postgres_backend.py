"""PostgreSQL full-text backend (HUB_SEARCH_BACKEND=postgres): one index shared by every host.

Each public post has a row in search_documents with a weighted tsvector (GIN-indexed):
A title, B summary + tags + focus areas, C body + organisation (all with the 'swedish'
configuration: Snowball stemming and stop words), D the hub's own folded stems ('simple'), so a
word typed without å/ä/ö, or the dropped-e form of cykel/cyklar, still matches, below the exact
form. search_terms holds the vocabulary for compound parts and "Menade du …?". Filters and facet
counts come from the posts and organisations tables in the same query, so a post that stops being
public disappears at once, even before its outbox row is drained.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..extensions import db
from . import analysis
from .backend import Backend, Plan, Raw, most_first
from .documents import FEATURED_BOOST, SOLVED_BOOST, Document

log = logging.getLogger("hub.search")

WEIGHTS = "{0.1, 0.3, 0.5, 1.0}"  # D, C, B, A
BATCH = 500

DOCUMENT_SQL = """
    setweight(to_tsvector('swedish', :title), 'A')
    || setweight(to_tsvector('swedish', :b_text), 'B')
    || setweight(to_tsvector('swedish', :c_text), 'C')
    || setweight(to_tsvector('simple', :folded), 'D')
"""
UPSERT = sa.text(
    f"""
    INSERT INTO search_documents (post_id, document, content_hash)
    VALUES (:post_id, {DOCUMENT_SQL}, :hash)
    ON CONFLICT (post_id) DO UPDATE SET document = EXCLUDED.document, content_hash = EXCLUDED.content_hash
    """
)
INSERT_TERMS = sa.text(
    """
    INSERT INTO search_terms (field, term)
    SELECT f, t FROM unnest(CAST(:fields AS text[]), CAST(:terms AS text[])) AS x(f, t)
    ON CONFLICT DO NOTHING
    """
)
PUBLIC = "p.state = 'published' AND p.approval = 'approved' AND NOT p.hidden"
YEAR = "CAST(EXTRACT(YEAR FROM p.published_at AT TIME ZONE 'Europe/Stockholm') AS integer)"
SCORE = (
    f"ts_rank('{WEIGHTS}', d.document, q.query)"
    f" * (CASE WHEN p.featured THEN {FEATURED_BOOST} ELSE 1.0 END)"
    f" * (CASE WHEN p.kind = 'challenge' AND p.status = 'lost' THEN {SOLVED_BOOST} ELSE 1.0 END)"
)
COPIES = (
    "(SELECT count(*) FROM posts c WHERE c.copied_from_id = p.id"
    " AND c.state = 'published' AND c.approval = 'approved' AND NOT c.hidden)"
)


def _row(doc: Document) -> dict:
    stems_in_order = analysis.stems(doc.all_text())
    return {
        "post_id": doc.post_id,
        "title": doc.title,
        "b_text": " ".join((doc.summary, doc.tags, doc.areas)),
        "c_text": " ".join((doc.body, doc.org)),
        "folded": " ".join(analysis.fold(s) for s in stems_in_order),
        "hash": doc.content_hash,
    }


def _terms(doc: Document) -> set[tuple[str, str]]:
    folded = {analysis.fold(s) for s in analysis.stems(doc.all_text())}
    terms = {("s", f) for f in folded} | {("r", f[::-1]) for f in folded}
    terms |= {
        ("w", w) for w, _s, _e in analysis.words(doc.all_text()) if analysis.is_indexable(w) and len(w) >= 3
    }
    return {(f, t[:80]) for f, t in terms}


def _insert_terms(connection, terms: set[tuple[str, str]]) -> None:
    ordered = sorted(terms)
    for start in range(0, len(ordered), 5000):
        chunk = ordered[start : start + 5000]
        connection.execute(INSERT_TERMS, {"fields": [f for f, _t in chunk], "terms": [t for _f, t in chunk]})


def _in_areas(key: str) -> str:
    """The post (aliased p) has one of the focus areas whose slugs are the parameter `key`."""
    return (
        "EXISTS (SELECT 1 FROM post_focus_areas x JOIN focus_areas y ON y.id = x.focus_area_id"
        f" WHERE x.post_id = p.id AND y.slug = ANY(:{key}))"
    )


def _tsquery_literal(terms: Iterable[str]) -> str:
    # Terms come from the analyser: letters and digits only, so quoting cannot be broken.
    return " | ".join(f"'{t}'" for t in terms if t)


class PostgresBackend(Backend):
    name = "postgres"

    def open(self) -> bool:
        """Whether the shared index must be built: it is empty while the hub has public posts (a
        database that was searched with Whoosh until now, or restored without its index). Asked
        once at start-up; a database not migrated yet has nothing to index."""
        try:
            with db.engine.connect() as connection:
                missing = connection.execute(sa.text(
                    "SELECT NOT EXISTS (SELECT 1 FROM search_documents)"
                    f" AND EXISTS (SELECT 1 FROM posts p WHERE {PUBLIC})"
                )).scalar()
        except sa.exc.SQLAlchemyError:
            return False
        if missing:
            log.warning("The PostgreSQL search index is empty while the hub has public posts; "
                        "rebuilding it from the database.")
        self.needs_rebuild = bool(missing)
        return self.needs_rebuild

    # --- writing -----------------------------------------------------------------------------

    def write(self, documents: list[Document], removals: Iterable[int]) -> None:
        removals = list(removals)
        if not documents and not removals:
            return
        with db.engine.begin() as connection:
            if removals:
                connection.execute(
                    sa.text("DELETE FROM search_documents WHERE post_id = ANY(:ids)"), {"ids": removals}
                )
            if documents:
                connection.execute(UPSERT, [_row(d) for d in documents])
                terms: set[tuple[str, str]] = set()
                for doc in documents:
                    terms |= _terms(doc)
                _insert_terms(connection, terms)

    def rebuild(self, documents: Iterable[Document]) -> int:
        count = 0
        # One transaction, rows deleted rather than truncated: readers see the old index until commit.
        with db.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM search_documents"))
            connection.execute(sa.text("DELETE FROM search_terms"))
            batch: list[Document] = []
            terms: set[tuple[str, str]] = set()
            for doc in documents:
                batch.append(doc)
                terms |= _terms(doc)
                if len(batch) >= BATCH:
                    connection.execute(UPSERT, [_row(d) for d in batch])
                    count += len(batch)
                    batch = []
            if batch:
                connection.execute(UPSERT, [_row(d) for d in batch])
                count += len(batch)
            _insert_terms(connection, terms)
        self.needs_rebuild = False
        return count

    def clear(self) -> None:
        with db.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM search_documents"))
            connection.execute(sa.text("DELETE FROM search_terms"))

    def stored_hashes(self) -> dict[int, str]:
        with Session(db.engine) as session:
            rows = session.execute(sa.text("SELECT post_id, content_hash FROM search_documents"))
            return {post_id: content_hash for post_id, content_hash in rows}

    # --- querying ----------------------------------------------------------------------------

    @staticmethod
    def _need(plan: Plan) -> int:
        n = len(plan.groups)
        return n if not plan.min_words or plan.min_words >= n else plan.min_words

    def _text(self, plan: Plan, params: dict) -> str:
        """The query columns: one tsquery per word (g0, g1, …) and their combination (query)."""
        if not plan.groups:
            return "CAST('' AS tsquery) AS query"
        parts = []
        for i, group in enumerate(plan.groups):
            params[f"w{i}"] = group.word
            params[f"d{i}"] = _tsquery_literal((group.folded, *group.expansions))
            parts.append(f"(plainto_tsquery('swedish', :w{i}) || to_tsquery('simple', :d{i}))")
        joined = (" && " if self._need(plan) >= len(parts) else " || ").join(parts)
        columns = [f"{joined} AS query"] + [f"{part} AS g{i}" for i, part in enumerate(parts)]
        return ", ".join(columns)

    @staticmethod
    def _matched(plan: Plan) -> str:
        """How many of the words a post has (the first ranking key)."""
        if not plan.groups:
            return "0"
        return "(" + " + ".join(f"CAST(d.document @@ q.g{i} AS integer)" for i in range(len(plan.groups))) + ")"

    def _conditions(self, plan: Plan, params: dict) -> dict[str, str]:
        """SQL condition per active facet filter."""
        conditions: dict[str, str] = {}
        if plan.org:
            params["org"] = plan.org
            conditions["org"] = "o.slug = :org"
        for name, values in plan.filters.items():
            key = f"f_{name}"
            if name == "featured":
                conditions[name] = "p.featured"
                continue
            if name == "year":
                params[key] = [int(v) for v in values]
                conditions[name] = f"{YEAR} = ANY(:{key})"
                continue
            params[key] = list(values)
            column = {
                "kind": "p.kind",
                "status": "p.status",
                "municipality": "o.municipality",
                "org_kind": "o.kind",
            }.get(name)
            if column:
                conditions[name] = f"{column} = ANY(:{key})"
            elif name == "area":
                conditions[name] = _in_areas(key)
        return conditions

    def _from(self, plan: Plan, params: dict) -> str:
        where = [PUBLIC]
        if plan.groups:
            where.append("d.document @@ q.query")
            if 1 < self._need(plan) < len(plan.groups):
                params["need"] = self._need(plan)
                where.append(f"{self._matched(plan)} >= :need")
        return (
            f" FROM search_documents d JOIN posts p ON p.id = d.post_id"
            f" JOIN organisations o ON o.id = p.organisation_id"
            f" CROSS JOIN (SELECT {self._text(plan, params)}) q"
            f" WHERE {' AND '.join(where)}"
        )

    def count(self, plan: Plan) -> int:
        params: dict = {}
        conditions = self._conditions(plan, params)
        sql = "SELECT count(*)" + self._from(plan, params)
        if conditions:
            sql += " AND " + " AND ".join(conditions.values())
        with Session(db.engine) as session:
            return session.execute(sa.text(sql), params).scalar() or 0

    def _facet_counts(self, plan: Plan, params: dict, conditions: dict[str, str]) -> tuple[int, int, dict]:
        flags = ", ".join(f"({cond}) AS c_{name}" for name, cond in conditions.items())
        inner = (
            f"SELECT p.id, p.kind, p.status, p.featured, {YEAR} AS year, o.municipality, o.kind AS org_kind,"
            " o.slug AS org,"
            f" {self._matched(plan)} AS matched"
            + (f", {flags}" if flags else "")
            + self._from(plan, params)
        )

        def others(name: str | None) -> str:
            rest = [f"c_{n}" for n in conditions if n != name]
            return " AND ".join(rest) if rest else "TRUE"

        selects = [
            f"SELECT 'total' AS facet, '' AS value, count(*) FILTER (WHERE {others(None)}) AS n FROM m",
            f"SELECT 'complete', '', count(*) FILTER (WHERE {others(None)} AND matched = {len(plan.groups)}) FROM m",
        ]
        for name, column in (("kind", "kind"), ("status", "status"), ("municipality", "municipality"),
                             ("org_kind", "org_kind"), ("org", "org")):
            selects.append(
                f"SELECT '{name}', {column}, count(*) FILTER (WHERE {others(name)}) FROM m"
                f" WHERE {column} <> '' GROUP BY {column}"
            )
        selects.append(
            f"SELECT 'year', CAST(year AS text), count(*) FILTER (WHERE {others('year')}) FROM m"
            " WHERE year IS NOT NULL GROUP BY year"
        )
        selects.append(f"SELECT 'featured', '1', count(*) FILTER (WHERE featured AND {others('featured')}) FROM m")
        selects.append(
            f"SELECT 'area', fa.slug, count(*) FILTER (WHERE {others('area')}) FROM m"
            " JOIN post_focus_areas pfa ON pfa.post_id = m.id JOIN focus_areas fa ON fa.id = pfa.focus_area_id"
            " GROUP BY fa.slug"
        )
        sql = f"WITH m AS ({inner}) " + " UNION ALL ".join(selects)
        total = complete = 0
        facets: dict[str, dict[str, int]] = {
            name: {} for name in ("kind", "status", "featured", "year", "municipality", "org_kind", "area", "org")
        }
        with Session(db.engine) as session:
            for facet, value, n in session.execute(sa.text(sql), params):
                if facet == "total":
                    total = n
                elif facet == "complete":
                    complete = n
                elif n:
                    facets[facet][value] = n
        return total, complete, {name: most_first(counts) for name, counts in facets.items()}

    def execute(self, plan: Plan) -> Raw:
        params: dict = {}
        conditions = self._conditions(plan, params)
        if plan.facets:
            total, complete, facets = self._facet_counts(plan, params, conditions)
        else:
            total, facets = self.count(plan), {}
            complete = total
        raw = Raw(total=total, complete=complete, facets=facets)
        pages = max(1, -(-total // plan.per_page))
        raw.page = min(plan.page, pages) if plan.clamp_page else plan.page
        if not total or (raw.page - 1) * plan.per_page >= total:
            return raw
        if plan.sort == "relevance" and plan.groups:
            order = f"{self._matched(plan)} DESC, score DESC, p.id DESC"
        elif plan.sort == "copied":
            order = f"{COPIES} DESC, COALESCE(p.published_at, p.created_at) DESC, p.id DESC"
        else:
            order = "COALESCE(p.published_at, p.created_at) DESC, p.id DESC"
        score = SCORE if plan.groups else "0.0"
        sql = f"SELECT p.id, {score} AS score" + self._from(plan, params)
        if conditions:
            sql += " AND " + " AND ".join(conditions.values())
        sql += f" ORDER BY {order} LIMIT :limit OFFSET :offset"
        params.update(limit=plan.per_page, offset=(raw.page - 1) * plan.per_page)
        with Session(db.engine) as session:
            for post_id, value in session.execute(sa.text(sql), params):
                raw.ids.append(post_id)
                raw.scores.append(float(value or 0.0))
        return raw

    def similar(self, terms: dict[str, float], exclude: int | None, limit: int, areas: tuple[str, ...] = ()) -> list[int]:
        if not terms:
            return []
        sql = (
            "SELECT p.id FROM search_documents d JOIN posts p ON p.id = d.post_id"
            " CROSS JOIN (SELECT to_tsquery('simple', :terms) AS query) q"
            f" WHERE {PUBLIC} AND d.document @@ q.query AND p.id <> :exclude"
            + (f" AND {_in_areas('areas')}" if areas else "")
            + f" ORDER BY ts_rank('{WEIGHTS}', d.document, q.query) DESC, p.id DESC LIMIT :limit"
        )
        params = {"terms": _tsquery_literal(terms), "exclude": exclude or 0, "limit": limit, "areas": list(areas)}
        with Session(db.engine) as session:
            return [row[0] for row in session.execute(sa.text(sql), params)]

    # --- vocabulary --------------------------------------------------------------------------

    def _like(self, field: str, prefix: str, limit: int) -> list[str]:
        sql = sa.text(
            "SELECT term FROM search_terms WHERE field = :field AND term LIKE :pattern ORDER BY term LIMIT :limit"
        )
        with Session(db.engine) as session:
            rows = session.execute(sql, {"field": field, "pattern": prefix + "%", "limit": limit})
            return [row[0] for row in rows]

    def with_prefix(self, folded: str, limit: int = 400) -> list[str]:
        return self._like("s", folded, limit)

    def with_suffix(self, folded: str, limit: int = 400) -> list[str]:
        return [t[::-1] for t in self._like("r", folded[::-1], limit)]

    def known(self, folded_terms: Iterable[str]) -> set[str]:
        terms = sorted(set(folded_terms))
        if not terms:
            return set()
        sql = sa.text("SELECT term FROM search_terms WHERE field = 's' AND term = ANY(:terms)")
        with Session(db.engine) as session:
            return {row[0] for row in session.execute(sql, {"terms": terms})}

    def words_with_prefix(self, prefix: str, limit: int = 2000) -> list[tuple[str, int]]:
        return [(w, 0) for w in self._like("w", prefix, limit)]
