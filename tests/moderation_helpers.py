"""Builders shared by the moderation and good-example tests (plain functions, not fixtures)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from hub.extensions import db
from hub.models import Answer, AuditEntry, FocusArea, Notification, Post, Report, utcnow

KIT = {
    "reduction_tonnes": 40.0,
    "reduction_period": "per_year",
    "estimation_method": "emission_factor",
    "estimation_source": "Naturvårdsverkets emissionsfaktorer 2024",
    "cost_band": "100k_1m",
    "lead_time": "3_12m",
    "prerequisites": "En upphandlare och en samverkansgrupp med fastighetsägarna.",
    "contact_enabled": True,
}


def area(slug: str = "mobilitet", name: str | None = None) -> FocusArea:
    found = db.session.scalar(sa.select(FocusArea).where(FocusArea.slug == slug))
    if found:
        return found
    found = FocusArea(slug=slug, name_sv=name or slug.title(), name_en=name or slug.title())
    db.session.add(found)
    db.session.commit()
    return found


def post(org, title: str = "Klimatsmart upphandling av arbetsmaskiner", *, kind: str = "solution",
         state: str = "published", approval: str = "approved", kit: bool = True, areas=(), author=None,
         **fields) -> Post:
    values = dict(KIT) if kit and kind == "solution" else {}
    values.update(fields)
    item = Post(
        kind=kind,
        title=title,
        summary=values.pop("summary", "Så ställde vi krav på fossilfria arbetsmaskiner."),
        body=values.pop("body", "Vi började med en marknadsdialog."),
        body_html=values.pop("body_html", "<p>Vi började med en marknadsdialog.</p>"),
        organisation_id=org.id,
        author_id=author.id if author else None,
        state=state,
        approval=approval,
        status=values.pop("status", {"solution": "genomford", "challenge": "oppen"}.get(kind, "")),
        published_at=utcnow() if state == "published" else None,
        **values,
    )
    item.focus_areas = list(areas)
    db.session.add(item)
    db.session.commit()
    return item


def age(item: Post, months: int) -> Post:
    """Pretend the post was last updated `months` months ago."""
    item.updated_at = utcnow() - timedelta(days=31 * months)
    db.session.commit()
    return item


def answer(challenge, org, body: str = "Vi införde cykelförmån för alla anställda.", **fields) -> Answer:
    item = Answer(post_id=challenge.id, organisation_id=org.id, body=body, body_html=f"<p>{body}</p>", **fields)
    db.session.add(item)
    db.session.commit()
    return item


def reports_for(target_type: str, target_id: int) -> list[Report]:
    return list(db.session.scalars(
        sa.select(Report).where(Report.target_type == target_type, Report.target_id == target_id).order_by(Report.id)
    ))


def audit_entries(action: str | None = None) -> list[AuditEntry]:
    query = sa.select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def notifications_for(user, kind: str | None = None) -> list[Notification]:
    query = sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query))


def fresh(item):
    """The row as the database has it now (after a request changed it)."""
    db.session.expire_all()
    return db.session.get(type(item), item.id)
