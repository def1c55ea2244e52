from __future__ import annotations

from flask import abort, current_app, redirect, request, session, url_for
from sqlalchemy import text

from ..extensions import db, limiter
from ..htmx import render
from ..urls import safe_next
from . import bp
from .home import context as home_context


@bp.get("/healthz")
@limiter.exempt
def healthz():
    db.session.execute(text("SELECT 1"))
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.post("/language")
def language():
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"), 303)


@bp.get("/")
def home():
    return render("main/home.html", **home_context())
