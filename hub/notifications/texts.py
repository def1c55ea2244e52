"""What a notification says and where it leads, for the list page and for e-mail."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from ..models import Notification


def describe(note: Notification, reader_organisation_id: int | None = None) -> str:
    """One sentence in the current language, e.g. "T-Kartor svarade på utmaningen …"."""
    org = note.actor_organisation.name if note.actor_organisation else _("En organisation")
    title = note.post.title if note.post is not None else note.text
    kind = note.kind
    if kind == "answer" and note.post is not None and reader_organisation_id not in (None, note.post.organisation_id):
        return _("%(org)s svarade på utmaningen ”%(title)s” som du följer.", org=org, title=title)
    if kind == "answer":
        return _("%(org)s svarade på utmaningen ”%(title)s”.", org=org, title=title)
    if kind == "accepted":
        return _("%(org)s markerade ert svar som lösningen på ”%(title)s”.", org=org, title=title)
    if kind == "copied":
        return _("%(org)s kopierade ”%(title)s” till sin organisation.", org=org, title=title)
    if kind == "new_post":
        return _("Nytt från %(org)s: ”%(title)s”.", org=org, title=title)
    if kind == "message":
        return _("Meddelande från %(org)s: ”%(subject)s”.", org=org, subject=note.text)
    if kind == "moderation":
        return _("Väntar på granskning: ”%(title)s”.", title=title)
    if kind == "approved":
        return _("”%(title)s” är godkänt och publicerat.", title=title)
    if kind == "hidden":
        return _("”%(title)s” har dolts av en moderator.", title=title)
    if kind == "update_request":
        return _("En moderator ber er se över och uppdatera ”%(title)s”.", title=title)
    return note.text or title or _("Ny händelse")


def target(note: Notification, **url_options) -> str | None:
    """Where the notification leads: the message, the post (at its answers), or nowhere."""
    try:
        if note.message_id:
            return url_for("social.message", message_id=note.message_id, **url_options)
        if note.kind == "moderation":
            return url_for("moderation.queue", **url_options)
        if note.post_id:
            anchor = "answers" if note.kind in ("answer", "accepted") else None
            return url_for("posts.show", post_id=note.post_id, _anchor=anchor, **url_options)
    except BuildError:  # a feature that is not installed
        return None
    return None
