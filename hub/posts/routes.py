from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import search
from ..htmx import render, render_invalid
from ..i18n import current_locale
from ..models import POST_KINDS
from ..search import SearchQuery
from . import bp, forms, service


def _form_for(kind: str, organisation_id: int, post=None, **kwargs) -> forms.PostForm:
    return forms.post_form(kind, organisation_id, post, **kwargs)


def _validate(form: forms.PostForm, kind: str, organisation_id: int, post=None) -> bool:
    """The form's own checks plus the service's rules, so every error shows at once."""
    ok = form.validate()
    try:
        service.clean_post_data(kind, form.post_data(), organisation_id, post)
    except service.InvalidPost as error:
        form.add_errors(error.errors)
        ok = False
    return ok


def _flash_published(post) -> None:
    if post.approval == "pending":
        flash(_("Inlägget är inskickat och väntar på granskning av en moderator."), "success")
    else:
        flash(_("Inlägget är publicerat."), "success")


def _after_save(post, publish: bool) -> None:
    if publish and post.state != "published":
        service.publish_post(post, current_user)
        _flash_published(post)
    elif post.state == "published":
        flash(_("Ändringarna är sparade."), "success")
    else:
        flash(_("Utkastet är sparat."), "success")


@bp.get("/")
def index():
    query = SearchQuery.from_args(request.args)
    results = search.query(query, cards=True)
    response = render(
        "posts/index.html",
        "posts/_results.html",
        query=query,
        results=results,
        panel=search.facet_panel(results, current_locale()),
    )
    # The address bar gets the search's own URL, without the form's empty fields.
    response.headers["HX-Push-Url"] = url_for("posts.index", **query.to_params())
    return response


@bp.get("/mine")
@login_required
def mine():
    return render("posts/mine.html", posts=service.own_posts(current_user))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    kind = request.args.get("kind", "")
    if kind not in POST_KINDS:
        return render("posts/choose_kind.html", kinds=POST_KINDS)
    form = _form_for(kind, current_user.organisation_id)
    if request.method == "GET":
        form.submission_key.data = service.new_submission_key()
    elif _validate(form, kind, current_user.organisation_id):
        try:
            post, created = service.create_post(
                current_user, kind, form.post_data(), submission_key=form.submission_key.data
            )
        except service.InvalidPost as error:
            form.add_errors(error.errors)
        except service.PostError as error:
            flash(error.message, "error")
            return redirect(url_for("posts.new", kind=kind), 303)
        else:
            if created:
                _after_save(post, request.form.get("action") == "publish")
            else:
                flash(_("Formuläret var redan skickat; här är inlägget som sparades då."), "info")
            return redirect(url_for("posts.show", post_id=post.id), 303)
    context = {"form": form, "kind": kind, "post": None}
    if request.method == "POST":
        return render_invalid("posts/form.html", "posts/_form.html", **context)
    return render("posts/form.html", "posts/_form.html", **context)


@bp.get("/<int:post_id>")
def show(post_id: int):
    post = service.get_visible_post(post_id, current_user)
    own_copy = None
    if current_user.is_authenticated and current_user.organisation_id != post.organisation_id:
        own_copy = service.existing_copy(post, current_user.organisation_id)
    copies, lineage = service.copies_and_lineage(post)
    return render(
        "posts/show.html",
        "posts/_post.html",
        post=post,
        can_edit=service.can_edit(post, current_user),
        can_copy=service.can_copy(post, current_user),
        own_copy=own_copy,
        source=service.visible_source(post, current_user),
        copies=copies,
        lineage=lineage,
        contracts=service.organisation_contracts(post.organisation_id),
        related=post.related_post if post.related_post and service.can_view(post.related_post, current_user) else None,
        lessons=service.lessons_from(post),
        similar=search.similar(post) if post.is_public else [],
    )


@bp.route("/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id: int):
    post = service.get_visible_post(post_id, current_user)
    service.require_member(post, current_user)
    if request.method == "GET":
        form = _form_for(post.kind, post.organisation_id, post, data=forms.initial_data(post))
        return render("posts/form.html", "posts/_form.html", form=form, kind=post.kind, post=post)
    form = _form_for(post.kind, post.organisation_id, post)
    stale = None
    if _validate(form, post.kind, post.organisation_id, post):
        try:
            service.update_post(post, current_user, form.post_data(), version=form.version_number())
        except service.StaleEdit as error:
            # Keep what the user typed; the next save, made knowingly, goes through.
            stale = error.current
            form.version.data = str(stale.version) if stale else form.version.data
            flash(error.message, "error")
        except service.InvalidPost as error:
            form.add_errors(error.errors)
        else:
            _after_save(post, request.form.get("action") == "publish")
            return redirect(url_for("posts.show", post_id=post.id), 303)
    if stale is not None:
        post = stale
    return render_invalid("posts/form.html", "posts/_form.html", form=form, kind=post.kind, post=post, stale=stale)


def _state_change(post_id: int, change, done: str):
    post = service.get_visible_post(post_id, current_user)
    try:
        change(post, current_user)
    except service.PostError as error:
        flash(error.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for("posts.show", post_id=post_id), 303)


@bp.post("/<int:post_id>/publish")
@login_required
def publish(post_id: int):
    post = service.get_visible_post(post_id, current_user)
    try:
        service.publish_post(post, current_user)
    except service.PostError as error:
        flash(error.message, "error")
    else:
        _flash_published(post)
    return redirect(url_for("posts.show", post_id=post_id), 303)


@bp.post("/<int:post_id>/unpublish")
@login_required
def unpublish(post_id: int):
    return _state_change(post_id, service.unpublish_post, _("Inlägget är avpublicerat och sparat som utkast."))


@bp.post("/<int:post_id>/archive")
@login_required
def archive(post_id: int):
    return _state_change(post_id, service.archive_post, _("Inlägget är arkiverat."))


@bp.get("/<int:post_id>/copy")
def copy_page(post_id: int):
    # After logging in, the login page sends people back here with GET: show them the post.
    return redirect(url_for("posts.show", post_id=post_id), 303)


@bp.post("/<int:post_id>/copy")
@login_required
def copy(post_id: int):
    source = service.get_visible_post(post_id, current_user)
    try:
        post, created = service.copy_post(source, current_user)
    except service.CopyRefused as error:
        flash(error.message, "error")
        return redirect(url_for("posts.show", post_id=post_id), 303)
    if created:
        # The edit page says what to adapt; the flash only confirms the copy.
        flash(_("Kopian är sparad som utkast i er organisation."), "success")
    else:
        flash(_("Er organisation har redan kopierat inlägget; här är er kopia."), "info")
    return redirect(url_for("posts.edit", post_id=post.id), 303)
