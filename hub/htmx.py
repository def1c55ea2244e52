"""The one place that decides between a full page and an htmx fragment."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import Response, make_response, render_template, request, url_for

from .urls import safe_next


def wants_fragment() -> bool:
    """True for targeted htmx requests; boosted and history-restore requests get the page."""
    headers = getattr(request, "htmx", None)
    return bool(headers) and not headers.boosted and not headers.history_restore_request


def render(page: str, fragment: str | None = None, status: int = 200, **context) -> Response:
    template = fragment if fragment and wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def render_invalid(page: str, fragment: str | None = None, **context) -> Response:
    """An invalid form: 422 for browsers without JS, swapped anyway by htmx (it skips 4xx)."""
    response = render(page, fragment, status=422, **context)
    if wants_fragment() or getattr(request, "htmx", False):
        response.headers["HX-Reswap"] = "outerHTML" if wants_fragment() else "innerHTML"
        response.status_code = 200
    return response


def current_page() -> str | None:
    """The same-site page an htmx request was sent from (its HX-Current-URL), as a path."""
    headers = getattr(request, "htmx", None)
    parts = urlsplit((headers.current_url if headers else None) or "")
    if parts.netloc != request.host:
        return None
    return safe_next(urlunsplit(("", "", parts.path, parts.query, "")))


def login_redirect() -> Response:
    """Send an anonymous user to the login page; htmx gets HX-Redirect instead of a swapped page.

    After logging in the user comes back to the page asked for, or, for a form sent with htmx, to
    the page the form is on: the form's own URL answers POST only.
    """
    back = request.full_path.rstrip("?")
    if getattr(request, "htmx", False) and request.method != "GET":
        back = current_page() or back
    target = url_for("auth.login", next=back)
    if getattr(request, "htmx", False):
        response = make_response("", 401)
        response.headers["HX-Redirect"] = target
        return response
    from flask import redirect

    return redirect(target)
