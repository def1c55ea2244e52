"""The organisation profile form: admins add organisations, organisation admins keep theirs up to date."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length

from .. import labels
from ..forms import HubForm
from .service import WEBSITE_MAX


class ProfileForm(HubForm):
    name = StringField(_l("Namn"), validators=[Length(max=200, message=_l("Namnet får vara högst 200 tecken."))],
                       render_kw={"required": True, "maxlength": 200})
    kind = SelectField(_l("Slag av aktör"), choices=labels.choices(labels.ORG_KINDS, blank=_l("Välj …")),
                       validate_choice=False)
    municipality = StringField(_l("Kommun"), validators=[Length(max=80, message=_l("Högst 80 tecken."))],
                               render_kw={"maxlength": 80, "autocomplete": "address-level2"})
    sector = StringField(_l("Sektor eller bransch"), validators=[Length(max=120, message=_l("Högst 120 tecken."))],
                         render_kw={"maxlength": 120})
    size_band = SelectField(_l("Storlek"), choices=labels.choices(labels.SIZE_BANDS, blank=_l("Uppgift saknas")),
                            validate_choice=False)
    website = StringField(_l("Webbplats"), render_kw={"type": "url", "inputmode": "url", "maxlength": WEBSITE_MAX,
                                                     "placeholder": "https://"})
    description = TextAreaField(_l("Beskrivning"),
                                validators=[Length(max=5000, message=_l("Beskrivningen får vara högst 5 000 tecken."))],
                                render_kw={"rows": 6})

    def add_errors(self, errors: dict) -> None:
        for name, message in errors.items():
            getattr(self, name).errors = [*getattr(self, name).errors, message]


class NewOrganisationForm(ProfileForm):
    slug = StringField(_l("Adress (slug)"), validators=[Length(max=80, message=_l("Högst 80 tecken."))],
                       render_kw={"maxlength": 80, "spellcheck": "false", "autocapitalize": "off"})
