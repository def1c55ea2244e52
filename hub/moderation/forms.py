"""Forms for reports, moderation decisions and the audit log filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from .. import labels
from ..forms import HubForm

REASON_MAX = 2000


class ReportForm(HubForm):
    reason = RadioField(
        _l("Varför anmäler du?"),
        choices=[SelectChoice(key, label) for key, label in labels.REPORT_REASONS.items()],
        validators=[InputRequired(message=_l("Välj ett skäl."))],
    )
    comment = TextAreaField(
        _l("Kommentar (frivillig)"),
        validators=[Optional(), Length(max=REASON_MAX, message=_l("Högst %(max)d tecken."))],
    )
    next = HiddenField()


class DecisionForm(HubForm):
    """A decision whose reason is optional (restore, approve, dismiss, unfeature)."""

    reason = TextAreaField(
        _l("Kommentar (frivillig)"),
        validators=[Optional(), Length(max=REASON_MAX, message=_l("Högst %(max)d tecken."))],
    )
    next = HiddenField()


class ReasonForm(HubForm):
    """A decision the author must be given a reason for (hide, reject)."""

    reason = TextAreaField(
        _l("Skäl (visas för organisationen)"),
        validators=[
            DataRequired(message=_l("Skriv ett skäl.")),
            Length(max=REASON_MAX, message=_l("Högst %(max)d tecken.")),
        ],
    )
    next = HiddenField()


class FeatureForm(HubForm):
    reason = TextAreaField(
        _l("Varför är detta värt att kopiera?"),
        validators=[
            DataRequired(message=_l("Skriv varför åtgärden är värd att kopiera.")),
            Length(max=REASON_MAX, message=_l("Högst %(max)d tecken.")),
        ],
    )
    next = HiddenField()


class LogFilterForm(HubForm):
    """The audit log's filters: a GET form, so no CSRF token and shareable URLs."""

    class Meta:
        csrf = False

    action = SelectField(_l("Åtgärd"), validators=[Optional()], validate_choice=False)
    target_type = SelectField(_l("Gäller"), validators=[Optional()], validate_choice=False)
    actor = SelectField(_l("Moderator"), validators=[Optional()], validate_choice=False)
    since = DateField(_l("Från och med"), validators=[Optional()])
    until = DateField(_l("Till och med"), validators=[Optional()])
