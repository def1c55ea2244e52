"""Following focus areas, organisations and challenges; messages between organisations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden, NotFound

from ..extensions import db
from ..models import (
    FOLLOW_TARGETS,
    FocusArea,
    Follow,
    Message,
    Organisation,
    Post,
    User,
)
from ..notifications import service as notifications
from ..urls import parse_id

SUBJECT_MAX = 200
MESSAGE_MAX = 5000


# --- following ------------------------------------------------------------------------------


def follow_target(target_type: str | None, target_id) -> FocusArea | Organisation | Post:
    """What a follow points at: a focus area, an organisation or a public challenge; else 404."""
    ident = parse_id(target_id)
    if target_type not in FOLLOW_TARGETS or ident is None:
        raise NotFound()
    if target_type == "area":
        target = db.session.get(FocusArea, ident)
    elif target_type == "organisation":
        target = db.session.get(Organisation, ident)
    else:
        target = db.session.get(Post, ident)
        if target is not None and (target.kind != "challenge" or not target.is_public):
            target = None
    if target is None:
        raise NotFound()
    return target


def _require_user(user: User | None) -> User:
    if not (user and user.is_authenticated):
        raise Forbidden()
    return user


def is_following(user: User | None, target_type: str, target_id: int) -> bool:
    if not (user and user.is_authenticated):
        return False
    return db.session.scalar(
        select(Follow.id).where(
            Follow.user_id == user.id, Follow.target_type == target_type, Follow.target_id == target_id
        )
    ) is not None


def follower_count(target_type: str, target_id: int) -> int:
    return db.session.scalar(
        select(func.count(Follow.id)).where(Follow.target_type == target_type, Follow.target_id == target_id)
    ) or 0


def follow(user: User, target_type: str | None, target_id) -> Follow:
    """Follow a target; following twice is the same as once."""
    user = _require_user(user)
    target = follow_target(target_type, target_id)
    existing = db.session.scalar(
        select(Follow).where(Follow.user_id == user.id, Follow.target_type == target_type,
                             Follow.target_id == target.id)
    )
    if existing is not None:
        return existing
    record = Follow(user_id=user.id, target_type=target_type, target_id=target.id)
    db.session.add(record)
    try:
        db.session.commit()
    except IntegrityError:  # a double click raced us to it
        db.session.rollback()
        return db.session.scalar(
            select(Follow).where(Follow.user_id == user.id, Follow.target_type == target_type,
                                 Follow.target_id == target.id)
        )
    return record


def unfollow(user: User, target_type: str | None, target_id) -> None:
    user = _require_user(user)
    ident = parse_id(target_id)
    if target_type not in FOLLOW_TARGETS or ident is None:
        raise NotFound()
    db.session.execute(
        Follow.__table__.delete().where(
            Follow.user_id == user.id, Follow.target_type == target_type, Follow.target_id == ident
        )
    )
    db.session.commit()


def followed_by(user: User) -> dict[str, list]:
    """What a user follows, grouped by kind of target, for their own overview."""
    rows = db.session.execute(
        select(Follow.target_type, Follow.target_id).where(Follow.user_id == user.id).order_by(Follow.created_at)
    ).all()
    ids: dict[str, list[int]] = {kind: [] for kind in FOLLOW_TARGETS}
    for target_type, target_id in rows:
        ids.setdefault(target_type, []).append(target_id)
    result: dict[str, list] = {"area": [], "organisation": [], "post": []}
    if ids["area"]:
        result["area"] = list(db.session.scalars(
            select(FocusArea).where(FocusArea.id.in_(ids["area"])).order_by(FocusArea.position)))
    if ids["organisation"]:
        result["organisation"] = list(db.session.scalars(
            select(Organisation).where(Organisation.id.in_(ids["organisation"])).order_by(Organisation.name)))
    if ids["post"]:
        result["post"] = [
            p for p in db.session.scalars(select(Post).where(Post.id.in_(ids["post"])).order_by(Post.title))
            if p.is_public
        ]
    return result


def announce_post(post: Post) -> None:
    """A post became public: tell the followers of its focus areas and its organisation, once.

    One statement, whatever the number of followers; a post that is unpublished and published
    again is not announced twice. The caller commits.
    """
    if not post.is_public:
        return
    notifications.notify(
        [
            notifications.followers(
                {"area": [a.id for a in post.focus_areas], "organisation": [post.organisation_id]},
                exclude_organisation_id=post.organisation_id,
            )
        ],
        "new_post",
        post_id=post.id,
        actor_organisation_id=post.organisation_id,
        once_per_post=True,
    )


# --- messages -------------------------------------------------------------------------------


class MessageError(ValueError):
    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


def recipient(slug: str | None) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == (slug or "")[:80])) \
        if slug else None
    if organisation is None:
        raise NotFound()
    return organisation


def recipients(user: User) -> list[Organisation]:
    """Every organisation the user's organisation may write to: all but itself, by name."""
    return list(db.session.scalars(
        select(Organisation).where(Organisation.id != user.organisation_id).order_by(Organisation.name)
    ))


