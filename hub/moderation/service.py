"""Moderation: reports, the queue, decisions on posts and answers, and the balance panel.

Every decision is checked here (moderators only), written to the audit log in the same
transaction, and tells the organisation concerned. Search follows the post changes on its own.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Forbidden, NotFound

from ..extensions import db
from ..models import (
    REPORT_REASONS,
    Answer,
    AuditEntry,
    FocusArea,
    Organisation,
    Post,
    Report,
    User,
    post_focus_areas,
    utcnow,
)
from ..notifications.service import notify_moderators, notify_organisation
from . import audit

STALE_AFTER_MONTHS = 18
# A second "please update" for the same post within this time is refused (double clicks, two moderators).
UPDATE_REQUEST_PAUSE = timedelta(days=30)
QUEUE_LIMIT = 200


class ModerationError(Exception):
    """A decision that cannot be made; the message is for the moderator (Swedish msgid)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AlreadyReported(ModerationError):
    pass


class MissingKit(ModerationError):
    """The solution lacks parts of its replication kit; `missing` lists their labels."""

    def __init__(self, missing: list[str]):
        super().__init__(_("Åtgärden saknar delar av kopieringspaketet."))
        self.missing = missing


# --- who may do what ------------------------------------------------------------------------


def require_moderator(actor: User | None) -> User:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_moderator:
        raise Forbidden()
    return actor


