from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound

from ..extensions import db, limiter
from ..htmx import render, render_invalid, wants_fragment
from ..i18n import current_locale
from ..models import FocusArea, Organisation
from ..text import render_markdown
from ..urls import safe_next
from . import bp, service
from .forms import MessageForm

PER_PAGE = 25


def target_url(target) -> str:
    if isinstance(target, FocusArea):
        return url_for("areas.show", slug=target.slug)
    if isinstance(target, Organisation):
        return url_for("organisations.show", slug=target.slug)
    return url_for("posts.show", post_id=target.id)


def _follow_response(target_type: str, target, message: str):
    back = safe_next(request.form.get("next"))
    if wants_fragment():
        return render("social/_follow_button.html", "social/_follow_button.html",
                      follow_type=target_type, follow_target=target, follow_next=back, follow_changed=message)
    flash(message, "success")
    return redirect(back or target_url(target), 303)


@bp.post("/follow")
@login_required
def follow():
    target_type = request.form.get("target_type")
    target = service.follow_target(target_type, request.form.get("target_id"))
    service.follow(current_user, target_type, target.id)
    return _follow_response(target_type, target, _("Du följer nu %(name)s.", name=_target_name(target)))


@bp.post("/unfollow")
@login_required
def unfollow():
    target_type = request.form.get("target_type")
    service.unfollow(current_user, target_type, request.form.get("target_id"))
    try:
        target = service.follow_target(target_type, request.form.get("target_id"))
    except NotFound:  # the target is gone or unpublished: nothing left to show a button for
        flash(_("Du följer inte längre detta."), "success")
        return redirect(safe_next(request.form.get("next")) or url_for("notifications.index"), 303)
    return _follow_response(target_type, target, _("Du följer inte längre %(name)s.", name=_target_name(target)))


def _target_name(target) -> str:
    if isinstance(target, FocusArea):
        return target.name(current_locale())
    if isinstance(target, Organisation):
        return target.name
    return target.title


# --- messages -------------------------------------------------------------------------------


@bp.get("/messages")
@login_required
def messages():
    page = request.args.get("page", 1, type=int) or 1
    page = min(max(page, 1), 10_000)
    pagination = db.paginate(service.mailbox(current_user), page=page, per_page=PER_PAGE, error_out=False)
    return render("social/messages.html", None, pagination=pagination, messages=pagination.items)


def _reply_subject(subject: str) -> str:
    prefix = _("Sv:")
    return (subject if subject.startswith(prefix) else f"{prefix} {subject}")[: service.SUBJECT_MAX]


def _new_message_context(form: MessageForm):
    to = service.recipient(form.to.data)
    return {"form": form, "to": to, "about": service.context_post(form.post.data)}


@bp.get("/messages/new")
@login_required
def new_message():
    form = MessageForm(formdata=None)
    form.to.data = request.args.get("to", "")
    form.post.data = request.args.get("post", "")
    reply_to = request.args.get("reply")
    if not form.to.data and not reply_to:
        return render("social/choose_recipient.html", None, organisations=service.recipients(current_user))
    if reply_to:
        original = service.get_message(reply_to, current_user)
        other = service.other_organisation(original, current_user)
        form.to.data = other.slug
        form.post.data = str(original.post_id or "")
        form.subject.data = _reply_subject(original.subject)
    context = _new_message_context(form)
    if context["to"].id == current_user.organisation_id:
        abort(403)
    if service.refuses_questions(current_user, context["to"], context["about"]):
        abort(403)
    if context["about"] is not None and not form.subject.data:
        form.subject.data = context["about"].title[: service.SUBJECT_MAX]
    return render("social/message_form.html", None, **context)


@bp.post("/messages/new")
@login_required
@limiter.limit("30 per hour", key_func=lambda: f"messages:{current_user.get_id()}")
def send_message():
    form = MessageForm()
    context = _new_message_context(form)
    if form.validate():
        try:
            message = service.send_message(current_user, context["to"], form.subject.data, form.body.data,
                                           context["about"])
        except service.MessageError as error:
            getattr(form, error.field).errors = [error.message]
        else:
            flash(_("Meddelandet är skickat till %(name)s.", name=context["to"].name), "success")
            return redirect(url_for("social.message", message_id=message.id), 303)
    return render_invalid("social/message_form.html", None, **context)


@bp.get("/messages/<int:message_id>")
@login_required
def message(message_id: int):
    message = service.get_message(message_id, current_user)
    other = service.other_organisation(message, current_user)
    reply = MessageForm(formdata=None)
    reply.to.data = other.slug
    reply.post.data = str(message.post_id or "")
    reply.subject.data = _reply_subject(message.subject)
    return render("social/message.html", None, message=message, other=other, reply=reply,
                  body_html=render_markdown(message.body),
                  sent=message.sender_organisation_id == current_user.organisation_id)
