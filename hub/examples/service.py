"""Good examples (Bra exempel) and Månadens exempel: what the hub holds up for others to copy."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import FocusArea, MonthlyExample, Organisation, Post, User, post_focus_areas, utcnow
from ..moderation import audit
from ..moderation.service import ModerationError, require_moderator
from ..moderation.audit import STOCKHOLM

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
CITATION_MAX = 500


def _public():
    return (Post.state == "published", Post.approval == "approved", Post.hidden.is_(False))


def featured_query(*, area: str = "", org_kind: str = ""):
    """Public featured solutions, newest pick first, optionally for one focus area or kind of actor."""
    query = (
        select(Post)
        .where(Post.featured.is_(True), Post.kind == "solution", *_public())
        .options(selectinload(Post.organisation), selectinload(Post.focus_areas))
        .order_by(Post.featured_at.desc(), Post.id.desc())
    )
    if area:
        query = query.where(
            Post.id.in_(
                select(post_focus_areas.c.post_id)
                .join(FocusArea, FocusArea.id == post_focus_areas.c.focus_area_id)
                .where(FocusArea.slug == area)
            )
        )
    if org_kind:
        query = query.where(Post.organisation_id.in_(select(Organisation.id).where(Organisation.kind == org_kind)))
    return query


def featured_areas() -> list[FocusArea]:
    """Focus areas that have at least one public good example (for the filter)."""
    ids = (
        select(post_focus_areas.c.focus_area_id)
        .join(Post, Post.id == post_focus_areas.c.post_id)
        .where(Post.featured.is_(True), Post.kind == "solution", *_public())
    )
    return list(db.session.scalars(select(FocusArea).where(FocusArea.id.in_(ids)).order_by(FocusArea.position)))


# --- Månadens exempel -------------------------------------------------------------------------


def current_month(now: datetime | None = None) -> str:
    """This month in Sweden, as YYYY-MM."""
    return (now or utcnow()).astimezone(STOCKHOLM).strftime("%Y-%m")


def parse_month(value: str | None) -> str | None:
    value = (value or "").strip()
    match = MONTH_RE.match(value)
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        return None
    return value


def month_date(month: str) -> date:
    year, mon = month.split("-")
    return date(int(year), int(mon), 1)


def _monthly_query():
    return (
        select(MonthlyExample)
        .join(Post, Post.id == MonthlyExample.post_id)
        .where(*_public())
        .options(selectinload(MonthlyExample.post).selectinload(Post.organisation))
    )


def highlight(now: datetime | None = None) -> MonthlyExample | None:
    """What leads the home page: this month's pick, else the latest earlier one still public."""
    return db.session.scalar(
        _monthly_query().where(MonthlyExample.month <= current_month(now)).order_by(MonthlyExample.month.desc()).limit(1)
    )


def archive() -> list[MonthlyExample]:
    """Every month's pick whose post is still public, newest month first."""
    return list(db.session.scalars(_monthly_query().order_by(MonthlyExample.month.desc())))


def pick_for(month: str) -> MonthlyExample | None:
    return db.session.scalar(select(MonthlyExample).where(MonthlyExample.month == month))


def pickable(post: Post) -> bool:
    return post.featured and post.kind == "solution" and post.is_public


def pick_monthly(actor: User, post: Post, month: str, citation: str) -> MonthlyExample:
    """Make a good example the month's example; changing a month's pick is audited as a change."""
    require_moderator(actor)
    if parse_month(month) is None:
        raise ModerationError(_("Ange månaden som ÅÅÅÅ-MM."))
    if not pickable(post):
        raise ModerationError(_("Bara publicerade Bra exempel kan bli Månadens exempel."))
    citation = (citation or "").strip()
    if not citation:
        raise ModerationError(_("Skriv en kort motivering."))
    if len(citation) > CITATION_MAX:
        raise ModerationError(_("Motiveringen får vara högst %(max)s tecken.", max=CITATION_MAX))
    existing = pick_for(month)
    if existing is None:
        entry = MonthlyExample(month=month, post_id=post.id, citation=citation, chosen_by_id=actor.id)
        db.session.add(entry)
        audit.record(actor, "monthly_pick", "post", post.id, f"{month}: {citation}")
    else:
        if existing.post_id == post.id and existing.citation == citation:
            raise ModerationError(_("Det här är redan månadens val."))
        previous = existing.post_id
        existing.post_id = post.id
        existing.citation = citation
        existing.chosen_by_id = actor.id
        existing.created_at = utcnow()
        entry = existing
        audit.record(actor, "monthly_change", "post", post.id,
                     f"{month}: {citation} (" + _("ersätter inlägg %(id)s", id=previous) + ")")
    try:
        db.session.commit()
    except IntegrityError:  # two moderators picking the same new month at once
        db.session.rollback()
        raise ModerationError(_("En annan moderator valde just ett exempel för den månaden. Försök igen.")) from None
    return entry
