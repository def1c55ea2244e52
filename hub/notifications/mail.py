"""Notifications by e-mail: one mail per notification ("immediate") or a daily digest ("daily").

Without MAIL_SERVER nothing is sent and nothing is marked, so turning mail on later starts
cleanly. Each notification is claimed with a conditional UPDATE before it is sent, so two
workers (or a request and the cron job) never mail the same notification twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from .. import mail
from ..extensions import db
from ..models import Notification, User, utcnow
from .texts import describe, target

log = logging.getLogger(__name__)

# Older notifications are not mailed "immediately" after the fact (e.g. when a user switches modes).
IMMEDIATE_WINDOW = timedelta(days=1)
DIGEST_WINDOW = timedelta(days=7)
DIGEST_LIMIT = 50


def _absolute(path: str | None) -> str:
    if not path:
        return ""
    base = current_app.config.get("HUB_BASE_URL") or "http://localhost:5000"
    return base.rstrip("/") + path


def _url_context():
    """url_for needs a request; the CLI has none, so build URLs under the configured base."""
    base = current_app.config.get("HUB_BASE_URL") or "http://localhost:5000"
    return current_app.test_request_context("/", base_url=base)


def _claim(note_ids: list[int]) -> list[int]:
    """Mark notifications as mailed; returns the ids this caller won (the others were taken)."""
    won = []
    now = utcnow()
    for note_id in note_ids:
        result = db.session.execute(
            update(Notification)
            .where(Notification.id == note_id, Notification.emailed_at.is_(None))
            .values(emailed_at=now)
        )
        if result.rowcount:
            won.append(note_id)
    db.session.commit()
    return won


def _pending(mode: str, window: timedelta):
    return (
        select(Notification)
        .join(User, User.id == Notification.user_id)
        .where(
            User.email_mode == mode,
            User.active.is_(True),
            Notification.emailed_at.is_(None),
            Notification.read_at.is_(None),
            Notification.created_at >= utcnow() - window,
        )
        .options(selectinload(Notification.post), selectinload(Notification.actor_organisation))
        .order_by(Notification.user_id, Notification.created_at, Notification.id)
    )


def _body(lines: list[str]) -> str:
    footer = _("Du får det här brevet eftersom du har valt e-post om notiser i Klimathubben. "
               "Du ändrar det på ditt konto: %(url)s", url=_absolute(_account_path()))
    return "\n".join(lines + ["", "-- ", footer]) + "\n"


def _account_path() -> str:
    from flask import url_for
    from werkzeug.routing import BuildError

    for endpoint in ("auth.account", "notifications.index"):
        try:
            return url_for(endpoint)
        except BuildError:
            continue
    return "/"


def send_immediate() -> int:
    """Mail each new notification to users who chose immediate e-mail; returns how many were sent."""
    if not mail.mail_configured():
        return 0
    sent = 0
    with _url_context():
        notes = list(db.session.scalars(_pending("immediate", IMMEDIATE_WINDOW).limit(500)))
        users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({n.user_id for n in notes})))}
        won = set(_claim([n.id for n in notes]))
        for note in notes:
            if note.id not in won:
                continue
            text = describe(note, users[note.user_id].organisation_id)
            body = _body([text, "", _absolute(target(note))])
            if mail.send_mail(users[note.user_id].email, _("Klimathubben: %(text)s", text=text)[:200], body):
                sent += 1
            else:  # give it back so the next run tries again
                db.session.execute(update(Notification).where(Notification.id == note.id).values(emailed_at=None))
                db.session.commit()
    return sent


def send_digest() -> int:
    """One mail per daily-digest user listing their new notifications; returns mails sent."""
    if not mail.mail_configured():
        return 0
    sent = 0
    with _url_context():
        notes = list(db.session.scalars(_pending("daily", DIGEST_WINDOW)))
        by_user: dict[int, list[Notification]] = {}
        for note in notes:
            by_user.setdefault(note.user_id, []).append(note)
        for user_id, items in by_user.items():
            user = db.session.get(User, user_id)
            won = set(_claim([n.id for n in items]))
            items = [n for n in items if n.id in won]
            if not items:
                continue
            lines = [ngettext("Du har %(num)s ny notis i Klimathubben:", "Du har %(num)s nya notiser i Klimathubben:",
                              len(items)), ""]
            for note in items[:DIGEST_LIMIT]:
                lines.append(f"- {describe(note, user.organisation_id)}")
                link = _absolute(target(note))
                if link:
                    lines.append(f"  {link}")
            if len(items) > DIGEST_LIMIT:
                lines.append(_("… och %(num)s till.", num=len(items) - DIGEST_LIMIT))
            lines += ["", _("Alla notiser: %(url)s", url=_absolute(_notifications_path()))]
            subject = ngettext("Klimathubben: %(num)s ny notis", "Klimathubben: %(num)s nya notiser", len(items))
            if mail.send_mail(user.email, subject, _body(lines)):
                sent += 1
            else:
                db.session.execute(
                    update(Notification).where(Notification.id.in_([n.id for n in items])).values(emailed_at=None)
                )
                db.session.commit()
    return sent


def _notifications_path() -> str:
    from flask import url_for

    return url_for("notifications.index")
