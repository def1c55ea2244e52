"""Account forms: every message is Swedish and shown next to its field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields import TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional, Regexp

from .. import labels
from ..forms import HubForm
from .service import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


def _email_field(label=None):
    return EmailField(
        label or _l("E-postadress"),
        validators=[
            InputRequired(message=_l("Fyll i e-postadressen.")),
            Length(max=254, message=_l("E-postadressen är för lång.")),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false", "autocapitalize": "off"},
    )


def _new_password_field(label=None):
    return PasswordField(
        label or _l("Nytt lösenord"),
        validators=[
            InputRequired(message=_l("Välj ett lösenord.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l("Lösenordet måste vara minst %(min)d tecken långt.", min=MIN_PASSWORD_LENGTH),
            ),
            Length(
                max=MAX_PASSWORD_LENGTH,
                message=_l("Lösenordet får vara högst %(max)d tecken långt.", max=MAX_PASSWORD_LENGTH),
            ),
        ],
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD_LENGTH},
    )


def _confirm_field(other: str):
    return PasswordField(
        _l("Upprepa lösenordet"),
        validators=[
            InputRequired(message=_l("Skriv lösenordet en gång till.")),
            EqualTo(other, message=_l("Lösenorden är inte likadana.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def _current_password_field(label=None):
    return PasswordField(
        label or _l("Nuvarande lösenord"),
        validators=[
            InputRequired(message=_l("Fyll i ditt nuvarande lösenord.")),
            Length(max=1000, message=_l("Lösenordet är för långt.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )


class LoginForm(HubForm):
    email = EmailField(
        _l("E-postadress"),
        validators=[
            InputRequired(message=_l("Fyll i din e-postadress.")),
            Length(max=254, message=_l("E-postadressen är för lång.")),
        ],
        render_kw={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "off"},
    )
    password = PasswordField(
        _l("Lösenord"),
        validators=[
            InputRequired(message=_l("Fyll i ditt lösenord.")),
            Length(max=1000, message=_l("Lösenordet är för långt.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Kom ihåg mig"))
    next = HiddenField()


class SecondFactorForm(HubForm):
    code = StringField(
        _l("Engångskod"),
        validators=[
            InputRequired(message=_l("Fyll i koden från din app eller en återställningskod.")),
            Length(max=40, message=_l("Koden är för lång.")),
        ],
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"},
    )


class TotpSetupForm(HubForm):
    code = StringField(
        _l("Koden som appen visar"),
        validators=[
            InputRequired(message=_l("Fyll i den sexsiffriga koden från appen.")),
            Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message=_l("Koden består av sex siffror.")),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class InviteForm(HubForm):
    email = EmailField(
        _l("E-postadress"),
        validators=[
            InputRequired(message=_l("Fyll i e-postadressen.")),
            Length(max=254, message=_l("E-postadressen är för lång.")),
            Email(message=_l("Det ser inte ut som en e-postadress."), granular_message=False),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"},
    )
    is_org_admin = BooleanField(_l("Organisationsadministratör (får bjuda in fler från organisationen)"))


class AdminInviteForm(InviteForm):
    """What an admin may choose besides the address: any organisation, any role."""

    organisation = SelectField(
        _l("Organisation"),
        coerce=int,
        validators=[InputRequired(message=_l("Välj en organisation."))],
        validate_choice=True,
    )
    role = SelectField(
        _l("Roll"),
        choices=labels.choices(labels.ROLES),
        default="member",
        validators=[InputRequired(message=_l("Välj en roll."))],
    )


class AcceptInvitationForm(HubForm):
    name = StringField(
        _l("Ditt namn"),
        validators=[
            DataRequired(message=_l("Fyll i ditt namn.")),
            Length(max=120, message=_l("Namnet får vara högst %(max)d tecken.", max=120)),
        ],
        render_kw={"autocomplete": "name"},
    )
    password = _new_password_field(_l("Lösenord"))
    confirm = _confirm_field("password")


class ResetRequestForm(HubForm):
    email = _email_field()


class ResetPasswordForm(HubForm):
    password = _new_password_field()
    confirm = _confirm_field("password")


class ProfileForm(HubForm):
    name = StringField(
        _l("Namn"),
        validators=[
            DataRequired(message=_l("Fyll i ditt namn.")),
            Length(max=120, message=_l("Namnet får vara högst %(max)d tecken.", max=120)),
        ],
        render_kw={"autocomplete": "name"},
    )
    email_mode = RadioField(
        _l("E-post om aviseringar"),
        choices=labels.choices(labels.EMAIL_MODES),
        validators=[InputRequired(message=_l("Välj hur du vill få e-post."))],
    )


class ChangePasswordForm(HubForm):
    current_password = _current_password_field()
    new_password = _new_password_field()
    confirm = _confirm_field("new_password")


class PasswordConfirmForm(HubForm):
    """Confirm a sensitive change (turning off TOTP, new recovery codes) with the password."""

    password = _current_password_field(_l("Ditt lösenord"))


class PersonDecisionForm(HubForm):
    reason = TextAreaField(
        _l("Motivering"),
        validators=[Optional(), Length(max=1000, message=_l("Motiveringen får vara högst %(max)d tecken.", max=1000))],
    )


class DeactivateForm(HubForm):
    reason = TextAreaField(
        _l("Motivering"),
        validators=[
            DataRequired(message=_l("Skriv varför kontot inaktiveras.")),
            Length(max=1000, message=_l("Motiveringen får vara högst %(max)d tecken.", max=1000)),
        ],
    )
