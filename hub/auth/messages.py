"""What the account service's error codes say to a person, in the interface language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .service import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

ERRORS = {
    "bad_email": _l("Det ser inte ut som en e-postadress."),
    "email_taken": _l("Det finns redan ett konto med den e-postadressen."),
    "unknown_organisation": _l("Organisationen finns inte."),
    "bad_role": _l("Välj en roll i listan."),
    "name_required": _l("Fyll i ditt namn."),
    "bad_email_mode": _l("Välj ett av alternativen."),
    "password_too_short": _l(
        "Lösenordet måste vara minst %(min)d tecken långt.", min=MIN_PASSWORD_LENGTH
    ),
    "password_too_long": _l("Lösenordet får vara högst %(max)d tecken långt.", max=MAX_PASSWORD_LENGTH),
    "wrong_password": _l("Lösenordet stämmer inte."),
    "wrong_code": _l("Koden stämmer inte. Kontrollera att klockan i telefonen går rätt och försök igen."),
    "no_secret": _l("Börja om inställningen och skanna QR-koden igen."),
    "totp_mandatory": _l("Moderatorer och administratörer måste ha tvåstegsverifiering."),
    "totp_not_enabled": _l("Tvåstegsverifiering är inte påslagen."),
    "target_is_admin": _l("Administratörers roll ändras inte här."),
    "self": _l("Du kan inte inaktivera ditt eget konto."),
}


def error_text(code: str) -> str:
    return str(ERRORS.get(code, _l("Det gick inte att spara. Kontrollera uppgifterna och försök igen.")))

# Labels for the audit log entries this package writes (target_type "user").
AUDIT_ACTIONS = {
    "grant_moderator": _l("Gav moderatorsroll"),
    "revoke_moderator": _l("Tog bort moderatorsroll"),
    "deactivate_user": _l("Inaktiverade kontot"),
    "reactivate_user": _l("Återaktiverade kontot"),
}
