"""Small builders shared by the challenge, social and notification tests (plain functions, not fixtures)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from hub.extensions import db
from hub.models import Answer, FocusArea, Notification, Post, utcnow


def area(slug: str = "mobilitet", name: str | None = None) -> FocusArea:
    found = db.session.scalar(sa.select(FocusArea).where(FocusArea.slug == slug))
    if found:
        return found
    found = FocusArea(slug=slug, name_sv=name or slug.title(), name_en=name or slug.title())
    db.session.add(found)
    db.session.commit()
    return found


def post(org, kind: str = "challenge", title: str = "Hur får vi fler att cykla till jobbet?", *,
         areas=(), state: str = "published", **fields) -> Post:
    defaults = {"challenge": "oppen", "solution": "genomford"}
    item = Post(
        kind=kind,
        title=title,
        summary=fields.pop("summary", "En kort sammanfattning."),
        body=fields.pop("body", "Brödtext."),
        body_html=fields.pop("body_html", "<p>Brödtext.</p>"),
        organisation_id=org.id,
        state=state,
        status=fields.pop("status", defaults.get(kind, "")),
        published_at=utcnow() if state == "published" else None,
        **fields,
    )
    item.focus_areas = list(areas)
    db.session.add(item)
    db.session.commit()
    return item


def answer(challenge, org, body: str = "Vi införde cykelförmån.", **fields) -> Answer:
    item = Answer(post_id=challenge.id, organisation_id=org.id, body=body, body_html=f"<p>{body}</p>", **fields)
    db.session.add(item)
    db.session.commit()
    return item


def notifications_for(user, kind: str | None = None) -> list[Notification]:
    query = sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query))


class StatementCounter:
    """Counts the SQL statements run while active (SQLAlchemy's before_cursor_execute)."""

    def __init__(self):
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        sa.event.listen(db.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        sa.event.remove(db.engine, "before_cursor_execute", self._record)

    def matching(self, text: str) -> list[str]:
        return [s for s in self.statements if text.lower() in s.lower()]


@pytest.fixture
def orgs(make_org):
    """Kristianstad asks; T-Kartor and Borås answer."""
    return (
        make_org("kristianstads-kommun", "Kristianstads kommun", kind="kommun"),
        make_org("t-kartor", "T-Kartor", kind="foretag"),
        make_org("boras-stad", "Borås Stad", kind="kommun", municipality="Borås"),
    )


@pytest.fixture
def people(orgs, make_user):
    asker, helper, third = orgs
    return (
        make_user("asker@kristianstad.se", org=asker),
        make_user("helper@tkartor.se", org=helper),
        make_user("third@boras.se", org=third),
    )
