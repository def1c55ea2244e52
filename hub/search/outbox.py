"""The durable outbox between a save and the index.

A flush that changes what a post's index entry holds (the post itself, its focus areas, tags,
publication, moderation; its organisation's name; a focus area's name; a copy of it) writes
SearchOutbox rows in the same transaction as the change, so the work cannot be lost. After the
commit the outbox is drained in a separate session: the index follows the database, and an index
failure never fails the user's save; the rows stay with attempts + 1 and the error for the next
drain: the next save, `flask --app hub search drain`, or a timer of the process that saw the
failure (HUB_SEARCH_RETRY_SECONDS, doubling while it goes on), so a quiet hub catches up too.
"""

from __future__ import annotations

import logging
import threading

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import FocusArea, Organisation, Post, SearchOutbox, post_focus_areas, utcnow

log = logging.getLogger("hub.search")

PENDING = "hub_search_pending"
BATCH = 500
MAX_BATCHES = 20
# Serialises drains across processes on PostgreSQL, so an older read never overwrites a newer one.
ADVISORY_LOCK = 0x6B6C696D  # "klim"
RETRY_MAX_S = 600.0
RETRY = "hub_search_retry"

POST_ATTRIBUTES = (
    "kind", "title", "summary", "body", "tags", "organisation_id", "state", "approval", "hidden",
    "featured", "status", "published_at", "created_at", "focus_areas", "copied_from_id",
    "prerequisites", "do_differently", "tried", "help_wanted",
)
ORGANISATION_ATTRIBUTES = ("name", "slug", "kind", "municipality")
AREA_ATTRIBUTES = ("name_sv", "name_en", "slug")


def _changed(obj, attributes) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in attributes)


def _copy_sources(post: Post) -> set[int]:
    """The post's source before and after the change: its count of copies changes too."""
    sources: set[int] = {post.copied_from_id} if post.copied_from_id else set()
    history = inspect(post).attrs.copied_from_id.history
    for value in (*history.added, *history.unchanged, *history.deleted):
        if value:
            sources.add(value)
    return sources


def _after_flush(session: Session, _context) -> None:
    if not has_app_context() or "hub_search" not in current_app.extensions:
        return
    posts: set[int] = set()
    organisations: set[int] = set()
    areas: set[int] = set()
    for obj in session.new:
        if isinstance(obj, Post):
            posts.add(obj.id)
            posts |= _copy_sources(obj)
    for obj in session.dirty:
        if isinstance(obj, Post) and _changed(obj, POST_ATTRIBUTES):
            posts.add(obj.id)
            posts |= _copy_sources(obj)
        elif isinstance(obj, Organisation) and obj.id and _changed(obj, ORGANISATION_ATTRIBUTES):
            organisations.add(obj.id)
        elif isinstance(obj, FocusArea) and obj.id and _changed(obj, AREA_ATTRIBUTES):
            areas.add(obj.id)
    for obj in session.deleted:
        if isinstance(obj, Post):
            posts.add(obj.id)
            posts |= _copy_sources(obj)
    posts.discard(None)
    if not (posts or organisations or areas):
        return
    connection = session.connection()
    table = SearchOutbox.__table__
    now = utcnow()
    if posts:
        connection.execute(
            table.insert(), [{"post_id": i, "attempts": 0, "last_error": "", "created_at": now} for i in sorted(posts)]
        )
    columns = [table.c.post_id, table.c.attempts, table.c.last_error, table.c.created_at]
    constants = [sa.literal(0), sa.literal(""), sa.literal(now, sa.DateTime(timezone=True))]
    if organisations:
        select = sa.select(Post.id, *constants).where(Post.organisation_id.in_(organisations))
        connection.execute(table.insert().from_select(columns, select))
    if areas:
        select = sa.select(post_focus_areas.c.post_id, *constants).where(
            post_focus_areas.c.focus_area_id.in_(areas)
        )
        connection.execute(table.insert().from_select(columns, select))
    session.info[PENDING] = True


def _after_commit(session: Session) -> None:
    if not session.info.pop(PENDING, False):
        return
    if not has_app_context():
        return
    app = current_app._get_current_object()
    try:
        failed = drain(app)["failed"]
    except Exception:  # never the user's problem: the rows stay for the next drain
        log.exception("Search outbox drain failed after a commit.")
        failed = 1
    if failed:
        retry_later(app)


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


