"""The audit log: every moderation decision, append-only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select

from ..extensions import db
from ..models import AuditEntry, User

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# Stored action names and what the log calls them; other parts (people admin) may add their own
# actions, which the log shows as they are stored.
ACTIONS = {
    "hide": _l("Dold"),
    "restore": _l("Återställd"),
    "dismiss": _l("Anmälningar avfärdade"),
    "approve": _l("Godkänd"),
    "reject": _l("Avvisad"),
    "feature": _l("Vald som Bra exempel"),
    "unfeature": _l("Inte längre Bra exempel"),
    "monthly_pick": _l("Vald som Månadens exempel"),
    "monthly_change": _l("Månadens exempel ändrat"),
    "request_update": _l("Ombedd att uppdatera"),
}
TARGET_TYPES = {"post": _l("Inlägg"), "answer": _l("Svar"), "user": _l("Användare"), "month": _l("Månad")}


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(_mapper, _connection, _target):
    raise AuditLogIsAppendOnly("audit entries are never edited")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(_mapper, _connection, _target):
    raise AuditLogIsAppendOnly("audit entries are never deleted")


def record(actor: User | None, action: str, target_type: str, target_id: int, reason: str = "") -> AuditEntry:
    """Add one entry to the log (the caller commits, together with the decision it records)."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason or "",
    )
    db.session.add(entry)
    return entry


def last_entry(action: str, target_type: str, target_id: int) -> AuditEntry | None:
    return db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.action == action, AuditEntry.target_type == target_type, AuditEntry.target_id == target_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(1)
    )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=STOCKHOLM)


def log_query(*, action: str = "", target_type: str = "", actor_id: int | None = None,
              since: date | None = None, until: date | None = None):
    """The log, newest first, narrowed by the given filters (dates are whole Swedish days)."""
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if since is not None:
        query = query.where(AuditEntry.created_at >= _day_start(since))
    if until is not None:
        query = query.where(AuditEntry.created_at < _day_start(until + timedelta(days=1)))
    return query


def action_labels() -> dict:
    """What the log calls each action: ours, and those the people admin writes."""
    from ..auth.messages import AUDIT_ACTIONS

    return {**ACTIONS, **AUDIT_ACTIONS}


def actions_in_log() -> list[str]:
    """Every known action, then any other action that occurs in the log, for the filter's choices."""
    known = action_labels()
    stored = set(db.session.scalars(select(AuditEntry.action).distinct()))
    return list(known) + sorted(stored - set(known))


def actors_in_log() -> list[User]:
    ids = select(AuditEntry.actor_id).where(AuditEntry.actor_id.is_not(None)).distinct()
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.name, User.email)))
