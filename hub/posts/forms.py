"""The post forms: one per kind, sharing the common fields."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .. import labels
from ..areas.service import all_areas
from ..forms import HubForm
from ..i18n import current_locale
from ..models import Post
from . import service


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice; values that are not offered give a Swedish error, not a crash."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = []
            self._bad_input = True

    def pre_validate(self, form):
        if getattr(self, "_bad_input", False):
            raise ValidationError(_l("Välj bland alternativen."))
        offered = {str(choice.value) for choice in self._iter_choices_normalized()}
        if any(str(value) not in offered for value in self.data or []):
            raise ValidationError(_l("Välj bland alternativen."))


class Choice(SelectField):
    """A select whose unknown values give a Swedish error."""

    def pre_validate(self, form):
        if self.data in (None, "") and not self.flags.required:
            return
        if str(self.data) not in {str(choice.value) for choice in self._iter_choices_normalized()}:
            raise ValidationError(_l("Välj ett av alternativen."))


def _int_or_none(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    return int(value)


class PostForm(HubForm):
    """Fields every kind has; the subclasses add their own."""

    submission_key = HiddenField()
    version = HiddenField()
    title = StringField(
        _l("Rubrik"),
        validators=[
            InputRequired(message=_l("Skriv en rubrik.")),
            Length(max=service.TITLE_MAX, message=_l("Högst %(max)d tecken.")),
        ],
    )
    summary = TextAreaField(
        _l("Sammanfattning"),
        description=_l("Ett par meningar som visas i listor och sökresultat."),
        validators=[
            InputRequired(message=_l("Skriv en kort sammanfattning.")),
            Length(max=service.SUMMARY_MAX, message=_l("Högst %(max)d tecken.")),
        ],
    )
    body = TextAreaField(
        _l("Beskrivning"),
        description=_l("Berätta mer. Du kan använda Markdown: **fet**, *kursiv*, listor och länkar."),
        validators=[Length(max=service.BODY_MAX, message=_l("Högst %(max)d tecken."))],
    )
    tags = StringField(
        _l("Taggar"),
        description=_l("Fria nyckelord, åtskilda med kommatecken, till exempel: upphandling, cykel."),
        validators=[Length(max=600, message=_l("Högst %(max)d tecken."))],
    )
    focus_areas = MultiCheckboxField(_l("Fokusområden"), coerce=int)
    commitments = MultiCheckboxField(
        _l("Vilka av era åtaganden bidrar inlägget till?"), coerce=int
    )

    def validate_focus_areas(self, field):
        if not service.AREAS_MIN <= len(field.data or []) <= service.AREAS_MAX:
            raise ValidationError(_l("Välj ett till tre fokusområden."))

    def version_number(self) -> int | None:
        text = (self.version.data or "").strip()
        return int(text) if text.isdigit() and len(text) < 10 else None

    def post_data(self) -> dict[str, Any]:
        """The fields the service reads, by the names it reads them."""
        skip = {"submission_key", "version", "csrf_token"}
        return {name: f.data for name, f in self._fields.items() if name not in skip}

    def add_errors(self, errors: dict[str, list], fallback: str | None = "title") -> None:
        super().add_errors(errors, fallback)


class SolutionForm(PostForm):
    status = Choice(_l("Status"), choices=labels.choices((k, labels.STATUSES[k]) for k in ("planerad", "pagaende", "genomford")))
    start_year = StringField(_l("Startår"), validators=[Optional(), Length(max=4, message=_l("Ange ett årtal."))])
    end_year = StringField(_l("Slutår"), validators=[Optional(), Length(max=4, message=_l("Ange ett årtal."))])
    reduction_tonnes = StringField(
        _l("Uppskattad minskning (ton CO₂e)"),
        description=_l("Skriv talet med komma eller punkt, till exempel 12,5."),
        validators=[Optional(), Length(max=20, message=_l("Ange ett tal."))],
    )
    reduction_period = Choice(_l("Minskningen gäller"), choices=labels.choices(labels.REDUCTION_PERIODS, _l("Ej angivet")))
    estimation_method = Choice(_l("Hur minskningen uppskattats"), choices=labels.choices(labels.ESTIMATION_METHODS, _l("Ej angivet")))
    estimation_source = TextAreaField(
        _l("Källa och beräkning"),
        description=_l("Till exempel vilken emissionsfaktor ni använt och varifrån den kommer."),
        validators=[Length(max=service.SOURCE_MAX, message=_l("Högst %(max)d tecken."))],
    )
    cost_band = Choice(_l("Kostnad"), choices=labels.choices(labels.COST_BANDS, _l("Ej angivet")))
    lead_time = Choice(_l("Ledtid"), choices=labels.choices(labels.LEAD_TIMES, _l("Ej angivet")))
    prerequisites = TextAreaField(
        _l("Det här behöver ni för att kopiera åtgärden"),
        description=_l("Förutsättningar, beslut, kompetens, partner."),
        validators=[Length(max=service.TEXT_MAX, message=_l("Högst %(max)d tecken."))],
    )
    contact_enabled = BooleanField(_l("Andra får kontakta oss om åtgärden via hubben"), default=True)


class LessonForm(PostForm):
    lesson_type = Choice(
        _l("Typ av lärdom"),
        choices=labels.choices(labels.LESSON_TYPES, _l("Välj typ")),
        validators=[InputRequired(message=_l("Välj vilken sorts lärdom det är."))],
    )
    do_differently = TextAreaField(
        _l("Det här skulle vi göra annorlunda"),
        validators=[Length(max=service.TEXT_MAX, message=_l("Högst %(max)d tecken."))],
    )
    related_post = Choice(_l("Lärdomen kommer från"), coerce=_int_or_none, validators=[Optional()])


class ChallengeForm(PostForm):
    status = Choice(_l("Status"), choices=labels.choices((k, labels.STATUSES[k]) for k in ("oppen", "lost")))
    tried = TextAreaField(
        _l("Det här har vi provat"),
        validators=[Length(max=service.TEXT_MAX, message=_l("Högst %(max)d tecken."))],
    )
    help_wanted = TextAreaField(
        _l("Den här hjälpen söker vi"),
        validators=[Length(max=service.TEXT_MAX, message=_l("Högst %(max)d tecken."))],
    )


class OfferForm(PostForm):
    audience = MultiCheckboxField(
        _l("Stödet riktar sig till"), choices=labels.choices(labels.ORG_KINDS)
    )
    contact_enabled = BooleanField(_l("Andra får kontakta oss om stödet via hubben"), default=True)

    def validate_audience(self, field):
        if not field.data:
            raise ValidationError(_l("Välj vilka slags aktörer stödet riktar sig till."))


FORMS: dict[str, type[PostForm]] = {
    "solution": SolutionForm,
    "lesson": LessonForm,
    "challenge": ChallengeForm,
    "offer": OfferForm,
}


def initial_data(post: Post) -> dict[str, Any]:
    """The form's starting values for an existing post (or a fresh copy)."""
    data: dict[str, Any] = {
        "title": post.title,
        "summary": post.summary,
        "body": post.body,
        "tags": ", ".join(post.tags or []),
        "focus_areas": [a.id for a in post.focus_areas],
        "commitments": [c.id for c in post.commitments],
        "version": str(post.version),
    }
    for name in service.KIND_FIELDS[post.kind]:
        if name == "related_post":
            data[name] = post.related_post_id
        elif name in ("start_year", "end_year"):
            value = getattr(post, name)
            data[name] = "" if value is None else str(value)
        elif name == "reduction_tonnes":
            value = post.reduction_tonnes
            data[name] = "" if value is None else (f"{value:g}".replace(".", ","))
        else:
            data[name] = getattr(post, name)
    return data


def post_form(kind: str, organisation_id: int, post: Post | None = None, **kwargs) -> PostForm:
    """The form for a kind, with the choices this organisation may pick from."""
    form = FORMS[kind](**kwargs)
    locale = current_locale()
    form.focus_areas.choices = labels.choices(
        (a.id, f"{a.name(locale)} ({a.city})" if a.city else a.name(locale)) for a in all_areas()
    )
    form.commitments.choices = labels.choices(
        (c.id, f"{c.party.contract.title}: {c.number}. {c.text}") for c in service.own_commitments(organisation_id)
    )
    if kind == "lesson":
        form.related_post.choices = labels.choices(
            ((p.id, f"{labels.POST_KINDS[p.kind]}: {p.title}")
             for p in service.relatable_posts(organisation_id, post.id if post else None)),
            _l("Ingen"),
        )
    return form
