"""Notification fan-out: one INSERT … SELECT per event, never a query per recipient.

An event names its recipients as selects of user ids (`members`, `followers`, `moderators`);
`notify` unions them, so someone who is both a member and a follower hears about it once.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import g, has_app_context
from sqlalchemy import (
    DateTime,
    Integer,
    Select,
    String,
    and_,
    exists,
    insert,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Follow, Notification, User, utcnow


def members(organisation_id: int, *, exclude_user_id: int | None = None) -> Select:
    """Active members of an organisation, as a select of user ids."""
    query = select(User.id.label("user_id")).where(
        User.organisation_id == organisation_id, User.active.is_(True)
    )
    if exclude_user_id is not None:
        query = query.where(User.id != exclude_user_id)
    return query


def followers(targets: dict[str, Iterable[int]], *, exclude_organisation_id: int | None = None) -> Select | None:
    """Active users following any of the targets ({"area": [1, 2], "post": [7]}), or None for none."""
    conditions = [
        and_(Follow.target_type == target_type, Follow.target_id.in_(list(ids)))
        for target_type, ids in targets.items()
        if ids
    ]
    if not conditions:
        return None
    query = (
        select(Follow.user_id.label("user_id"))
        .join(User, and_(User.id == Follow.user_id, User.active.is_(True)))
        .where(or_(*conditions))
    )
    if exclude_organisation_id is not None:
        query = query.where(User.organisation_id != exclude_organisation_id)
    return query


def moderators() -> Select:
    return select(User.id.label("user_id")).where(User.role.in_(("moderator", "admin")), User.active.is_(True))


def notify(recipients: Iterable[Select | None], kind: str, *, post_id: int | None = None,
           actor_organisation_id: int | None = None, text: str = "", message_id: int | None = None,
           exclude_user_id: int | None = None, once_per_post: bool = False) -> None:
    """Insert one notification per distinct recipient in ONE statement (the caller commits).

    once_per_post: skip entirely when a notification of this kind about this post already exists
    (a post announced on publishing is not announced again after unpublish and republish).
    """
    parts = [r for r in recipients if r is not None]
    if not parts:
        return
    combined = (parts[0] if len(parts) == 1 else union(*parts)).subquery()
    people = select(combined.c.user_id).distinct()
    if exclude_user_id is not None:
        people = people.where(combined.c.user_id != exclude_user_id)
    people = people.subquery()
    # Typed literals: PostgreSQL cannot infer the type of a bare NULL parameter in a SELECT list
    # (the psycopg dialect renders them with a cast); SQLite stores them as given.
    rows = select(
        people.c.user_id,
        literal(kind, String),
        literal(post_id, Integer),
        literal(message_id, Integer),
        literal(actor_organisation_id, Integer),
        literal(text[:300], String),
        literal(utcnow(), DateTime(timezone=True)),
    )
    if once_per_post and post_id is not None:
        earlier = aliased(Notification)
        rows = rows.where(~exists().where(earlier.kind == kind, earlier.post_id == post_id).correlate(None))
    db.session.execute(
        insert(Notification).from_select(
            ["user_id", "kind", "post_id", "message_id", "actor_organisation_id", "text", "created_at"], rows
        )
    )
    if has_app_context():
        # After the response, mail whoever chose immediate e-mail (see hub/notifications/hooks.py).
        g.hub_notifications_created = True


def notify_organisation(organisation_id: int, kind: str, *, post_id: int | None = None,
                        actor_organisation_id: int | None = None, text: str = "",
                        message_id: int | None = None, exclude_user_id: int | None = None) -> None:
    """Tell every active member of an organisation (the caller commits)."""
    notify([members(organisation_id, exclude_user_id=exclude_user_id)], kind, post_id=post_id,
           actor_organisation_id=actor_organisation_id, text=text, message_id=message_id)


def notify_followers(target_type: str, target_ids: list[int], kind: str, *, post_id: int | None = None,
                     actor_organisation_id: int | None = None, text: str = "",
                     exclude_organisation_id: int | None = None) -> None:
    """Tell everyone who follows any of the targets, once each (the caller commits)."""
    notify([followers({target_type: target_ids}, exclude_organisation_id=exclude_organisation_id)], kind,
           post_id=post_id, actor_organisation_id=actor_organisation_id, text=text)


def notify_moderators(kind: str, *, post_id: int | None = None, text: str = "") -> None:
    """Tell every active moderator and admin (the caller commits)."""
    notify([moderators()], kind, post_id=post_id, text=text)

