"""The embedded default backend: a Whoosh index in a directory (HUB_INDEX_DIR).

Measured facts this follows: a new searcher per query costs 2–3× (one searcher per process,
refreshed when the index changed); single documents are committed with merge=False (merging
happens outside requests); facet values are cached as sets of document numbers per index
segment, so filters and exact facet counts are set intersections instead of per-document work.
Ranking is set arithmetic too (field boost × idf per matched word, see `_ranked`): Whoosh's own
scorer walks every posting in Python and cost more than everything else together. A failed
commit cancels its writer, so the lock is never left held.
"""

from __future__ import annotations

import bisect
import fcntl
import gc
import heapq
import json
import logging
import math
import threading
import time
import warnings
from collections import Counter, OrderedDict
from collections.abc import Iterable
from itertools import chain
from pathlib import Path

from flask import g, has_request_context
from whoosh import index as whoosh_index
from whoosh import formats, writing
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, Schema

from . import analysis
from .backend import Backend, Plan, Raw, most_first
from .documents import Document

log = logging.getLogger("hub.search")

INDEX_NAME = "MAIN"
# Bump when what gets indexed changes (analysis, fields): an index of another version is rebuilt.
SCHEMA_VERSION = 6
VERSION_FILE = "hub-search.json"
OPEN_LOCK = "hub-search.lock"
MAX_SEGMENTS = 4
PID_SPAN = 1 << 32
NEWEST_SPAN = 1 << 96
RETIRE_AFTER = 30.0  # seconds a replaced searcher stays open for requests still using it
TERM_BUDGET = 500_000  # document numbers kept in cached posting sets, per segment and per view
VOCABULARY_BUDGET = 50_000  # words kept from prefix look-ups, per view
FREQUENCIES_KEPT = 100_000  # document frequencies kept per view (then forgotten all at once)
WALK_STEP_COST = 5  # set look-ups in C that one step of a walk in Python costs, about
# "Liknande" leaves out words in more than 1/SHARE of the posts (never fewer than FLOOR posts).
SIMILAR_COMMON_SHARE = 25
SIMILAR_COMMON_FLOOR = 50
FACET_FIELDS = ("kind", "status", "featured", "year", "municipality", "org_kind", "area")
SINGLE_VALUED = ("kind", "status", "year", "municipality", "org_kind", "org")


def _patch_whoosh_length_lookup() -> None:
    """Cache a missing length column too (whoosh-reloaded 2.7.5 asks the file system again for
    every posting of a field without lengths, which made writing a segment several times slower)."""
    from whoosh.codec import whoosh3

    if getattr(whoosh3.W3PerDocReader._cached_reader, "hub_patched", False):
        return

    def _cached_reader(self, fieldname, column):
        try:
            return self._readers[fieldname]
        except KeyError:
            reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
            self._readers[fieldname] = reader  # a written segment's columns never change
            return reader

    _cached_reader.hub_patched = True
    whoosh3.W3PerDocReader._cached_reader = _cached_reader


_patch_whoosh_length_lookup()


def _close(searcher) -> None:
    try:
        searcher.close()
    except Exception:
        pass


# The weighted fields hold the stems as written; everything is also in `folded`, once per word
# without diacritics, which is what finds a word typed without å/ä/ö and a compound's parts.
# The head fields (title, summary and tags, names) are also the spelling vocabulary; the body's
# own field weighs least, so that a word written exactly as typed ranks above one that only
# folds to it ("mal" above "mål") in the body as in the head.
HEAD_BOOSTS = {"title": 4.0, "summary": 2.0, "meta": 1.5}
EXACT_BOOSTS = {**HEAD_BOOSTS, "body": 0.5}
# Which texts each weighted field holds: tags weigh like the summary, names like each other.
EXACT_TEXTS = {"title": ("title",), "summary": ("summary", "tags"), "meta": ("org", "areas"), "body": ("body",)}
FOLDED_BOOST = 1.0
EXPANSION_BOOST = 0.4


def _words_field() -> KEYWORD:
    """Words present or not: ranking is computed from sets (see `_ranked`), so postings carry no
    frequencies and fields no lengths, which makes writing cheaper."""
    field = KEYWORD()
    field.format = formats.Existence()
    return field


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        hash=STORED(),
        folded=_words_field(),
        kind=ID(),
        status=ID(),
        featured=ID(),
        year=ID(),
        municipality=ID(),
        org_kind=ID(),
        org=ID(),
        area=KEYWORD(),
        # Sort keys: per-document columns only, not indexed.
        published=COLUMN(NumericColumn("q")),
        copies=COLUMN(NumericColumn("q")),
        pid=COLUMN(NumericColumn("q")),
        **{tf(name): _words_field() for name in EXACT_BOOSTS},
    )


