"""A user's own notifications: reading the list and marking it read."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import NotFound

from ..extensions import db
from ..models import Notification, User, utcnow
from ..urls import MAX_ID

PER_PAGE = 30


def for_user(user: User, page: int = 1, per_page: int = PER_PAGE) -> tuple[list[Notification], int]:
    """One page of the user's notifications, newest first, and how many there are in all."""
    query = select(Notification).where(Notification.user_id == user.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.order_by(Notification.created_at.desc(), Notification.id.desc())
        .options(joinedload(Notification.post), joinedload(Notification.actor_organisation))
        .limit(per_page)
        .offset((max(1, page) - 1) * per_page)
    )
    return list(rows), total


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count()).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ) or 0


def get_own(user: User, notification_id: int) -> Notification:
    """The user's own notification; anyone else's is not found."""
    notification = db.session.get(Notification, notification_id) if 0 < notification_id <= MAX_ID else None
    if notification is None or notification.user_id != user.id:
        raise NotFound()
    return notification


def mark_read(user: User, notification_id: int) -> Notification:
    notification = get_own(user, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount or 0
