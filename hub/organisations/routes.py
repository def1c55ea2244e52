from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..contracts.service import Progress
from ..htmx import render, render_invalid
from . import bp, service
from .forms import NewOrganisationForm, ProfileForm


@bp.get("/")
def index():
    known = service.municipalities()
    filters = service.DirectoryFilter.from_args(request.args, known)
    results = service.directory(filters)
    return render(
        "organisations/index.html",
        "organisations/_results.html",
        results=results,
        filters=filters,
        municipalities=known,
        can_create=service.can_create(current_user),
    )


@bp.get("/<slug>")
def show(slug: str):
    organisation = service.get_by_slug(slug)
    if organisation is None:
        abort(404)
    return render(
        "organisations/show.html",
        organisation=organisation,
        progress_by_party={party.id: Progress.of(party.commitments) for party in organisation.parties},
        can_edit=service.can_edit_profile(current_user, organisation),
    )


def _profile_data(form) -> dict[str, str]:
    return {name: form[name].data or "" for name in (*service.PROFILE_FIELDS, "slug") if name in form}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not service.can_create(current_user):
        abort(403)
    form = NewOrganisationForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            organisation = service.create_organisation(current_user, _profile_data(form))
        except service.ProfileError as error:
            form.add_errors(error.errors)
        else:
            flash(_("%(name)s är tillagd. Bjud in en första person från organisationen.", name=organisation.name),
                  "success")
            return redirect(url_for("auth.invite", organisation=organisation.id), 303)
    page = render_invalid if request.method == "POST" else render
    return page("organisations/form.html", form=form, organisation=None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    organisation = service.get_by_slug(slug)
    if organisation is None:
        abort(404)
    if not service.can_edit_profile(current_user, organisation):
        abort(403)
    form = ProfileForm(obj=organisation)
    if request.method == "POST" and form.validate_on_submit():
        try:
            service.update_profile(current_user, organisation, _profile_data(form))
        except service.ProfileError as error:
            form.add_errors(error.errors)
        else:
            flash(_("Profilen är sparad."), "success")
            return redirect(url_for("organisations.show", slug=organisation.slug), 303)
    page = render_invalid if request.method == "POST" else render
    return page("organisations/form.html", form=form, organisation=organisation)
