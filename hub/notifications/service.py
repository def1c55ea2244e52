"""Notification fan-out: one INSERT … SELECT per event, never a query per recipient."""

from __future__ import annotations

from sqlalchemy import and_, insert, literal, select

from ..extensions import db
from ..models import Follow, Notification, User, utcnow


def _insert_for(recipients, *, kind: str, post_id: int | None, actor_organisation_id: int | None,
                text: str, message_id: int | None = None) -> None:
    """Insert one notification per row of `recipients` (a select of user ids) in one statement."""
    rows = select(
        recipients.c.user_id,
        literal(kind),
        literal(post_id),
        literal(message_id),
        literal(actor_organisation_id),
        literal(text),
        literal(utcnow()),
    )
    db.session.execute(
        insert(Notification).from_select(
            ["user_id", "kind", "post_id", "message_id", "actor_organisation_id", "text", "created_at"], rows
        )
    )


def notify_organisation(organisation_id: int, kind: str, *, post_id: int | None = None,
                        actor_organisation_id: int | None = None, text: str = "",
                        message_id: int | None = None, exclude_user_id: int | None = None) -> None:
    """Tell every active member of an organisation (the caller commits)."""
    members = select(User.id.label("user_id")).where(
        User.organisation_id == organisation_id, User.active.is_(True)
    )
    if exclude_user_id is not None:
        members = members.where(User.id != exclude_user_id)
    _insert_for(members.subquery(), kind=kind, post_id=post_id, actor_organisation_id=actor_organisation_id,
                text=text, message_id=message_id)


def notify_followers(target_type: str, target_ids: list[int], kind: str, *, post_id: int | None = None,
                     actor_organisation_id: int | None = None, text: str = "",
                     exclude_organisation_id: int | None = None) -> None:
    """Tell everyone who follows any of the targets, once each (the caller commits)."""
    if not target_ids:
        return
    followers = (
        select(Follow.user_id.label("user_id"))
        .join(User, and_(User.id == Follow.user_id, User.active.is_(True)))
        .where(Follow.target_type == target_type, Follow.target_id.in_(target_ids))
        .distinct()
    )
    if exclude_organisation_id is not None:
        followers = followers.where(User.organisation_id != exclude_organisation_id)
    _insert_for(followers.subquery(), kind=kind, post_id=post_id, actor_organisation_id=actor_organisation_id,
                text=text)


def notify_moderators(kind: str, *, post_id: int | None = None, text: str = "") -> None:
    """Tell every active moderator and admin (the caller commits)."""
    moderators = select(User.id.label("user_id")).where(
        User.role.in_(("moderator", "admin")), User.active.is_(True)
    )
    _insert_for(moderators.subquery(), kind=kind, post_id=post_id, actor_organisation_id=None, text=text)
