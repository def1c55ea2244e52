"""Announce a post to the followers of its focus areas and organisation when it becomes public.

A post becomes public on several paths (publishing, a moderator's approval under
premoderation, a restore after hiding), so this listens to the session rather than asking each
service to remember a call: any flush that leaves a post public after its state, approval or
hidden flag changed queues it, and the notifications are inserted just before the commit, in
the same transaction. `announce_post` sends once per post, so republishing is quiet.
"""

from __future__ import annotations

from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ..models import Post

QUEUE = "hub_announce_posts"
VISIBILITY = ("state", "approval", "hidden")


def _became_public(post: Post, is_new: bool) -> bool:
    if not post.is_public:
        return False
    if is_new:
        return True
    attrs = inspect(post).attrs
    return any(attrs[name].history.has_changes() for name in VISIBILITY)


def _before_flush(session: Session, _context, _instances) -> None:
    queued = [p for p in session.new if isinstance(p, Post) and _became_public(p, True)]
    queued += [p for p in session.dirty if isinstance(p, Post) and _became_public(p, False)]
    if queued:
        session.info.setdefault(QUEUE, []).extend(queued)


def _before_commit(session: Session) -> None:
    # Commit flushes only after this event, so flush now to see what this commit makes public.
    session.flush()
    if not session.info.get(QUEUE):
        return
    from .service import announce_post

    posts = session.info.pop(QUEUE, [])
    seen: set[int] = set()
    for post in posts:
        if post.id is not None and post.id not in seen and post.is_public:
            seen.add(post.id)
            announce_post(post)


def _after_rollback(session: Session) -> None:
    session.info.pop(QUEUE, None)


_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    event.listen(AppSession, "before_flush", _before_flush)
    event.listen(AppSession, "before_commit", _before_commit)
    event.listen(AppSession, "after_rollback", _after_rollback)
    _registered = True
