"""The good-examples page, the monthly archive and choosing Månadens exempel."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import labels
from ..extensions import db
from ..htmx import render, render_invalid
from ..moderation.routes import moderator_required
from ..moderation.service import ModerationError, get_post
from ..urls import parse_id
from . import bp, service
from .forms import MonthlyForm

PER_PAGE = 20


@bp.get("/")
def index():
    area = request.args.get("area", "")
    org_kind = request.args.get("kind", "")
    areas = service.featured_areas()
    if area not in {a.slug for a in areas}:
        area = ""
    if org_kind not in labels.ORG_KINDS:
        org_kind = ""
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    examples = db.paginate(service.featured_query(area=area, org_kind=org_kind), page=page, per_page=PER_PAGE,
                           error_out=False)
    args = {k: v for k, v in (("area", area), ("kind", org_kind)) if v}
    return render("examples/index.html", "examples/_list.html", examples=examples, areas=areas, area=area,
                  org_kind=org_kind, highlight=service.highlight(),
                  page_url=lambda p: url_for("examples.index", page=p, **args))


@bp.get("/monthly")
def monthly():
    return render("examples/monthly.html", picks=service.archive(), current_month=service.current_month())


@bp.route("/monthly/choose", methods=["GET", "POST"])
@moderator_required
def choose():
    form = MonthlyForm()
    post_id = parse_id(form.post_id.data if request.method == "POST" else request.args.get("post"))
    if post_id is None:
        abort(404)
    post = get_post(post_id)
    if request.method == "GET":
        form.post_id.data = str(post.id)
        form.month.data = request.args.get("month") or service.current_month()
    month = service.parse_month(form.month.data)
    existing = service.pick_for(month) if month else None
    context = dict(form=form, post=post, existing=existing, pickable=service.pickable(post))
    if request.method == "GET":
        return render("examples/choose.html", **context)
    if not form.validate():
        return render_invalid("examples/choose.html", **context)
    try:
        service.pick_monthly(current_user, post, form.month.data, form.citation.data)
    except ModerationError as error:
        form.citation.errors = [*form.citation.errors, error.message]
        return render_invalid("examples/choose.html", **context)
    flash(_("Månadens exempel är valt."), "success")
    return redirect(url_for("examples.monthly"), 303)


@bp.app_template_global()
def monthly_highlight():
    """The pick that leads the home page, or None."""
    return service.highlight()


@bp.app_template_global()
def month_label(month: str) -> str:
    from flask_babel import format_date

    return format_date(service.month_date(month), "LLLL y").capitalize()
