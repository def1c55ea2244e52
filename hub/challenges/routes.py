from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..htmx import render, render_invalid, wants_fragment
from . import bp, service
from .forms import AnswerForm


def challenge_url(post, anchor: str = "") -> str:
    return url_for("posts.show", post_id=post.id) + (f"#{anchor}" if anchor else "")


def _thread_response(challenge, form, *, invalid: bool = False, answered: bool = False):
    context = {
        "post": challenge,
        "thread": service.thread_for(challenge, current_user),
        "answer_form": form,
        "answered": answered,
    }
    if invalid:
        return render_invalid("challenges/answer.html", "challenges/_thread.html", **context)
    return render("challenges/answer.html", "challenges/_thread.html", **context)


@bp.get("/posts/<int:post_id>/answers")
def answers(post_id: int):
    """The answers on a page of their own: where the answer form lives without JavaScript."""
    challenge = service.public_challenge(post_id)
    return _thread_response(challenge, AnswerForm(formdata=None))


@bp.post("/posts/<int:post_id>/answers")
@login_required
def answer(post_id: int):
    challenge = service.public_challenge(post_id)
    form = AnswerForm()
    if form.validate():
        try:
            service.add_answer(challenge, current_user, form.body.data, form.solution_id.data)
        except service.AnswerError as error:
            getattr(form, error.field).errors = [error.message]
        else:
            if wants_fragment():
                return _thread_response(challenge, AnswerForm(formdata=None), answered=True)
            flash(_("Ert svar är publicerat."), "success")
            return redirect(challenge_url(challenge, "answers"), 303)
    return _thread_response(challenge, form, invalid=True)


@bp.post("/answers/<int:answer_id>/accept")
@login_required
def accept(answer_id: int):
    answer = service.get_answer(answer_id)
    service.accept(answer, current_user)
    flash(_("Svaret är markerat som lösningen. Utmaningen är löst."), "success")
    return redirect(challenge_url(answer.post, f"answer-{answer.id}"), 303)


@bp.post("/answers/<int:answer_id>/unaccept")
@login_required
def unaccept(answer_id: int):
    answer = service.get_answer(answer_id)
    service.unaccept(answer, current_user)
    flash(_("Svaret är inte längre markerat som lösningen."), "success")
    return redirect(challenge_url(answer.post, f"answer-{answer.id}"), 303)


@bp.post("/answers/<int:answer_id>/to-solution")
@login_required
def to_solution(answer_id: int):
    answer = service.get_answer(answer_id)
    solution = service.to_solution(answer, current_user)
    flash(_("Ett utkast till en åtgärd är skapat från ert svar. Komplettera och publicera det."), "success")
    return redirect(url_for("posts.edit", post_id=solution.id), 303)


# --- search before posting ------------------------------------------------------------------


def _typed(source) -> dict[str, str]:
    return {name: (source.get(name) or "")[:5000] for name in ("title", "summary", "body")}


@bp.get("/posts/similar")
def similar():
    """What already exists like the text typed so far: a fragment for htmx, a page without JS."""
    typed = _typed(request.args)
    posts = service.similar_to_text(typed["title"], typed["summary"], typed["body"])
    return render("challenges/similar.html", "challenges/_similar_results.html", similar_posts=posts,
                  typed=typed, searched=any(typed.values()))


@bp.post("/posts/similar")
@login_required
def similar_in_form():
    """The "Visa liknande" button without JavaScript: the challenge form again, input kept, with suggestions."""
    from ..posts import forms as post_forms

    form = post_forms.post_form("challenge", current_user.organisation_id, None)
    typed = _typed(request.form)
    posts = service.similar_to_text(typed["title"], typed["summary"], typed["body"])
    return render("posts/form.html", None, form=form, kind="challenge", post=None, similar_posts=posts,
                  searched=True)