def tf(name: str) -> str:
    """The Whoosh field holding the stems of one weighted text field."""
    return f"t_{name}"


def fields_for(doc: Document) -> dict:
    texts = doc.field_texts()
    stems = {name: analysis.stems(text) for name, text in texts.items()}
    folded = {analysis.fold(s) for field in stems.values() for s in field}
    fields: dict = {
        "id": str(doc.post_id),
        "hash": doc.content_hash,
        "folded": " ".join(folded),
        "kind": doc.kind,
        "published": max(0, int(doc.published * 1000)),
        "copies": int(doc.copies),
        "pid": int(doc.post_id),
    }
    for name in EXACT_BOOSTS:
        words = {s for part in EXACT_TEXTS[name] for s in stems[part]}
        if words:
            fields[tf(name)] = " ".join(words)
    for name, values in doc.facet_values().items():
        if values and name != "kind":
            fields[name] = " ".join(values) if name == "area" else values[0]
    if doc.org_slug:
        fields["org"] = doc.org_slug
    return fields


def _segment_key(reader) -> str:
    segment = reader.segment()
    return segment.segment_id() if segment is not None else str(id(reader))


class _LRU:
    """Sets of document numbers by key, bounded by how many numbers they hold in all."""

    def __init__(self, budget: int):
        self.budget = budget
        self.size = 0
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key, docs) -> None:
        with self.lock:
            if key in self.items:
                return
            self.items[key] = docs
            self.size += len(docs) + 1
            while self.size > self.budget and len(self.items) > 1:
                _key, old = self.items.popitem(last=False)
                self.size -= len(old) + 1


class _Segment:
    """What one (immutable) segment holds, in its own document numbers, computed once per process:
    a set per facet value, the facet value per document, sort keys, boosts, the reversed
    vocabulary, and the posting sets of terms searched for. Documents deleted later may still be
    in these; the view subtracts them.
    """

    def __init__(self, reader):
        self.count = reader.doc_count_all()
        self.facets: dict[str, dict[str, frozenset[int]]] = {}
        # For single-valued facets: the value's index in `values[name]` per document (-1: none).
        self.values: dict[str, list[str]] = {}
        self.codes: dict[str, list[int]] = {}
        fields = set(reader.indexed_field_names())
        for name in FACET_FIELDS + ("org",):
            sets: dict[str, frozenset[int]] = {}
            if name in fields:
                for btext in reader.lexicon(name):
                    sets[btext.decode("utf-8")] = frozenset(reader.postings(name, btext).all_ids())
            self.facets[name] = sets
            if name in SINGLE_VALUED:
                codes = [-1] * self.count
                values = list(sets)
                for code, value in enumerate(values):
                    for docnum in sets[value]:
                        codes[docnum] = code
                self.values[name], self.codes[name] = values, codes
        columns = {}
        for name in ("published", "copies", "pid"):
            values = list(reader.column_reader(name)) if reader.has_column(name) else []
            columns[name] = values if len(values) >= self.count else [0] * self.count
        # Sort keys as single integers (ties broken by the newer post id), so sorting is C-speed.
        self.newest = [p * PID_SPAN + i for p, i in zip(columns["published"], columns["pid"])]
        self.copied = [c * NEWEST_SPAN + n for c, n in zip(columns["copies"], self.newest)]
        from .documents import FEATURED_BOOST, SOLVED_BOOST

        boosts: dict[int, float] = {}
        for docnum in self.facets["featured"].get("1", ()):
            boosts[docnum] = FEATURED_BOOST
        for docnum in self.facets["status"].get("lost", ()):
            boosts[docnum] = boosts.get(docnum, 1.0) * SOLVED_BOOST
        self.boosts = boosts
        try:
            folded = [t.decode("utf-8") for t in reader.lexicon("folded")]
        except Exception:  # no documents with the field in this segment
            folded = []
        self.reversed_terms = sorted(t[::-1] for t in folded)
        self.terms = _LRU(TERM_BUDGET)

    def term(self, reader, field: str, text: str) -> frozenset[int]:
        key = (field, text)
        found = self.terms.get(key)
        if found is None:
            found = frozenset(reader.postings(field, text).all_ids()) if key in reader else frozenset()
            self.terms.put(key, found)
        return found


def _shift(docs: frozenset[int], offset: int) -> frozenset[int]:
    return docs if offset == 0 else frozenset(d + offset for d in docs)


