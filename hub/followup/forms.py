"""The form that sets a party's sustainability report link (one per party on the follow-up page)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from ..forms import HubForm
from .service import URL_MAX


class ReportUrlForm(HubForm):
    url = StringField(
        _l("Länk till hållbarhetsredovisning"),
        render_kw={"type": "url", "inputmode": "url", "maxlength": URL_MAX, "autocomplete": "url",
                   "placeholder": "https://"},
    )


def report_form(party, formdata=None) -> ReportUrlForm:
    """The party's form; its prefix keeps field ids unique when many are on one page."""
    return ReportUrlForm(formdata=formdata, prefix=f"party-{party.id}", url=party.sustainability_report_url)
