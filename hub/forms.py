"""The base form every hub form builds on."""

from __future__ import annotations

from collections.abc import Mapping

from flask_wtf import FlaskForm

from .text import nfc


class HubForm(FlaskForm):
    """A FlaskForm whose text fields are NFC-normalised before validation and storage."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            options["filters"] = (nfc, *options.get("filters", ()))
            return unbound_field.bind(form=form, **options)

    def add_errors(self, errors: Mapping[str, object], fallback: str | None = None) -> None:
        """Errors a service found (a message or a list per field), each shown next to its field;
        one for a field the form does not have goes to `fallback`."""
        for name, messages in errors.items():
            target = self._fields.get(name) or self._fields[fallback or name]
            messages = list(messages) if isinstance(messages, (list, tuple)) else [messages]
            known = {str(m) for m in target.errors}
            target.errors = list(target.errors) + [m for m in messages if str(m) not in known]