def get_post(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None:
        raise NotFound()
    return post


def get_answer(answer_id: int) -> Answer:
    answer = db.session.get(Answer, answer_id)
    if answer is None:
        raise NotFound()
    return answer


def _commit() -> None:
    """Commit a decision; a post changed by its authors a moment ago asks for a retry, not a 500."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ModerationError(_("Inlägget ändrades just av någon annan. Ladda om sidan och försök igen.")) from None


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- reports ----------------------------------------------------------------------------------


def reportable(target_type: str, target_id: int) -> Post | Answer:
    """The public post or visible answer a user may report; anything else is not found."""
    if target_type == "post":
        post = db.session.get(Post, target_id)
        if post is None or not post.is_public:
            raise NotFound()
        return post
    if target_type == "answer":
        answer = db.session.get(Answer, target_id)
        if answer is None or answer.hidden or not answer.post.is_public:
            raise NotFound()
        return answer
    raise NotFound()


def has_reported(user: User | None, target_type: str, target_id: int) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(
        select(Report.id).where(
            Report.user_id == user.id, Report.target_type == target_type, Report.target_id == target_id
        )
    ) is not None


def _open_reports_exist(target_type: str, target_id: int) -> bool:
    return db.session.scalar(
        select(Report.id).where(
            Report.target_type == target_type, Report.target_id == target_id, Report.resolved_at.is_(None)
        ).limit(1)
    ) is not None


def report(user: User, target_type: str, target_id: int, reason: str, comment: str = "") -> Report:
    """Report a post or an answer, once per user and item; a new queue item tells the moderators."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise Forbidden()
    target = reportable(target_type, target_id)
    if reason not in REPORT_REASONS:
        raise ModerationError(_("Välj ett skäl."))
    if has_reported(user, target_type, target_id):
        raise AlreadyReported(_("Du har redan anmält det här."))
    new_queue_item = not _open_reports_exist(target_type, target_id)
    entry = Report(user_id=user.id, target_type=target_type, target_id=target_id, reason=reason,
                   comment=(comment or "").strip())
    db.session.add(entry)
    if new_queue_item:
        post_id = target.id if isinstance(target, Post) else target.post_id
        what = _("Ett inlägg") if target_type == "post" else _("Ett svar")
        notify_moderators("moderation", post_id=post_id,
                          text=_short(_("%(what)s har anmälts och väntar på granskning.", what=what)))
    try:
        db.session.commit()
    except IntegrityError:  # the same user, twice at once
        db.session.rollback()
        raise AlreadyReported(_("Du har redan anmält det här.")) from None
    return entry


def _resolve_reports(target_type: str, target_id: int, resolution: str) -> int:
    reports = db.session.scalars(
        select(Report).where(
            Report.target_type == target_type, Report.target_id == target_id, Report.resolved_at.is_(None)
        )
    ).all()
    now = utcnow()
    for r in reports:
        r.resolved_at = now
        r.resolution = resolution
    return len(reports)


# --- the queue --------------------------------------------------------------------------------


@dataclass
class QueueItem:
    """One thing that needs a decision: a reported post or answer, or a post awaiting approval."""

    target_type: str  # post | answer
    target: Post | Answer
    reports: list[Report] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.target_type}-{self.target.id}"

    @property
    def post(self) -> Post:
        return self.target if isinstance(self.target, Post) else self.target.post

    @property
    def report_count(self) -> int:
        return len(self.reports)

    @property
    def reason_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for r in self.reports:
            counts[r.reason] = counts.get(r.reason, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    @property
    def awaiting_approval(self) -> bool:
        return isinstance(self.target, Post) and self.target.approval == "pending"


def _open_reports(target_type: str, ids: list[int] | None = None) -> dict[int, list[Report]]:
    query = (
        select(Report)
        .where(Report.target_type == target_type, Report.resolved_at.is_(None))
        .options(selectinload(Report.user))
        .order_by(Report.created_at, Report.id)
    )
    if ids is not None:
        query = query.where(Report.target_id.in_(ids))
    grouped: dict[int, list[Report]] = {}
    for r in db.session.scalars(query):
        grouped.setdefault(r.target_id, []).append(r)
    return grouped


def _reported(target_type: str) -> list[QueueItem]:
    model = Post if target_type == "post" else Answer
    grouped = _open_reports(target_type)
    if not grouped:
        return []
    options = [selectinload(Post.organisation)] if model is Post else [
        selectinload(Answer.organisation), selectinload(Answer.post)
    ]
    targets = {t.id: t for t in db.session.scalars(select(model).where(model.id.in_(grouped)).options(*options))}
    items = [QueueItem(target_type, targets[i], reps) for i, reps in grouped.items() if i in targets]
    # Most-reported first, then the oldest report first.
    items.sort(key=lambda it: (-it.report_count, it.reports[0].created_at))
    return items[:QUEUE_LIMIT]


def _pending_query():
    return select(Post).where(Post.approval == "pending", Post.state == "published")


def pending_posts() -> list[QueueItem]:
    posts = db.session.scalars(
        _pending_query().options(selectinload(Post.organisation)).order_by(Post.published_at, Post.id).limit(QUEUE_LIMIT)
    ).all()
    reports = _open_reports("post", [p.id for p in posts]) if posts else {}
    return [QueueItem("post", p, reports.get(p.id, [])) for p in posts]


def hidden_items(limit: int = 50) -> list[QueueItem]:
    """Recently hidden posts and answers, so a moderator can restore them."""
    posts = db.session.scalars(
        select(Post).where(Post.hidden.is_(True)).options(selectinload(Post.organisation))
        .order_by(Post.id.desc()).limit(limit)
    ).all()
    answers = db.session.scalars(
        select(Answer).where(Answer.hidden.is_(True))
        .options(selectinload(Answer.organisation), selectinload(Answer.post))
        .order_by(Answer.id.desc()).limit(limit)
    ).all()
    return [QueueItem("post", p) for p in posts] + [QueueItem("answer", a) for a in answers]


def queue() -> dict:
    """Everything awaiting a decision, with counts."""
    reported_posts = [it for it in _reported("post") if not it.awaiting_approval]
    items = {
        "reported_posts": reported_posts,
        "reported_answers": _reported("answer"),
        "pending": pending_posts(),
        "hidden": hidden_items(),
    }
    return {"items": items, "counts": counts()}


def counts() -> dict[str, int]:
    def open_targets(target_type: str, model) -> int:
        return db.session.scalar(
            select(func.count(func.distinct(Report.target_id)))
            .join(model, model.id == Report.target_id)
            .where(Report.target_type == target_type, Report.resolved_at.is_(None))
            .where(*([Post.approval != "pending"] if model is Post else []))
        ) or 0

    reported_posts = open_targets("post", Post)
    reported_answers = open_targets("answer", Answer)
    pending = db.session.scalar(select(func.count()).select_from(_pending_query().subquery())) or 0
    return {
        "reported_posts": reported_posts,
        "reported_answers": reported_answers,
        "pending": pending,
        "total": reported_posts + reported_answers + pending,
    }


def queue_item(target_type: str, target_id: int) -> QueueItem:
    """The queue row of one item as it is now (after a decision), for swapping it in place."""
    target = get_post(target_id) if target_type == "post" else get_answer(target_id)
    return QueueItem(target_type, target, _open_reports(target_type, [target_id]).get(target_id, []))


# --- decisions on posts -----------------------------------------------------------------------


def _reason(reason: str | None, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ModerationError(_("Skriv ett skäl."))
    return reason


def _hide(actor: User, target_type: str, item: Post | Answer, reason: str, *, already,
          notice_kind: str, notice, post_id: int) -> None:
    """Hide a post or an answer: its reports are resolved, the decision logged, its organisation told.

    The messages come lazy, so they are translated only after the permission check.
    """
    require_moderator(actor)
    reason = _reason(reason, required=True)
    if item.hidden:
        raise ModerationError(already)
    item.hidden = True
    item.hidden_reason = reason
    _resolve_reports(target_type, item.id, "hidden")
    audit.record(actor, "hide", target_type, item.id, reason)
    notify_organisation(item.organisation_id, notice_kind, post_id=post_id, text=_short(str(notice) % {"reason": reason}))
    _commit()


def _restore(actor: User, target_type: str, item: Post | Answer, reason: str, *, not_hidden,
             notice_kind: str, notice, post_id: int) -> None:
    require_moderator(actor)
    reason = _reason(reason, required=False)
    if not item.hidden:
        raise ModerationError(not_hidden)
    item.hidden = False
    item.hidden_reason = ""
    audit.record(actor, "restore", target_type, item.id, reason)
    notify_organisation(item.organisation_id, notice_kind, post_id=post_id, text=_short(str(notice)))
    _commit()


def hide_post(actor: User, post: Post, reason: str) -> None:
    _hide(actor, "post", post, reason, already=_l("Inlägget är redan dolt."), notice_kind="hidden",
          notice=_l("Ert inlägg har dolts av en moderator: %(reason)s"), post_id=post.id)


def restore_post(actor: User, post: Post, reason: str = "") -> None:
    _restore(actor, "post", post, reason, not_hidden=_l("Inlägget är inte dolt."), notice_kind="restored",
             notice=_l("Ert inlägg ”%(title)s” visas igen.", title=post.title), post_id=post.id)


def approve_post(actor: User, post: Post, reason: str = "") -> None:
    require_moderator(actor)
    reason = _reason(reason, required=False)
    if post.approval != "pending":
        raise ModerationError(_("Inlägget väntar inte på granskning."))
    post.approval = "approved"
    audit.record(actor, "approve", "post", post.id, reason)
    notify_organisation(post.organisation_id, "approved", post_id=post.id,
                        text=_short(_("Ert inlägg har godkänts och är nu publicerat.")))
    _commit()


def reject_post(actor: User, post: Post, reason: str) -> None:
    require_moderator(actor)
    reason = _reason(reason, required=True)
    if post.approval != "pending":
        raise ModerationError(_("Inlägget väntar inte på granskning."))
    post.approval = "rejected"
    _resolve_reports("post", post.id, "rejected")
    audit.record(actor, "reject", "post", post.id, reason)
    notify_organisation(post.organisation_id, "rejected", post_id=post.id,
                        text=_short(_("Ert inlägg ”%(title)s” godkändes inte: %(reason)s", title=post.title,
                                      reason=reason)))
    _commit()


def rejection_reason(post: Post) -> str:
    """Why the post was rejected (the latest rejection in the log), for its organisation."""
    entry = audit.last_entry("reject", "post", post.id) if post.approval == "rejected" else None
    return entry.reason if entry else ""


def dismiss_reports(actor: User, target_type: str, target_id: int, reason: str = "") -> int:
    require_moderator(actor)
    if target_type == "post":
        get_post(target_id)
    elif target_type == "answer":
        get_answer(target_id)
    else:
        raise NotFound()
    reason = _reason(reason, required=False)
    dismissed = _resolve_reports(target_type, target_id, "dismissed")
    if not dismissed:
        raise ModerationError(_("Det finns inga öppna anmälningar att avfärda."))
    audit.record(actor, "dismiss", target_type, target_id, reason)
    _commit()
    return dismissed


# --- decisions on answers ---------------------------------------------------------------------


def hide_answer(actor: User, answer: Answer, reason: str) -> None:
    _hide(actor, "answer", answer, reason, already=_l("Svaret är redan dolt."), notice_kind="answer_hidden",
          notice=_l("Ert svar har dolts av en moderator: %(reason)s"), post_id=answer.post_id)


def restore_answer(actor: User, answer: Answer, reason: str = "") -> None:
    _restore(actor, "answer", answer, reason, not_hidden=_l("Svaret är inte dolt."),
             notice_kind="answer_restored", notice=_l("Ert svar visas igen."), post_id=answer.post_id)


# --- good examples ----------------------------------------------------------------------------

# The replication kit a featured solution must carry, in the order the post form shows it.
KIT_FIELDS = {
    "reduction_tonnes": _l("Uppskattad minskning (ton CO₂e)"),
    "estimation_method": _l("Hur minskningen uppskattats (metod)"),
    "cost_band": _l("Kostnad"),
    "lead_time": _l("Ledtid"),
    "prerequisites": _l("Det här behöver ni för att kopiera åtgärden (förutsättningar)"),
    "contact_enabled": _l("Kontakt via hubben (andra får kontakta organisationen om åtgärden)"),
}


def missing_kit(post: Post) -> list[str]:
    """Keys of KIT_FIELDS the solution still lacks."""
    present = {
        "reduction_tonnes": post.reduction_tonnes is not None and post.reduction_tonnes > 0,
        "estimation_method": bool(post.estimation_method),
        "cost_band": bool(post.cost_band),
        "lead_time": bool(post.lead_time),
        "prerequisites": bool((post.prerequisites or "").strip()),
        "contact_enabled": bool(post.contact_enabled),
    }
    return [key for key in KIT_FIELDS if not present[key]]


def can_feature(post: Post) -> bool:
    return post.kind == "solution" and post.is_public and not post.featured


def feature_post(actor: User, post: Post, reason: str) -> None:
    """Make a public solution a good example ("Bra exempel"), if its replication kit is complete."""
    require_moderator(actor)
    if post.kind != "solution":
        raise ModerationError(_("Bara åtgärder kan bli Bra exempel."))
    if not post.is_public:
        raise ModerationError(_("Bara publicerade och synliga åtgärder kan bli Bra exempel."))
    if post.featured:
        raise ModerationError(_("Åtgärden är redan ett Bra exempel."))
    missing = missing_kit(post)
    reason = (reason or "").strip()
    if missing:
        raise MissingKit([str(KIT_FIELDS[key]) for key in missing])
    reason = _reason(reason, required=True)
    post.featured = True
    post.featured_reason = reason
    post.featured_at = utcnow()
    audit.record(actor, "feature", "post", post.id, reason)
    notify_organisation(post.organisation_id, "featured", post_id=post.id,
                        text=_short(_("Er åtgärd ”%(title)s” har valts som Bra exempel.", title=post.title)))
    _commit()


def unfeature_post(actor: User, post: Post, reason: str = "") -> None:
    require_moderator(actor)
    reason = _reason(reason, required=False)
    if not post.featured:
        raise ModerationError(_("Åtgärden är inte ett Bra exempel."))
    post.featured = False
    post.featured_reason = ""
    post.featured_at = None
    audit.record(actor, "unfeature", "post", post.id, reason)
    _commit()


# --- balance and freshness --------------------------------------------------------------------


def _public_solutions():
    return (Post.kind == "solution", Post.state == "published", Post.approval == "approved", Post.hidden.is_(False))


def balance() -> dict[str, list[tuple]]:
    """Featured examples against all published solutions, by organisation kind, municipality and area."""
    featured = func.sum(case((Post.featured.is_(True), 1), else_=0))
    total = func.count(Post.id)

    def grouped(column, *joins):
        query = select(column, featured, total).select_from(Post)
        for target, onclause in joins:
            query = query.join(target, onclause)
        rows = db.session.execute(
            query.where(*_public_solutions()).group_by(column).order_by(featured.desc(), total.desc(), column)
        ).all()
        return [(key, int(f or 0), int(t or 0)) for key, f, t in rows]

    org_join = (Organisation, Organisation.id == Post.organisation_id)
    area_rows = grouped(
        FocusArea.id,
        (post_focus_areas, post_focus_areas.c.post_id == Post.id),
        (FocusArea, FocusArea.id == post_focus_areas.c.focus_area_id),
    )
    areas = {a.id: a for a in db.session.scalars(select(FocusArea).where(FocusArea.id.in_([r[0] for r in area_rows])))}
    return {
        "kind": grouped(Organisation.kind, org_join),
        "municipality": grouped(Organisation.municipality, org_join),
        "area": [(areas[i], f, t) for i, f, t in area_rows if i in areas],
        "organisation": [
            row for row in grouped(Organisation.name, org_join) if row[1] > 0
        ],
    }


def months_before(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, monthrange(year, month)[1]))


def stale_cutoff(now: datetime | None = None) -> datetime:
    return months_before(now or utcnow(), STALE_AFTER_MONTHS)


def stale_solutions(now: datetime | None = None, limit: int = 200) -> list[tuple[Post, datetime | None]]:
    """Published solutions not updated for 18 months, oldest first, with when an update was last asked for."""
    posts = db.session.scalars(
        select(Post)
        .where(*_public_solutions(), Post.updated_at < stale_cutoff(now))
        .options(selectinload(Post.organisation))
        .order_by(Post.updated_at, Post.id)
        .limit(limit)
    ).all()
    asked = dict(
        db.session.execute(
            select(AuditEntry.target_id, func.max(AuditEntry.created_at))
            .where(AuditEntry.action == "request_update", AuditEntry.target_type == "post",
                   AuditEntry.target_id.in_([p.id for p in posts]))
            .group_by(AuditEntry.target_id)
        ).all()
    ) if posts else {}
    return [(p, asked.get(p.id)) for p in posts]


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes for aware columns; they were stored as UTC.
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def request_update(actor: User, post: Post) -> None:
    """Ask the organisation behind a published solution to bring it up to date (in-app notification)."""
    require_moderator(actor)
    if not post.is_public:
        raise ModerationError(_("Bara publicerade inlägg kan uppdateras på begäran."))
    last = audit.last_entry("request_update", "post", post.id)
    if last is not None and utcnow() - _aware(last.created_at) < UPDATE_REQUEST_PAUSE:
        raise ModerationError(_("Organisationen har redan ombetts att uppdatera det här inlägget nyligen."))
    audit.record(actor, "request_update", "post", post.id)
    notify_organisation(
        post.organisation_id, "update_request", post_id=post.id,
        text=_short(_("Klimathubbens moderatorer ber er se över och uppdatera ”%(title)s”: stämmer "
                      "uppgifterna fortfarande?", title=post.title)),
    )
    _commit()
