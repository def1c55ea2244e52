"""The form a moderator uses to pick Månadens exempel."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from ..forms import HubForm
from .service import CITATION_MAX, MONTH_RE


class MonthlyForm(HubForm):
    post_id = HiddenField()
    month = StringField(
        _l("Månad"),
        validators=[
            DataRequired(message=_l("Ange månaden.")),
            Regexp(MONTH_RE, message=_l("Ange månaden som ÅÅÅÅ-MM.")),
        ],
        render_kw={"type": "month", "placeholder": _l("ÅÅÅÅ-MM")},
    )
    citation = TextAreaField(
        _l("Motivering (kort citat som visas på startsidan)"),
        validators=[
            DataRequired(message=_l("Skriv en kort motivering.")),
            Length(max=CITATION_MAX, message=_l("Högst %(max)d tecken.")),
        ],
    )