def context_post(post_id) -> Post | None:
    """The public post a message is about, or None (garbage and unpublished posts are dropped)."""
    ident = parse_id(post_id)
    if ident is None:
        return None
    post = db.session.get(Post, ident)
    return post if post is not None and post.is_public else None


def can_contact(user: User | None, post: Post) -> bool:
    """Whether "Kontakta organisationen" is offered on a post, and a message about it may go to its organisation.

    Never to one's own organisation. A post that takes no questions (contact_enabled off) refuses
    them, except in a conversation about it that its organisation began or answered.
    """
    signed_in = bool(user and user.is_authenticated)
    if signed_in and user.organisation_id == post.organisation_id:
        return False
    if post.contact_enabled:
        return True
    return signed_in and db.session.scalar(
        select(Message.id).where(
            Message.post_id == post.id,
            Message.sender_organisation_id == post.organisation_id,
            Message.recipient_organisation_id == user.organisation_id,
        ).limit(1)
    ) is not None


def refuses_questions(user: User, to: Organisation, post: Post | None) -> bool:
    """Whether a message to `to` about `post` is a question its organisation does not take."""
    return post is not None and post.organisation_id == to.id and not can_contact(user, post)


def send_message(user: User, to: Organisation, subject: str, body: str, post: Post | None = None) -> Message:
    """Send a message to another organisation's members through the hub and notify them."""
    user = _require_user(user)
    if to.id == user.organisation_id:
        raise Forbidden(_l("Ni kan inte skicka ett meddelande till er egen organisation."))
    if refuses_questions(user, to, post):
        raise MessageError("body", _l("Organisationen tar inte emot frågor om inlägget just nu."))
    subject = " ".join((subject or "").split())
    body = (body or "").strip()
    if not subject:
        raise MessageError("subject", _l("Skriv en rubrik."))
    if len(subject) > SUBJECT_MAX:
        raise MessageError("subject", _l("Rubriken får vara högst %(max)s tecken.", max=SUBJECT_MAX))
    if not body:
        raise MessageError("body", _l("Skriv ett meddelande."))
    if len(body) > MESSAGE_MAX:
        raise MessageError("body", _l("Meddelandet får vara högst %(max)s tecken.", max=MESSAGE_MAX))
    message = Message(
        sender_id=user.id,
        sender_organisation_id=user.organisation_id,
        recipient_organisation_id=to.id,
        post_id=post.id if post is not None and post.is_public else None,
        subject=subject,
        body=body,
    )
    db.session.add(message)
    db.session.flush()
    notifications.notify_organisation(
        to.id, "message", message_id=message.id, post_id=message.post_id,
        actor_organisation_id=user.organisation_id, text=subject,
    )
    db.session.commit()
    return message


def mailbox(user: User):
    """A select of the messages sent or received by the user's organisation, newest first."""
    user = _require_user(user)
    return (
        select(Message)
        .where(or_(Message.sender_organisation_id == user.organisation_id,
                   Message.recipient_organisation_id == user.organisation_id))
        .options(selectinload(Message.sender_organisation), selectinload(Message.recipient_organisation),
                 selectinload(Message.post))
        .order_by(Message.created_at.desc(), Message.id.desc())
    )


def get_message(message_id, user: User) -> Message:
    """A message, only for the members of its two organisations (404 for everyone else)."""
    user = _require_user(user)
    ident = parse_id(message_id)
    message = db.session.get(Message, ident) if ident else None
    if message is None or user.organisation_id not in (
        message.sender_organisation_id, message.recipient_organisation_id
    ):
        raise NotFound()
    return message


def other_organisation(message: Message, user: User) -> Organisation:
    """The organisation on the other side of a message, seen from the user's."""
    if message.sender_organisation_id == user.organisation_id:
        return message.recipient_organisation
    return message.sender_organisation
