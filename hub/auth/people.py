"""People administration for admins: find accounts, grant or revoke moderator, (de)activate."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import labels
from ..extensions import db
from ..htmx import render, render_invalid
from ..models import ROLES, Organisation, User
from . import service
from .decorators import admin_required
from .forms import DeactivateForm, PersonDecisionForm
from .messages import AUDIT_ACTIONS, error_text

bp = Blueprint("people", __name__)

PER_PAGE = 50


def _filters() -> dict:
    """The list's filters from the query string; unknown values are ignored, never an error."""
    args = request.args
    page = args.get("page", "1")
    return {
        "q": args.get("q", "")[:200],
        "role": args.get("role", "") if args.get("role") in ROLES else "",
        "organisation": args.get("organisation", "")[:80],
        "status": args.get("status", "") if args.get("status") in service.USER_STATUSES else "",
        "page": int(page) if page.isdigit() and len(page) < 7 else 1,
    }


@bp.get("/admin/users")
@admin_required
def index():
    filters = _filters()
    result = service.list_people(per_page=PER_PAGE, **filters)
    organisations = db.session.execute(select(Organisation.slug, Organisation.name).order_by(Organisation.name)).all()
    return render(
        "auth/people/index.html",
        "auth/people/_results.html",
        result=result,
        filters=filters,
        organisations=organisations,
        statuses={"active": _("Aktiva"), "inactive": _("Inaktiverade")},
        page_url=lambda page: url_for("people.index", **{**_query(filters), "page": page}),
    )


def _query(filters: dict) -> dict:
    return {key: value for key, value in filters.items() if value and key != "page"}


def _person(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _show(user: User, status: int = 200, **forms):
    context = {
        "person": user,
        "entries": service.audit_for_user(user),
        "role_form": forms.get("role_form") or PersonDecisionForm(formdata=None, prefix="role"),
        "active_form": forms.get("active_form")
        or (DeactivateForm if user.active else PersonDecisionForm)(formdata=None, prefix="active"),
        "actions": AUDIT_ACTIONS,
        "roles": labels.ROLES,
    }
    if status == 200:
        return render("auth/people/show.html", **context)
    return render_invalid("auth/people/show.html", **context)


@bp.get("/admin/users/<int:user_id>")
@admin_required
def show(user_id: int):
    return _show(_person(user_id))


@bp.post("/admin/users/<int:user_id>/role")
@admin_required
def set_role(user_id: int):
    user = _person(user_id)
    role = request.form.get("role", "")
    if role not in ("moderator", "member"):
        abort(400)
    form = PersonDecisionForm(prefix="role")
    if not form.validate():
        return _show(user, 422, role_form=form)
    try:
        changed = service.set_moderator(current_user, user, grant=role == "moderator", reason=form.reason.data or "")
    except service.AccountError as error:
        flash(error_text(error.code), "error")
        return redirect(url_for("people.show", user_id=user.id), 303)
    if changed and role == "moderator":
        flash(_("%(name)s är nu moderator.", name=user.name), "success")
    elif changed:
        flash(_("%(name)s är inte längre moderator.", name=user.name), "success")
    else:
        flash(_("Ingen ändring: rollen var redan den valda."), "warning")
    return redirect(url_for("people.show", user_id=user.id), 303)


@bp.post("/admin/users/<int:user_id>/deactivate")
@admin_required
def deactivate(user_id: int):
    user = _person(user_id)
    form = DeactivateForm(prefix="active")
    if not form.validate():
        return _show(user, 422, active_form=form)
    try:
        changed = service.set_active(current_user, user, active=False, reason=form.reason.data)
    except service.AccountError as error:
        flash(error_text(error.code), "error")
        return redirect(url_for("people.show", user_id=user.id), 303)
    if changed:
        flash(_("Kontot för %(name)s är inaktiverat. Innehållet finns kvar.", name=user.name), "success")
    else:
        flash(_("Kontot var redan inaktiverat."), "warning")
    return redirect(url_for("people.show", user_id=user.id), 303)


@bp.post("/admin/users/<int:user_id>/reactivate")
@admin_required
def reactivate(user_id: int):
    user = _person(user_id)
    form = PersonDecisionForm(prefix="active")
    if not form.validate():
        return _show(user, 422, active_form=form)
    changed = service.set_active(current_user, user, active=True, reason=form.reason.data or "")
    if changed:
        flash(_("Kontot för %(name)s är aktivt igen.", name=user.name), "success")
    else:
        flash(_("Kontot var redan aktivt."), "warning")
    return redirect(url_for("people.show", user_id=user.id), 303)
