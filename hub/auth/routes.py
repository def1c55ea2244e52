from __future__ import annotations

from flask import redirect, url_for
from flask_login import current_user, logout_user

from . import bp


@bp.get("/login")
def login():
    # Replaced by the full login flow (forms, rate limits, second factor).
    return redirect(url_for("main.home"))


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        current_user.end_sessions()
        from ..extensions import db

        db.session.commit()
    logout_user()
    return redirect(url_for("main.home"), 303)
