"""The demo curation: good examples with complete kits, monthly picks and an open report."""

from __future__ import annotations

import moderation_helpers as h
import sqlalchemy as sa

from hub.examples import service as examples
from hub.extensions import db
from hub.models import MonthlyExample, Post, Report, User
from hub.moderation.service import missing_kit


def _seed(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def test_the_demo_has_curated_examples_picks_and_a_report(app, client):
    _seed(app)
    chosen = db.session.scalars(sa.select(Post).where(Post.featured.is_(True))).all()
    assert 3 <= len(chosen) <= 5
    assert all(p.kind == "solution" and p.is_public and p.featured_reason and not missing_kit(p) for p in chosen)
    assert len({p.organisation_id for p in chosen}) == len(chosen)  # one per organisation

    picks = db.session.scalars(sa.select(MonthlyExample).order_by(MonthlyExample.month.desc())).all()
    assert picks[0].month == examples.current_month()
    assert len(picks) >= 2 and all(p.post.featured and p.citation for p in picks)
    assert examples.highlight().month == examples.current_month()
    assert len(h.audit_entries("feature")) == len(chosen)

    [report] = db.session.scalars(sa.select(Report)).all()
    assert report.resolved_at is None
    assert report.user.organisation_id != db.session.get(Post, report.target_id).organisation_id

    home = client.get("/").get_data(as_text=True)
    assert "Månadens exempel" in home and picks[0].post.title in home
    assert "bra exempel" in client.get("/examples/").get_data(as_text=True)

    moderator = db.session.scalar(sa.select(User).where(User.role == "moderator"))
    with client.session_transaction() as session:
        session["_user_id"] = moderator.get_id()
        session["second_factor_done"] = True
    queue = client.get("/moderation/").get_data(as_text=True)
    assert db.session.get(Post, report.target_id).title in queue

    _seed(app)  # again: nothing changes
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Post).where(Post.featured.is_(True))) == len(chosen)
    assert db.session.scalar(sa.select(sa.func.count(MonthlyExample.id))) == len(picks)
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 1
