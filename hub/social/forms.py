"""Forms for following and messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..forms import HubForm
from .service import MESSAGE_MAX, SUBJECT_MAX


class MessageForm(HubForm):
    to = HiddenField()
    post = HiddenField()
    subject = StringField(
        _l("Rubrik"),
        validators=[InputRequired(_l("Skriv en rubrik.")),
                    Length(max=SUBJECT_MAX, message=_l("Rubriken är för lång."))],
    )
    body = TextAreaField(
        _l("Meddelande"),
        validators=[InputRequired(_l("Skriv ett meddelande.")),
                    Length(max=MESSAGE_MAX, message=_l("Meddelandet är för långt."))],
    )
