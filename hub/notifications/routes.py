from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..htmx import render, wants_fragment
from . import inbox

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _page_arg() -> int:
    raw = request.args.get("page", "")
    return min(int(raw), 10_000) if raw.isdigit() and 0 < len(raw) < 6 and int(raw) > 0 else 1


# The list's address is /notifications; /notifications/ (older links and e-mails) answers too.
@bp.get("", strict_slashes=False)
@login_required
def index():
    page = _page_arg()
    notifications, total = inbox.for_user(current_user, page)
    return render(
        "notifications/index.html",
        "notifications/_list.html",
        notifications=notifications,
        total=total,
        page_number=page,
        pages=max(1, -(-total // inbox.PER_PAGE)),
        unread=inbox.unread_count(current_user),
    )


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    notification = inbox.mark_read(current_user, notification_id)
    if wants_fragment():
        # The item swaps in place; the header's count follows out of band.
        return render("notifications/_read.html", n=notification, oob=True, on_index=True)
    return redirect(url_for("notifications.index"), 303)


@bp.post("/read-all")
@login_required
def read_all():
    inbox.mark_all_read(current_user)
    flash(_("Alla notiser är markerade som lästa."), "success")
    return redirect(url_for("notifications.index"), 303)


@bp.get("/indicator")
def indicator():
    """The header's link with the unread count, polled by htmx; nothing to swap when logged out."""
    if not current_user.is_authenticated:
        return "", 204
    current = urlsplit(request.headers.get("HX-Current-URL", "")).path.rstrip("/")
    response = render("notifications/_indicator.html", on_index=current == url_for("notifications.index"))
    response.headers["Cache-Control"] = "no-store"
    return response