_registered = False


def register() -> None:
    """Listen to the app's sessions (once per process; the drain's own sessions are not listened to)."""
    global _registered
    if _registered:
        return
    event.listen(AppSession, "after_flush", _after_flush)
    event.listen(AppSession, "after_commit", _after_commit)
    event.listen(AppSession, "after_rollback", _after_rollback)
    _registered = True


def pending(session: Session | None = None) -> int:
    session = session or db.session
    return session.scalar(sa.select(sa.func.count()).select_from(SearchOutbox)) or 0


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


def _apply(service, session: Session, post_ids: list[int]) -> dict[int, str]:
    """Index the posts; returns the error per post that could not be indexed."""
    try:
        service.sync(session, post_ids)
        return {}
    except Exception as error:
        if len(post_ids) == 1:
            return {post_ids[0]: _describe(error)}
        log.warning("Search index update failed (%s); retrying post by post.", error)
    # Find the posts that fail on their own, so one bad post cannot block the rest.
    errors = {}
    for post_id in post_ids:
        try:
            service.sync(session, [post_id])
        except Exception as error:
            errors[post_id] = _describe(error)
    return errors


def drain(app: Flask) -> dict:
    """Apply the outbox to the index; returns {"done": rows, "failed": rows}."""
    service = app.extensions["hub_search"]
    service.ensure_ready()
    done = failed = 0
    seen_failed: set[int] = set()
    for _batch in range(MAX_BATCHES):
        with Session(db.engine) as session:
            if session.bind.dialect.name == "postgresql":
                session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
            stmt = sa.select(SearchOutbox.id, SearchOutbox.post_id).order_by(SearchOutbox.id).limit(BATCH)
            if seen_failed:
                stmt = stmt.where(SearchOutbox.id.not_in(seen_failed))
            rows = session.execute(stmt).all()
            if not rows:
                session.commit()
                break
            row_ids = [r.id for r in rows]
            post_ids = sorted({r.post_id for r in rows})
            errors = _apply(service, session, post_ids)
            ok_rows = [r.id for r in rows if r.post_id not in errors]
            bad_rows = [r.id for r in rows if r.post_id in errors]
            if ok_rows:
                session.execute(sa.delete(SearchOutbox).where(SearchOutbox.id.in_(ok_rows)))
            for post_id, message in errors.items():
                session.execute(
                    sa.update(SearchOutbox)
                    .where(SearchOutbox.id.in_(bad_rows), SearchOutbox.post_id == post_id)
                    .values(attempts=SearchOutbox.attempts + 1, last_error=message)
                )
                log.warning("Search index update for post %s failed: %s", post_id, message)
            session.commit()
            done += len(ok_rows)
            failed += len(bad_rows)
            seen_failed.update(bad_rows)
            if len(row_ids) < BATCH:
                break
    return {"done": done, "failed": failed}


# --- retrying on a timer ------------------------------------------------------------------------


class _Retry:
    """One pending retry per process and app, with its delay (doubled after each failed retry)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        self.delay = 0.0


def retry_later(app: Flask) -> None:
    """Drain again after a while, unless a retry is pending already (HUB_SEARCH_RETRY_SECONDS;
    0 leaves it to the next save or the CLI)."""
    first = float(app.config.get("HUB_SEARCH_RETRY_SECONDS") or 0)
    if first <= 0:
        return
    state = app.extensions.setdefault(RETRY, _Retry())
    with state.lock:
        if state.timer is not None and state.timer.is_alive():
            return
        state.delay = min(RETRY_MAX_S, state.delay * 2 if state.delay else first)
        state.timer = threading.Timer(state.delay, _retry, args=(app, state))
        state.timer.daemon = True
        state.timer.start()
    log.info("Search outbox: trying the failed index work again in %.0f s.", state.delay)


def _retry(app: Flask, state: _Retry) -> None:
    with app.app_context():
        try:
            failed = drain(app)["failed"]
        except Exception:
            log.exception("Search outbox retry failed.")
            failed = 1
    with state.lock:
        state.timer = None
        if not failed:
            state.delay = 0.0
    if failed:
        retry_later(app)