class _View:
    """Everything derived from one searcher (one index generation), in global document numbers.

    Built cheaply from the segments' caches, so the first query after a save stays fast.
    """

    def __init__(self, searcher, segments: dict[str, _Segment]):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.parts: list[tuple[_Segment, int, int]] = []  # (segment, offset, doc_count_all)
        self.leaves = []
        deleted: set[int] = set()
        leaves = self.reader.leaf_readers() if not self.reader.is_atomic() else [(self.reader, 0)]
        for leaf, offset in leaves:
            key = _segment_key(leaf)
            if key not in segments:
                segments[key] = _Segment(leaf)
            self.parts.append((segments[key], offset, leaf.doc_count_all()))
            self.leaves.append(leaf)
            if leaf.has_deletions():
                deleted.update(d + offset for d in leaf.deleted_docs_set)
        self.total = sum(count for _s, _o, count in self.parts)
        self.deleted = frozenset(deleted)
        self._all = frozenset(range(self.total)) - self.deleted if self.deleted else frozenset(range(self.total))
        self._facets: dict[str, dict[str, frozenset[int]]] = {}
        self._terms = _LRU(TERM_BUDGET)
        self._keys: dict[str, list[int]] = {}
        self._boosts: dict[int, float] | None = None
        self.similar: OrderedDict[tuple, list[int]] = OrderedDict()
        self.browse: OrderedDict[tuple, dict] = OrderedDict()  # facet counts of queries without words
        self.vocabulary = _LRU(VOCABULARY_BUDGET)  # words by prefix (compounds, spelling, typing)
        self.frequencies: dict[str, int] = {}  # document frequency by folded word
        self._orders: dict[str, list[int]] = {}
        self.lock = threading.Lock()

    def all_docs(self) -> frozenset[int]:
        return self._all

    def term(self, field: str, text: str) -> frozenset[int]:
        key = (field, text)
        found = self._terms.get(key)
        if found is None:
            parts = [_shift(segment.term(leaf, field, text), offset)
                     for (segment, offset, _c), leaf in zip(self.parts, self.leaves)]
            found = parts[0] if len(parts) == 1 else frozenset().union(*parts)
            if self.deleted and found:
                found = found - self.deleted
            self._terms.put(key, found)
        return found

    def facet(self, name: str) -> dict[str, frozenset[int]]:
        if name not in self._facets:
            merged: dict[str, list[frozenset[int]]] = {}
            for segment, offset, _count in self.parts:
                for value, docs in segment.facets[name].items():
                    merged.setdefault(value, []).append(_shift(docs, offset))
            sets = {v: d[0] if len(d) == 1 else frozenset().union(*d) for v, d in merged.items()}
            if self.deleted:  # once per view, so a filter never needs the set of every live document
                sets = {v: docs - self.deleted for v, docs in sets.items()}
            self._facets[name] = sets
        return self._facets[name]

    def codes(self, name: str) -> tuple[list[str], list[int]]:
        """For a single-valued facet: its values, and each document's value index (-1: none)."""
        key = f"codes:{name}"
        if key not in self._keys:
            values: list[str] = []
            index: dict[str, int] = {}
            codes: list[int] = []
            for segment, _offset, count in self.parts:
                remap = []
                for value in segment.values[name]:
                    if value not in index:
                        index[value] = len(values)
                        values.append(value)
                    remap.append(index[value])
                local = segment.codes[name][:count]
                codes.extend(local if remap == list(range(len(remap))) else [remap[c] if c >= 0 else -1 for c in local])
            self._keys[key] = codes
            self._keys[f"values:{name}"] = values
        return self._keys[f"values:{name}"], self._keys[key]

    def sort_keys(self, name: str) -> list[int]:
        if name not in self._keys:
            values: list[int] = []
            for segment, _offset, count in self.parts:
                values.extend(getattr(segment, name)[:count])
            self._keys[name] = values
        return self._keys[name]

    def tiebreak(self) -> list[float]:
        """A tiny addition per document that orders equal scores newest first."""
        if "tiebreak" not in self._keys:
            newest = self.sort_keys("newest")
            low, high = (min(newest), max(newest)) if newest else (0, 1)
            span = float(high - low) or 1.0
            self._keys["tiebreak"] = [(n - low) / span * 1e-6 for n in newest]
        return self._keys["tiebreak"]

    def order(self, name: str) -> list[int]:
        """Every live document, best first by a sort key (computed once per searcher)."""
        if name not in self._orders:
            keys = self.sort_keys(name)
            self._orders[name] = sorted(self.all_docs(), key=keys.__getitem__, reverse=True)
        return self._orders[name]

    def boosts(self) -> dict[int, float]:
        """Document boosts (featured, solved) by global document number."""
        if self._boosts is None:
            merged: dict[int, float] = {}
            for segment, offset, _count in self.parts:
                for docnum, boost in segment.boosts.items():
                    merged[docnum + offset] = boost
            self._boosts = merged
        return self._boosts

    def post_id(self, docnum: int) -> int:
        return self.sort_keys("newest")[docnum] & (PID_SPAN - 1)

    def idf(self, docs) -> float:
        return math.log(1.0 + len(self._all) / (1 + len(docs)))


