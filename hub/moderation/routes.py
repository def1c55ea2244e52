"""Moderation pages and actions; each action answers a full page, a 303, or the queue row for htmx."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ..auth.decorators import moderator_required
from ..extensions import db
from ..htmx import render, render_invalid, wants_fragment
from ..models import AuditEntry, User
from ..urls import safe_next
from . import audit, bp, service
from .forms import DecisionForm, FeatureForm, LogFilterForm, ReasonForm, ReportForm

LOG_PER_PAGE = 50


def _back(default: str) -> str:
    return safe_next(request.form.get("next")) or default


def _post_url(post) -> str:
    return url_for("posts.show", post_id=post.id)


# --- reports (any logged-in user) ------------------------------------------------------------


def _report(target_type: str, target_id: int):
    target = service.reportable(target_type, target_id)
    post = target if target_type == "post" else target.post
    back = _post_url(post) + ("" if target_type == "post" else f"#answer-{target.id}")
    form = ReportForm()
    # Only ever a path on this site, also when the page is shown again with a posted value.
    form.next.data = safe_next(request.args.get("next") if request.method == "GET" else form.next.data) or back
    context = dict(form=form, target=target, target_type=target_type, post=post,
                   already=service.has_reported(current_user, target_type, target_id))
    if request.method == "GET":
        return render("moderation/report.html", "moderation/_report_form.html", **context)
    if context["already"]:
        if wants_fragment():
            return render("moderation/_report_form.html", **context)
        flash(_("Du har redan anmält det här."), "warning")
        return redirect(_back(back), 303)
    if not form.validate():
        return render_invalid("moderation/report.html", "moderation/_report_form.html", **context)
    try:
        service.report(current_user, target_type, target_id, form.reason.data, form.comment.data or "")
    except service.ModerationError as error:
        if wants_fragment():
            return render("moderation/_report_form.html", **{**context, "already": True})
        flash(error.message, "warning")
        return redirect(_back(back), 303)
    if wants_fragment():
        return render("moderation/_report_form.html", **{**context, "already": True, "thanks": True})
    flash(_("Tack! Din anmälan har skickats till moderatorerna."), "success")
    return redirect(_back(back), 303)


@bp.route("/posts/<int:post_id>/report", methods=["GET", "POST"])
@login_required
def report_post(post_id: int):
    return _report("post", post_id)


@bp.route("/answers/<int:answer_id>/report", methods=["GET", "POST"])
@login_required
def report_answer(answer_id: int):
    return _report("answer", answer_id)


# --- the queue -------------------------------------------------------------------------------


@bp.get("/moderation/")
@moderator_required
def queue():
    return render("moderation/queue.html", **service.queue())


def _row_response(item, *, done: str = "", error: str = "", action: str = "", reason: str = "", invalid=False):
    """The queue row after (or instead of) a decision, with the counts swapped out of band."""
    context = dict(item=item, done=done, row_error=error, row_action=action, row_reason=reason,
                   counts=service.counts(), oob_counts=True)
    if invalid:
        return render_invalid("moderation/_queue_item.html", "moderation/_queue_item.html", **context)
    return render("moderation/_queue_item.html", **context)


POST_ACTIONS = {
    # action: (form, service function, page heading, button, done message)
    "hide": (ReasonForm, service.hide_post, _l("Dölj inlägget"), _l("Dölj"), _l("Inlägget är dolt.")),
    "restore": (DecisionForm, service.restore_post, _l("Återställ inlägget"), _l("Återställ"),
                _l("Inlägget visas igen.")),
    "approve": (DecisionForm, service.approve_post, _l("Godkänn inlägget"), _l("Godkänn"),
                _l("Inlägget är godkänt och publicerat.")),
    "reject": (ReasonForm, service.reject_post, _l("Avvisa inlägget"), _l("Avvisa"), _l("Inlägget är avvisat.")),
    "unfeature": (DecisionForm, service.unfeature_post, _l("Ta bort som Bra exempel"),
                  _l("Ta bort som Bra exempel"), _l("Åtgärden är inte längre ett Bra exempel.")),
}
ANSWER_ACTIONS = {
    "hide": (ReasonForm, service.hide_answer, _l("Dölj svaret"), _l("Dölj"), _l("Svaret är dolt.")),
    "restore": (DecisionForm, service.restore_answer, _l("Återställ svaret"), _l("Återställ"),
                _l("Svaret visas igen.")),
}


def _decide(target_type: str, target, action: str, actions: dict):
    form_class, decide, heading, button, done = actions[action]
    form = form_class()
    form.next.data = safe_next(request.args.get("next") if request.method == "GET" else form.next.data) or ""
    context = dict(form=form, target=target, target_type=target_type, action=action, heading=heading,
                   button=button)
    if request.method == "GET":
        return render("moderation/decide.html", **context)
    if not form.validate():
        if wants_fragment():
            return _row_response(service.queue_item(target_type, target.id), action=action,
                                 error=" ".join(str(e) for e in form.reason.errors),
                                 reason=form.reason.data or "", invalid=True)
        return render_invalid("moderation/decide.html", **context)
    try:
        decide(current_user, target, form.reason.data or "")
    except service.ModerationError as error:
        if wants_fragment():
            return _row_response(service.queue_item(target_type, target.id), action=action, error=error.message)
        flash(error.message, "error")
        return redirect(_back(url_for("moderation.queue")), 303)
    if wants_fragment():
        return _row_response(service.queue_item(target_type, target.id), done=str(done))
    flash(str(done), "success")
    return redirect(_back(url_for("moderation.queue")), 303)


@bp.route("/moderation/posts/<int:post_id>/<any(hide, restore, approve, reject, unfeature):action>",
          methods=["GET", "POST"])
@moderator_required
def post_decision(post_id: int, action: str):
    return _decide("post", service.get_post(post_id), action, POST_ACTIONS)


@bp.route("/moderation/answers/<int:answer_id>/<any(hide, restore):action>", methods=["GET", "POST"])
@moderator_required
def answer_decision(answer_id: int, action: str):
    return _decide("answer", service.get_answer(answer_id), action, ANSWER_ACTIONS)


@bp.post("/moderation/<any(posts, answers):kind>/<int:target_id>/dismiss")
@moderator_required
def dismiss(kind: str, target_id: int):
    target_type = "post" if kind == "posts" else "answer"
    form = DecisionForm()
    form.validate()
    try:
        count = service.dismiss_reports(current_user, target_type, target_id, form.reason.data or "")
    except service.ModerationError as error:
        if wants_fragment():
            return _row_response(service.queue_item(target_type, target_id), action="dismiss", error=error.message)
        flash(error.message, "error")
        return redirect(_back(url_for("moderation.queue")), 303)
    done = _("%(count)s anmälningar avfärdades.", count=count) if count != 1 else _("Anmälan avfärdades.")
    if wants_fragment():
        return _row_response(service.queue_item(target_type, target_id), done=done)
    flash(done, "success")
    return redirect(_back(url_for("moderation.queue")), 303)


# --- good examples: featuring a solution -----------------------------------------------------


@bp.route("/moderation/posts/<int:post_id>/feature", methods=["GET", "POST"])
@moderator_required
def feature(post_id: int):
    post = service.get_post(post_id)
    if post.kind != "solution":
        abort(404)
    form = FeatureForm()
    form.next.data = safe_next(request.args.get("next") if request.method == "GET" else form.next.data) or ""
    missing = [str(service.KIT_FIELDS[key]) for key in service.missing_kit(post)]
    context = dict(form=form, post=post, missing=missing, kit_fields=service.KIT_FIELDS)
    if request.method == "GET":
        return render("moderation/feature.html", **context)
    valid = form.validate()
    if missing or not valid:
        return render_invalid("moderation/feature.html", **context)
    try:
        service.feature_post(current_user, post, form.reason.data)
    except service.MissingKit as error:
        context["missing"] = error.missing
        return render_invalid("moderation/feature.html", **context)
    except service.ModerationError as error:
        flash(error.message, "error")
        return redirect(_back(_post_url(post)), 303)
    flash(_("Åtgärden är nu ett Bra exempel."), "success")
    return redirect(_back(_post_url(post)), 303)


# --- the audit log -----------------------------------------------------------------------------


def _log_filters(form: LogFilterForm) -> dict:
    actions = audit.actions_in_log()
    actors = audit.actors_in_log()
    labels = audit.action_labels()
    form.action.choices = [SelectChoice("", _("Alla åtgärder"))] + [
        SelectChoice(a, str(labels.get(a, a))) for a in actions
    ]
    form.target_type.choices = [SelectChoice("", _("Allt"))] + [
        SelectChoice(k, str(v)) for k, v in audit.TARGET_TYPES.items()
    ]
    form.actor.choices = [SelectChoice("", _("Alla"))] + [SelectChoice(str(u.id), u.name or u.email) for u in actors]
    form.validate()
    actor = form.actor.data or ""
    return {
        "action": form.action.data if form.action.data in actions else "",
        "target_type": form.target_type.data if form.target_type.data in audit.TARGET_TYPES else "",
        "actor_id": int(actor) if actor.isdigit() and any(u.id == int(actor) for u in actors) else None,
        "since": form.since.data if not form.since.errors else None,
        "until": form.until.data if not form.until.errors else None,
    }


@bp.get("/moderation/log")
@moderator_required
def log():
    form = LogFilterForm(request.args)
    filters = _log_filters(form)
    page = request.args.get("page", 1, type=int) or 1
    entries = db.paginate(audit.log_query(**filters), page=max(page, 1), per_page=LOG_PER_PAGE,
                          error_out=False, count=True)
    targets = _log_targets(entries.items)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render("moderation/log.html", "moderation/_log_results.html", form=form, entries=entries,
                  targets=targets, actions=audit.action_labels(), target_types=audit.TARGET_TYPES,
                  page_url=lambda p: url_for("moderation.log", page=p, **args))


def _log_targets(entries: list[AuditEntry]) -> dict:
    """What each entry is about, loaded in one query per kind, for links and titles."""
    from ..models import Answer, Post

    ids = {"post": set(), "answer": set(), "user": set()}
    for e in entries:
        if e.target_type in ids:
            ids[e.target_type].add(e.target_id)
    found = {}
    for target_type, model in (("post", Post), ("answer", Answer), ("user", User)):
        if ids[target_type]:
            for obj in db.session.scalars(db.select(model).where(model.id.in_(ids[target_type]))):
                found[(target_type, obj.id)] = obj
    return found


# --- balance and freshness --------------------------------------------------------------------


@bp.get("/moderation/balance")
@moderator_required
def balance():
    return render("moderation/balance.html", balance=service.balance(), stale=service.stale_solutions(),
                  stale_months=service.STALE_AFTER_MONTHS)


@bp.post("/moderation/posts/<int:post_id>/request-update")
@moderator_required
def request_update(post_id: int):
    post = service.get_post(post_id)
    try:
        service.request_update(current_user, post)
    except service.ModerationError as error:
        if wants_fragment():
            return render("moderation/_stale_row.html", post=post, asked=_last_asked(post), row_error=error.message)
        flash(error.message, "error")
        return redirect(_back(url_for("moderation.balance")), 303)
    done = _("Organisationen har ombetts att uppdatera inlägget.")
    if wants_fragment():
        return render("moderation/_stale_row.html", post=post, asked=_last_asked(post), done=done)
    flash(done, "success")
    return redirect(_back(url_for("moderation.balance")), 303)


def _last_asked(post):
    entry = audit.last_entry("request_update", "post", post.id)
    return entry.created_at if entry else None


# --- what templates elsewhere may ask ---------------------------------------------------------


@bp.app_template_global()
def moderation_panel(post) -> dict:
    """What the post page's moderation include needs to know about the viewer and the post."""
    user = current_user if current_user.is_authenticated else None
    is_moderator = bool(user and user.is_moderator)
    return {
        "is_moderator": is_moderator,
        "own": bool(user and user.organisation_id == post.organisation_id),
        "can_report": bool(user) and post.is_public,
        "reported": service.has_reported(user, "post", post.id) if user else False,
        "rejection_reason": service.rejection_reason(post) if post.approval == "rejected" else "",
        "missing_kit": [str(service.KIT_FIELDS[k]) for k in service.missing_kit(post)]
        if is_moderator and post.kind == "solution" else [],
    }


@bp.app_template_global()
def decision_url(target_type: str, target_id: int, action: str) -> str:
    if action == "dismiss":
        return url_for("moderation.dismiss", kind=f"{target_type}s", target_id=target_id)
    if target_type == "answer":
        return url_for("moderation.answer_decision", answer_id=target_id, action=action)
    return url_for("moderation.post_decision", post_id=target_id, action=action)


@bp.app_template_global()
def answer_reported(answer) -> bool:
    user = current_user if current_user.is_authenticated else None
    return service.has_reported(user, "answer", answer.id) if user else False
