"""Forms of the challenge conversation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from ..forms import HubForm
from ..urls import parse_id
from .service import BODY_MAX


class AnswerForm(HubForm):
    body = TextAreaField(
        _l("Ert svar"),
        id="answer-body",
        validators=[InputRequired(_l("Skriv ett svar.")), Length(max=BODY_MAX, message=_l("Svaret är för långt."))],
    )
    # The template lists the viewer's choices in groups; any published solution's id is accepted
    # (the service checks it), so an API client or a pasted id works too.
    solution_id = SelectField(_l("Länka till en åtgärd (valfritt)"), choices=[], validate_choice=False,
                              id="answer-solution")

    def validate_solution_id(self, field) -> None:
        if field.data not in (None, "") and parse_id(field.data) is None:
            raise ValidationError(_l("Välj en publicerad åtgärd."))