class WhooshBackend(Backend):
    name = "whoosh"

    def __init__(self, directory: str, *, background_merge: bool = True, rebuild_procs: int = 1):
        self.directory = Path(directory)
        self.rebuild_procs = max(1, rebuild_procs)
        self.schema = make_schema()
        self.background_merge = background_merge
        self._ix = None
        self._view: _View | None = None
        self._segments: dict[str, _Segment] = {}
        self._lock = threading.RLock()
        self._write_lock = threading.Lock()
        self._retired: list[tuple[float, object]] = []
        self.needs_rebuild = False

    # --- opening, checking, clearing ---------------------------------------------------------

    def _version_path(self) -> Path:
        return self.directory / VERSION_FILE

    def _write_version(self) -> None:
        self._version_path().write_text(json.dumps({"schema_version": SCHEMA_VERSION}))

    def _wipe(self) -> None:
        for path in self.directory.iterdir():
            if path.is_file() and (path.name.startswith(f"_{INDEX_NAME}_") or path.name.startswith(f"{INDEX_NAME}_")):
                path.unlink(missing_ok=True)

    def _create(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._wipe()
        self._ix = whoosh_index.create_in(str(self.directory), self.schema, indexname=INDEX_NAME)
        self._write_version()
        self._forget()

    def open(self) -> bool:
        """Open the index; create an empty one when it is missing or unreadable.

        Returns True when it had to be created, i.e. it must be rebuilt from the database.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        # Several worker processes start at once: one at a time decides and creates.
        with self._lock, open(self.directory / OPEN_LOCK, "a") as lockfile:
            fcntl.flock(lockfile, fcntl.LOCK_EX)
            try:
                problem = None
                if not any(self.directory.glob(f"_{INDEX_NAME}_*.toc")):
                    problem = "missing"
                else:
                    problem = self._problem()
                if problem is None:
                    return False
                log.warning("Search index in %s is %s; creating a new one to rebuild from the database.",
                            self.directory, problem)
                self._create()
                self.needs_rebuild = True
                return True
            finally:
                fcntl.flock(lockfile, fcntl.LOCK_UN)

    def _problem(self) -> str | None:
        """What is wrong with the index on disk, if anything (and keep it open when nothing is)."""
        # Whoosh leaves a broken file open when reading fails; let it be closed quietly.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                version = json.loads(self._version_path().read_text()).get("schema_version")
                if version != SCHEMA_VERSION:
                    return f"of schema version {version}, expected {SCHEMA_VERSION}"
                ix = whoosh_index.open_dir(str(self.directory), indexname=INDEX_NAME)
                if set(ix.schema.names()) != set(self.schema.names()):
                    return "of another schema"
                with ix.searcher() as searcher:
                    searcher.doc_count()
                    searcher.reader().doc_frequency("folded", "x")
                self._ix = ix
                return None
            except Exception as error:  # any unreadable file means: start again
                problem = f"unreadable ({type(error).__name__}: {error})"
            gc.collect()
            return problem

    @property
    def ix(self):
        if self._ix is None:
            self.open()
        return self._ix

    def _forget(self) -> None:
        view, self._view = self._view, None
        self._segments = {}
        if view is not None:
            _close(view.searcher)
        for _since, old in self._retired:
            _close(old)
        self._retired = []

    def reset(self) -> None:
        with self._lock:
            self._forget()

    def close(self) -> None:
        self.reset()

    def clear(self) -> None:
        with self._write_lock, self._lock:
            writer = self.ix.writer(timeout=10.0, delay=0.05)
            try:
                writer.commit(mergetype=writing.CLEAR)
            except BaseException:
                writer.cancel()
                raise
            self._refresh_now()

    # --- reading -----------------------------------------------------------------------------

    def view(self) -> _View:
        """The current searcher's view. Whether another process changed the index is checked once
        per request (a directory listing): a request asks a dozen times (words, compounds,
        spelling, "Liknande") and sees one index generation throughout, its own writes included."""
        pinned = has_request_context()
        if pinned:
            view = g.get("_hub_search_view")
            if view is not None and view is self._view:
                return view
        with self._lock:
            view = self._view
            if view is None:
                searcher = self.ix.searcher()
                self._view = _View(searcher, self._segments)
            elif not view.searcher.up_to_date():
                self._refresh_now()
            view = self._view
        if pinned:
            g._hub_search_view = view
        return view

    def _refresh_now(self) -> None:
        # A brand-new searcher rather than searcher.refresh(): Whoosh's reader reuse keeps the
        # deletions a segment had when it was first opened, and segments a merge removed.
        old = self._view
        if old is None:
            return
        searcher = self.ix.searcher()
        reader = searcher.reader()
        live = {_segment_key(leaf) for leaf, _o in (reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)])}
        for key in list(self._segments):
            if key not in live:
                del self._segments[key]
        self._view = _View(searcher, self._segments)
        self._retire(old.searcher)

    def _retire(self, searcher) -> None:
        """Close replaced searchers once no request can still be using them."""
        now = time.monotonic()
        self._retired.append((now, searcher))
        keep = []
        for since, old in self._retired:
            if now - since > RETIRE_AFTER:
                _close(old)
            else:
                keep.append((since, old))
        self._retired = keep

    def stored_hashes(self) -> dict[int, str]:
        view = self.view()
        found = {}
        for docnum, stored in view.reader.iter_docs():
            found[int(stored["id"])] = stored.get("hash", "")
        return found

    # --- writing -----------------------------------------------------------------------------

    def _writer(self, timeout: float = 5.0, **kwargs):
        return self.ix.writer(timeout=timeout, delay=0.02, **kwargs)

    def write(self, documents: list[Document], removals: Iterable[int]) -> None:
        removals = list(removals)
        if not documents and not removals:
            return
        with self._write_lock:
            writer = self._writer()
            try:
                for post_id in removals:
                    writer.delete_by_term("id", str(post_id))
                for doc in documents:
                    writer.update_document(**fields_for(doc))
                writer.commit(merge=False)
            except BaseException:
                writer.cancel()
                raise
            with self._lock:
                if self._view is not None:
                    self._refresh_now()
                segments = len(self._view.parts) if self._view is not None else 0
        if segments > MAX_SEGMENTS:
            self._merge_later()

    def _merge_later(self) -> None:
        if not self.background_merge:
            self.optimize(full=False)
            return
        threading.Thread(target=self._merge_quietly, name="hub-search-merge", daemon=True).start()

    def _merge_quietly(self) -> None:
        try:
            self.optimize(full=False, timeout=0.5)
        except Exception as error:  # another process holds the lock or is merging: next time
            log.info("Search index merge skipped: %s", error)

    def optimize(self, full: bool = True, timeout: float = 30.0) -> None:
        """Merge segments (all into one when full), outside the request that wrote them."""
        with self._write_lock:
            writer = self._writer(timeout=timeout)
            try:
                if full:
                    writer.commit(optimize=True)
                else:
                    writer.commit(merge=True)
            except BaseException:
                writer.cancel()
                raise
        with self._lock:
            if self._view is not None:
                self._refresh_now()

    def rebuild(self, documents: Iterable[Document]) -> int:
        """Replace the whole index in one commit; readers see the old one until it is done."""
        count = 0
        with self._write_lock:
            if self.rebuild_procs > 1:
                # Sub-processes index batches in parallel, each into a segment of its own.
                writer = self.ix.writer(procs=self.rebuild_procs, multisegment=True, batchsize=200,
                                        limitmb=128, timeout=60.0, delay=0.05)
            else:
                writer = self._writer(timeout=60.0, limitmb=256)
            try:
                for doc in documents:
                    writer.add_document(**fields_for(doc))
                    count += 1
                writer.commit(mergetype=writing.CLEAR)
            except BaseException:
                writer.cancel()
                raise
            with self._lock:
                self._write_version()
                self.needs_rebuild = False
                self._forget()
        return count

    # --- querying ----------------------------------------------------------------------------

    def _group_docs(self, view: _View, group) -> frozenset[int]:
        # Every stem of the weighted fields is in `folded` too, folded: its set holds theirs.
        docs = view.term("folded", group.folded)
        for expansion in group.expansions:
            docs |= view.term("folded", expansion)
        return docs

    def _matches(self, view: _View, plan: Plan):
        """(posts with enough of the words, posts with all of them)."""
        if not plan.groups:
            docs = view.all_docs()
            return docs, docs
        sets = [self._group_docs(view, g) for g in plan.groups]
        if len(sets) == 1:
            return sets[0], sets[0]
        ordered = sorted(sets, key=len)
        every = set(ordered[0])
        for other in ordered[1:]:
            every &= other
            if not every:
                break
        need = plan.min_words or len(sets)
        if need >= len(sets):
            return every, every
        if need <= 1:
            return set().union(*sets), every
        counts = Counter(chain.from_iterable(sets))
        return {d for d, n in counts.items() if n >= need}, every

    def _passes(self, view: _View, plan: Plan) -> dict[str, tuple[frozenset[int], ...]]:
        """Each filter as the facet sets it allows (values within a facet are alternatives), live
        documents only. Kept apart: narrowing a set by each alternative costs less than building
        their union (three focus areas of a challenge: 40 000 documents at 100 000 posts)."""
        passes: dict[str, tuple[frozenset[int], ...]] = {}
        for name, values in plan.filters.items():
            sets = view.facet(name)
            passes[name] = tuple(sets[v] for v in values if v in sets) or (frozenset(),)
        if plan.org:
            passes["org"] = (view.facet("org").get(plan.org, frozenset()),)
        return passes

    @staticmethod
    def _narrow(docs, alternatives: tuple[frozenset[int], ...]):
        if len(alternatives) == 1:
            return docs & alternatives[0]
        return set().union(*(docs & alternative for alternative in alternatives))

    def _allowed(self, view: _View, matched, passes: dict[str, tuple[frozenset[int], ...]]):
        """The matched documents that pass every filter, narrowed from the smallest filter up.
        Browsing (no words) starts from a filter itself, not from every live document."""
        ordered = sorted(passes.values(), key=lambda alternatives: sum(map(len, alternatives)))
        if matched is view.all_docs() and ordered:
            first = ordered.pop(0)
            allowed = first[0] if len(first) == 1 else frozenset().union(*first)
        else:
            allowed = matched
        for alternatives in ordered:
            allowed = self._narrow(allowed, alternatives)
        return allowed

    def count(self, plan: Plan) -> int:
        view = self.view()
        matched, _every = self._matches(view, plan)
        return len(self._allowed(view, matched, self._passes(view, plan)))

    def execute(self, plan: Plan) -> Raw:
        view = self.view()
        matched, every = self._matches(view, plan)
        passes = self._passes(view, plan)
        if not (plan.count or plan.groups or plan.facets):
            walked = self._walk(view, plan, passes)
            if walked is not None:
                return walked
        allowed = self._allowed(view, matched, passes)
        complete = allowed if every is matched else allowed & every
        raw = Raw(total=len(allowed), complete=len(complete))

        if plan.facets:
            browse_key = None
            if not plan.groups:
                # Browsing (no words) repeats the same few filter sets: count them once per searcher.
                browse_key = (tuple(sorted(plan.filters.items())), plan.org)
                with view.lock:
                    cached = view.browse.get(browse_key)
                if cached is not None:
                    raw.facets = cached
            if not raw.facets:
                raw.facets = self._facet_counts(view, matched, passes, allowed)
                if browse_key is not None:
                    with view.lock:
                        view.browse[browse_key] = raw.facets
                        while len(view.browse) > 256:
                            view.browse.popitem(last=False)

        pages = max(1, -(-raw.total // plan.per_page))
        raw.page = min(plan.page, pages) if plan.clamp_page else plan.page
        offset = (raw.page - 1) * plan.per_page
        wanted = offset + plan.per_page
        if not allowed or offset >= raw.total:
            return raw

        if plan.sort == "relevance" and plan.groups:
            page_hits = self._ranked(view, plan, allowed, complete, offset, wanted)
        else:
            best = self._first_by(view, "copied" if plan.sort == "copied" else "newest", allowed, wanted)
            page_hits = [(d, 0.0) for d in best[offset:wanted]]
        for docnum, score in page_hits:
            raw.ids.append(view.post_id(docnum))
            raw.scores.append(float(score or 0.0))
        return raw

    @staticmethod
    def _walk(view: _View, plan: Plan, passes: dict[str, tuple[frozenset[int], ...]]) -> Raw | None:
        """Browsing for a caller that needs no count (a challenge's offers): the first hits by the
        sort key, found by walking the searcher's precomputed order and testing each document
        against the filters, without building the set of every document that passes.

        That set costs about the smallest filter's size for each other filter's alternative, then
        a sort (a challenge's offers in three focus areas at 100 000 posts: 10 000 offers tested
        against three areas, 4 000 sorted); the walk takes about wanted × all ÷ passing steps,
        estimated as if the filters were independent, each step a few look-ups in Python. None
        if the walk should cost more, or runs past twice its estimate (filters that seldom
        meet): the caller then builds the set.
        """
        everything = len(view.all_docs())
        if not passes or not everything:
            return None
        tests = sorted(passes.values(), key=lambda alternatives: sum(map(len, alternatives)))
        passing = float(everything)
        for alternatives in tests:
            passing *= min(1.0, sum(map(len, alternatives)) / everything)
        wanted = plan.page * plan.per_page
        steps_expected = wanted * everything / passing if passing else float("inf")
        smallest = sum(map(len, tests[0]))
        building = smallest * sum(len(alternatives) for alternatives in tests[1:]) + passing
        if steps_expected * WALK_STEP_COST > building:
            return None
        budget = 2 * steps_expected + wanted
        found: list[int] = []
        for steps, docnum in enumerate(view.order("copied" if plan.sort == "copied" else "newest")):
            for alternatives in tests:
                for docs in alternatives:
                    if docnum in docs:
                        break
                else:
                    break  # fails this filter
            else:
                found.append(docnum)
                if len(found) >= wanted:
                    break
                continue
            if steps > budget:
                return None
        offset = (plan.page - 1) * plan.per_page
        raw = Raw(total=len(found), complete=len(found), page=plan.page)
        raw.ids = [view.post_id(d) for d in found[offset:]]
        raw.scores = [0.0] * len(raw.ids)
        return raw

    @staticmethod
    def _first_by(view: _View, name: str, allowed, wanted: int) -> list[int]:
        """The first `wanted` of the allowed documents by a sort key.

        Walking the searcher's precomputed order finds them in about wanted × all ÷ allowed steps
        if the allowed are spread over time; sorting them costs about len(allowed) steps. The walk
        is tried when it should be cheaper and given up for sorting after 2 × len(allowed) steps
        (the allowed may all be old: a year's filter, an organisation that stopped posting).
        """
        if len(allowed) * len(allowed) > wanted * len(view.all_docs()):
            best: list[int] = []
            budget = 2 * len(allowed) + wanted
            for steps, docnum in enumerate(view.order(name)):
                if docnum in allowed:
                    best.append(docnum)
                    if len(best) >= wanted:
                        return best
                elif steps > budget:
                    break
            else:
                return best
        return heapq.nlargest(wanted, allowed, key=view.sort_keys(name).__getitem__)

    def _weights(self, view: _View, group) -> list[tuple[frozenset[int], float]]:
        """(documents, weight) for each indexed form of one search word: field boost × idf."""
        pairs = []
        for name, boost in EXACT_BOOSTS.items():
            docs = view.term(tf(name), group.stem)
            if docs:
                pairs.append((docs, boost * view.idf(docs)))
        docs = view.term("folded", group.folded)
        if docs:
            pairs.append((docs, FOLDED_BOOST * view.idf(docs)))
        for expansion in group.expansions:
            docs = view.term("folded", expansion)
            if docs:
                pairs.append((docs, EXPANSION_BOOST * view.idf(docs)))
        return pairs

    @staticmethod
    def _score(view: _View, candidates, pairs) -> dict[int, float]:
        tiebreak = view.tiebreak()
        scores = dict(zip(candidates, map(tiebreak.__getitem__, candidates)))
        for docs, weight in pairs:
            common = docs & candidates if len(docs) > len(candidates) else candidates & docs
            for docnum in common:
                scores[docnum] += weight
        boosts = view.boosts()
        if len(boosts) < len(scores):
            for docnum, boost in boosts.items():
                if docnum in scores:
                    scores[docnum] *= boost
        else:
            for docnum in scores:
                if docnum in boosts:
                    scores[docnum] *= boosts[docnum]
        return scores

    @staticmethod
    def _facet_counts(view: _View, matched, passes, allowed) -> dict[str, dict[str, int]]:
        facets = {}
        for name in FACET_FIELDS + ("org",):
            if name in passes:
                base = matched
                for other, alternatives in passes.items():
                    if other != name:
                        base = WhooshBackend._narrow(base, alternatives)
            else:
                base = allowed
            counts: dict[str, int] = {}
            if base and name in SINGLE_VALUED:
                # One pass over the documents (C speed) instead of one intersection per value.
                values, codes = view.codes(name)
                for code, n in Counter(map(codes.__getitem__, base)).items():
                    if code >= 0:
                        counts[values[code]] = n
            elif base:
                for value, docs in view.facet(name).items():
                    n = len(base & docs) if len(docs) > len(base) else len(docs & base)
                    if n:
                        counts[value] = n
            facets[name] = most_first(counts)
        return facets

    def _ranked(self, view: _View, plan: Plan, allowed, complete, offset: int, wanted: int):
        """Relevance: posts with every word first, then posts with some of them; within each, the
        sum over matched words of field boost × idf (title above summary above names above body;
        an exact form above a compound that contains it), times the featured/solved boost, ties
        to the newest. Set arithmetic instead of Whoosh's per-posting scoring loop."""
        pairs = [pair for group in plan.groups for pair in self._weights(view, group)]
        hits: list[tuple[int, float]] = []
        for tier in (complete, allowed - complete if len(complete) < len(allowed) else set()):
            if len(hits) >= wanted or not tier:
                continue
            scores = self._score(view, tier if isinstance(tier, (set, frozenset)) else set(tier), pairs)
            best = heapq.nlargest(wanted - len(hits), scores, key=scores.__getitem__)
            hits.extend((d, scores[d]) for d in best)
        return hits[offset:wanted]

    def similar(self, terms: dict[str, float], exclude: int | None, limit: int, areas: tuple[str, ...] = ()) -> list[int]:
        """Posts sharing the most telling of the terms: weight × idf summed, common terms left out."""
        if not terms:
            return []
        view = self.view()
        key = (tuple(sorted(terms.items())), exclude, limit, areas)
        with view.lock:
            if key in view.similar:
                return view.similar[key]
        # A word many posts have says little about likeness and costs the most to read: its
        # frequency, kept in the term dictionary, rules it out before its postings are read.
        common = max(SIMILAR_COMMON_FLOOR, len(view.all_docs()) // SIMILAR_COMMON_SHARE)
        pairs = []
        for folded, weight in terms.items():
            if (view.reader.doc_frequency("folded", folded) or 0) > common:
                continue
            docs = view.term("folded", folded)
            if docs:
                pairs.append((docs, weight * view.idf(docs)))
        candidates = set().union(*(docs for docs, _w in pairs)) if pairs else set()
        if exclude is not None:
            candidates -= set(view.term("id", str(exclude)))
        if areas:
            in_areas = view.facet("area")
            candidates &= set().union(*(in_areas.get(slug, frozenset()) for slug in areas))
        scores = self._score(view, candidates, pairs)
        best = heapq.nlargest(limit, scores, key=scores.__getitem__)
        found = [view.post_id(d) for d in best]
        with view.lock:
            view.similar[key] = found
            while len(view.similar) > 512:
                view.similar.popitem(last=False)
        return found

    # --- vocabulary --------------------------------------------------------------------------

    def _expand(self, field: str, prefix: str, limit: int) -> list[str]:
        """Indexed words that begin with `prefix`, kept per searcher: every query looks up the
        compounds of each of its words, and live search asks for the same words as they are typed."""
        view = self.view()
        key = (field, prefix, limit)
        cached = view.vocabulary.get(key)
        if cached is not None:
            return cached
        found = []
        try:
            for btext in view.reader.expand_prefix(field, prefix):
                found.append(btext.decode("utf-8") if isinstance(btext, bytes) else btext)
                if len(found) >= limit:
                    break
        except Exception:  # a field with no terms yet
            return []
        view.vocabulary.put(key, found)
        return found

    def with_prefix(self, folded: str, limit: int = 400) -> list[str]:
        return self._expand("folded", folded, limit)

    def with_suffix(self, folded: str, limit: int = 400) -> list[str]:
        # Reversed vocabularies are kept per segment in memory: a field of reversed words would
        # cost a posting per word per document.
        key = folded[::-1]
        found: dict[str, None] = {}
        for segment, _offset, _count in self.view().parts:
            terms = segment.reversed_terms
            i = bisect.bisect_left(terms, key)
            while i < len(terms) and terms[i].startswith(key) and len(found) < limit:
                found[terms[i][::-1]] = None
                i += 1
        return list(found)

    def known(self, folded_terms: Iterable[str]) -> set[str]:
        reader = self.view().reader
        return {t for t in folded_terms if ("folded", t) in reader}

    def document_frequency(self, folded: str) -> int | None:
        # "Liknande" asks for the frequency of 60 words per post page; they recur from post to post.
        view = self.view()
        found = view.frequencies.get(folded)
        if found is None:
            if len(view.frequencies) >= FREQUENCIES_KEPT:
                view.frequencies.clear()
            found = view.frequencies[folded] = view.reader.doc_frequency("folded", folded)
        return found

    def words_with_prefix(self, prefix: str, limit: int = 2000) -> list[tuple[str, int]]:
        """Stems as written in titles, summaries, tags and names (the spelling vocabulary)."""
        reader = self.view().reader
        found: dict[str, int] = {}
        for name in HEAD_BOOSTS:
            for word in self._expand(tf(name), prefix, limit):
                found[word] = found.get(word, 0) + reader.doc_frequency(tf(name), word)
        return list(found.items())

    def doc_count(self) -> int:
        return self.view().searcher.doc_count()

