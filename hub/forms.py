"""The base form every hub form builds on."""

from __future__ import annotations

from flask_wtf import FlaskForm

from .text import nfc


class HubForm(FlaskForm):
    """A FlaskForm whose text fields are NFC-normalised before validation and storage."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            options["filters"] = (nfc, *options.get("filters", ()))
            return unbound_field.bind(form=form, **options)
