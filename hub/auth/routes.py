"""Login (with the second factor), logout, invitations, password reset and the account page."""

from __future__ import annotations

import logging
import math
import time

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from wtforms import SelectChoice

from .. import labels
from ..extensions import db, limiter
from ..htmx import render, render_invalid
from ..mail import mail_configured, send_mail
from ..urls import parse_id, safe_next
from . import bp, load_user, service
from .decorators import SECOND_FACTOR_KEY, second_factor_done, second_factor_redirect, second_factor_required
from .forms import (
    AcceptInvitationForm,
    AdminInviteForm,
    ChangePasswordForm,
    InviteForm,
    LoginForm,
    PasswordConfirmForm,
    ProfileForm,
    ResetPasswordForm,
    ResetRequestForm,
    SecondFactorForm,
    TotpSetupForm,
)
from .messages import error_text

log = logging.getLogger(__name__)

PENDING_KEY = "pending_login"  # password given, second factor still to come
PENDING_MAX_AGE = 10 * 60
SETUP_KEY = "totp_setup"  # a TOTP secret shown but not yet confirmed
CODES_KEY = "new_recovery_codes"  # shown once on the next page, then gone
INVITE_LINK_KEY = "invite_link"
AUTH_SESSION_KEYS = (PENDING_KEY, SETUP_KEY, CODES_KEY, INVITE_LINK_KEY, SECOND_FACTOR_KEY)


# --- rate limits ------------------------------------------------------------------------------
# Limits come from config when set (AUTH_LOGIN_LIMIT_IP, ...), so an operator can tune them.


def _config_limit(name: str, default: str):
    return lambda: current_app.config.get(name, default)


def _posted_email_key() -> str:
    return "account:" + service.normalise_email(request.form.get("email", ""))[:254]


def _second_factor_key() -> str:
    pending = session.get(PENDING_KEY)
    if isinstance(pending, dict) and isinstance(pending.get("user"), str):
        return "2fa:" + pending["user"].partition(":")[0]
    if current_user.is_authenticated:
        return f"2fa:{current_user.id}"
    return "2fa:" + get_remote_address()


def _user_key() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def _wait_text(limit) -> str:
    minutes = max(1, math.ceil((limit.reset_at - time.time()) / 60))
    return ngettext(
        "Vänta %(num)s minut och försök sedan igen.", "Vänta %(num)s minuter och försök sedan igen.", minutes
    )


def _status_page(template: str, status: int, **context):
    """A page with an error status; htmx (which swaps no 4xx) gets it as 200 with HX-Reswap."""
    response = render(template, status=status, **context)
    if getattr(request, "htmx", False):
        response.status_code = 200
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def _login_limited(limit):
    return _status_page("auth/login.html", 429, form=LoginForm(), limited=_wait_text(limit))


def _code_limited(limit):
    return _status_page(
        "auth/login_code.html", 429, form=SecondFactorForm(), limited=_wait_text(limit), next_url=_next_arg()
    )


def _reset_limited(limit):
    return _status_page("auth/reset_request.html", 429, form=ResetRequestForm(), limited=_wait_text(limit))


@bp.errorhandler(429)
def rate_limited(error):
    # Our on_breach callbacks built the page that says what happened; use it.
    response = getattr(error, "response", None)
    if response is not None:
        return response
    return _status_page("errors/429.html", 429)


# --- helpers ----------------------------------------------------------------------------------


def _next_arg() -> str | None:
    return safe_next(request.args.get("next"))


def _home_or(next_url: str | None):
    return redirect(next_url or url_for("main.home"), 303)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for e-mail and logs; HUB_BASE_URL wins over the request's host."""
    base = current_app.config.get("HUB_BASE_URL")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def _field_error(form, error: service.AccountError) -> None:
    field = getattr(form, error.field or "", None)
    target = field.errors if field is not None else form.form_errors
    if isinstance(target, tuple):  # WTForms leaves untouched fields with an immutable tuple
        target = list(target)
        field.errors = target
    target.append(error_text(error.code))


def _clear_auth_session() -> None:
    for key in AUTH_SESSION_KEYS:
        session.pop(key, None)


def _start_pending(user, remember: bool) -> None:
    """Password accepted; the login completes only after the second factor."""
    _clear_auth_session()
    session[PENDING_KEY] = {"user": user.get_id(), "remember": bool(remember), "at": int(time.time())}


def _pending():
    """(user, remember) for a pending login that is still fresh, or (None, False)."""
    data = session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None, False
    at = data.get("at")
    if not isinstance(at, int) or time.time() - at > PENDING_MAX_AGE:
        session.pop(PENDING_KEY, None)
        return None, False
    user = load_user(data.get("user") if isinstance(data.get("user"), str) else "")
    if user is None:
        session.pop(PENDING_KEY, None)
        return None, False
    return user, bool(data.get("remember"))


def _complete_login(user, remember: bool, second_factor: bool) -> None:
    _clear_auth_session()
    login_user(user, remember=remember, fresh=True)
    if second_factor:
        session[SECOND_FACTOR_KEY] = True
    service.record_login(user)


def _setup_secret(user) -> str:
    """The TOTP secret being set up for this user, made once and kept until confirmed."""
    data = session.get(SETUP_KEY)
    if isinstance(data, dict) and data.get("user") == user.id and isinstance(data.get("secret"), str):
        return data["secret"]
    secret = service.new_totp_secret()
    session[SETUP_KEY] = {"user": user.id, "secret": secret}
    return secret


def _setup_context(user, secret: str) -> dict:
    uri = service.totp_uri(user, secret)
    return {
        "qr": service.qr_svg(uri, _("QR-kod för tvåstegsverifiering i Klimathubben")),
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "otpauth_uri": uri,
    }


# --- login, second factor, logout -------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    _config_limit("AUTH_LOGIN_LIMIT_IP", "10/minute;50/hour"),
    key_func=get_remote_address,
    methods=["POST"],
    on_breach=_login_limited,
)
@limiter.limit(
    _config_limit("AUTH_LOGIN_LIMIT_ACCOUNT", "5/minute;20/hour"),
    key_func=_posted_email_key,
    methods=["POST"],
    on_breach=_login_limited,
)
def login():
    form = LoginForm()
    if request.method == "GET":
        if current_user.is_authenticated:
            return _home_or(_next_arg())
        form.next.data = _next_arg() or ""
        return render("auth/login.html", form=form)

    if not form.validate():
        return render_invalid("auth/login.html", form=form)
    user = service.authenticate(form.email.data, form.password.data)
    if user is None:
        return render_invalid("auth/login.html", form=form, login_error=_("Fel e-postadress eller lösenord."))
    if not user.active:
        # Said only to someone who knows the password, so it reveals nothing to a guesser.
        return render_invalid(
            "auth/login.html",
            form=form,
            login_error=_("Kontot är inaktiverat. Kontakta en administratör om du tror att det är fel."),
        )

    next_url = safe_next(form.next.data)
    if service.requires_second_factor(user):
        _start_pending(user, form.remember.data)
        step = "auth.login_code" if user.totp_enabled else "auth.login_enrol"
        return redirect(url_for(step, next=next_url), 303)
    _complete_login(user, form.remember.data, second_factor=False)
    flash(_("Välkommen, %(name)s!", name=user.name), "success")
    return _home_or(next_url)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(
    _config_limit("AUTH_CODE_LIMIT", "5/minute;30/hour"),
    key_func=_second_factor_key,
    methods=["POST"],
    on_breach=_code_limited,
)
def login_code():
    next_url = _next_arg()
    user, remember = _pending()
    pending = user is not None
    if not pending:
        if not current_user.is_authenticated:
            flash(_("Inloggningen tog för lång tid. Logga in igen."), "warning")
            return redirect(url_for("auth.login", next=next_url))
        if second_factor_done():
            return _home_or(next_url)
        user = current_user._get_current_object()
    if not user.totp_enabled:
        step = "auth.login_enrol" if pending else "auth.account_totp"
        return redirect(url_for(step, next=next_url))

    form = SecondFactorForm()
    if request.method == "POST":
        if not form.validate():
            return render_invalid("auth/login_code.html", form=form, next_url=next_url)
        kind = service.verify_second_factor(user, form.code.data)
        if kind is None:
            form.code.errors.append(_("Koden stämmer inte. Kontrollera den och försök igen."))
            return render_invalid("auth/login_code.html", form=form, next_url=next_url)
        if pending:
            _complete_login(user, remember, second_factor=True)
        else:
            session[SECOND_FACTOR_KEY] = True
        if kind == "recovery":
            left = service.remaining_recovery_codes(user)
            flash(
                ngettext(
                    "Du loggade in med en återställningskod. Du har %(num)s kod kvar.",
                    "Du loggade in med en återställningskod. Du har %(num)s koder kvar.",
                    left,
                ),
                "warning",
            )
        return _home_or(next_url)
    return render("auth/login_code.html", form=form, next_url=next_url)


@bp.route("/login/enrol", methods=["GET", "POST"])
def login_enrol():
    """Moderators and admins without TOTP set it up right after the password step."""
    next_url = _next_arg()
    user, remember = _pending()
    if user is None:
        if current_user.is_authenticated:
            return redirect(url_for("auth.account_totp", next=next_url))
        flash(_("Inloggningen tog för lång tid. Logga in igen."), "warning")
        return redirect(url_for("auth.login", next=next_url))
    if user.totp_enabled:
        return redirect(url_for("auth.login_code", next=next_url))

    secret = _setup_secret(user)
    form = TotpSetupForm()
    context = {
        "form": form,
        "action": url_for("auth.login_enrol", next=next_url),
        "during_login": True,
        **_setup_context(user, secret),
    }
    if request.method == "POST":
        if not form.validate():
            return render_invalid("auth/totp_setup.html", **context)
        try:
            codes = service.enable_totp(user, secret, form.code.data)
        except service.AccountError as error:
            _field_error(form, error)
            return render_invalid("auth/totp_setup.html", **context)
        _complete_login(user, remember, second_factor=True)
        session[CODES_KEY] = codes
        flash(_("Tvåstegsverifieringen är påslagen."), "success")
        return redirect(url_for("auth.recovery_codes", next=next_url), 303)
    return render("auth/totp_setup.html", **context)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        # A new session token voids every cookie of this account, the remember cookie included.
        current_user.end_sessions()
        db.session.commit()
    _clear_auth_session()
    logout_user()
    flash(_("Du är utloggad."), "success")
    return redirect(url_for("main.home"), 303)


# --- invitations ------------------------------------------------------------------------------


def _invite_form():
    if current_user.is_admin:
        form = AdminInviteForm()
        form.organisation.choices = [
            SelectChoice(org.id, org.name) for org in service.invitable_organisations(current_user)
        ]
        if request.method == "GET":  # coming from a newly added organisation: invite into it
            form.organisation.data = parse_id(request.args.get("organisation"))
        return form
    return InviteForm()


@bp.route("/invite", methods=["GET", "POST"])
@login_required
@second_factor_required
def invite():
    if not service.can_invite(current_user):
        abort(403)
    form = _invite_form()
    context = {
        "form": form,
        "invitations": service.sent_invitations(current_user),
        "expired": service.invitation_expired,
    }
    if request.method == "POST":
        if not form.validate():
            return render_invalid("auth/invite.html", **context)
        admin = isinstance(form, AdminInviteForm)
        try:
            invitation, token = service.create_invitation(
                current_user,
                form.email.data,
                form.organisation.data if admin else current_user.organisation_id,
                role=form.role.data if admin else "member",
                is_org_admin=form.is_org_admin.data,
            )
        except service.AccountError as error:
            _field_error(form, error)
            return render_invalid("auth/invite.html", **context)

        link = external_url("auth.accept_invite", token=token)
        sent = False
        if mail_configured():
            body = render_template(
                "auth/mail/invite.txt", invitation=invitation, inviter=current_user, link=link
            )
            sent = send_mail(invitation.email, _("Inbjudan till Klimathubben"), body)
        if sent:
            flash(_("Inbjudan är skickad till %(email)s.", email=invitation.email), "success")
        else:
            log.info("Invitation link for %s (mail not sent): %s", invitation.email, link)
            session[INVITE_LINK_KEY] = {"email": invitation.email, "link": link, "mail_failed": mail_configured()}
            flash(_("Inbjudan till %(email)s är skapad.", email=invitation.email), "success")
        return redirect(url_for("auth.invite"), 303)

    new_link = session.pop(INVITE_LINK_KEY, None)
    return render("auth/invite.html", new_link=new_link if isinstance(new_link, dict) else None, **context)


_INVALID_LINK_STATUS = {"invalid": 404, "expired": 410, "used": 410, "registered": 410}


def _invalid_link(kind: str, reason: str):
    return _status_page(
        "auth/invalid_link.html", _INVALID_LINK_STATUS.get(reason, 404), kind=kind, reason=reason
    )


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    try:
        invitation = service.load_invitation(token)
    except service.InvalidToken as error:
        return _invalid_link("invite", error.reason)
    form = AcceptInvitationForm()
    context = {"form": form, "invitation": invitation, "token": token}
    if request.method == "POST":
        if not form.validate():
            return render_invalid("auth/accept_invite.html", **context)
        try:
            user = service.accept_invitation(token, form.name.data, form.password.data)
        except service.InvalidToken as error:
            return _invalid_link("invite", error.reason)
        except service.AccountError as error:
            _field_error(form, error)
            return render_invalid("auth/accept_invite.html", **context)
        if service.requires_second_factor(user):
            _start_pending(user, remember=False)
            flash(
                _("Kontot är skapat. Som %(role)s behöver du nu slå på tvåstegsverifiering.",
                  role=labels.ROLES[user.role].lower()),
                "success",
            )
            return redirect(url_for("auth.login_enrol"), 303)
        _complete_login(user, remember=False, second_factor=False)
        flash(_("Välkommen till Klimathubben, %(name)s! Ditt konto är klart.", name=user.name), "success")
        return redirect(url_for("main.home"), 303)
    return render("auth/accept_invite.html", **context)


# --- password reset ---------------------------------------------------------------------------


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(
    _config_limit("AUTH_RESET_LIMIT_IP", "5/minute;30/hour"),
    key_func=get_remote_address,
    methods=["POST"],
    on_breach=_reset_limited,
)
@limiter.limit(
    _config_limit("AUTH_RESET_LIMIT_ACCOUNT", "3/minute;6/hour"),
    key_func=_posted_email_key,
    methods=["POST"],
    on_breach=_reset_limited,
)
def reset_request():
    form = ResetRequestForm()
    if request.method == "POST":
        if not form.validate():
            return render_invalid("auth/reset_request.html", form=form)
        found = service.request_password_reset(form.email.data)
        if found is not None:
            user, token = found
            link = external_url("auth.reset_password", token=token)
            body = render_template("auth/mail/reset.txt", user=user, link=link)
            # Without MAIL_SERVER send_mail writes the message, link included, to the log only.
            send_mail(user.email, _("Välj ett nytt lösenord för Klimathubben"), body)
        flash(
            _(
                "Om adressen hör till ett konto hos oss har vi skickat en länk för att välja ett nytt "
                "lösenord. Länken gäller i två timmar."
            ),
            "success",
        )
        return redirect(url_for("auth.login"), 303)
    return render("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user = service.load_reset_token(token)
    except service.InvalidToken as error:
        return _invalid_link("reset", error.reason)
    form = ResetPasswordForm()
    context = {"form": form, "token": token, "user": user}
    if request.method == "POST":
        if not form.validate():
            return render_invalid("auth/reset_password.html", **context)
        try:
            service.reset_password(token, form.password.data)
        except service.InvalidToken as error:
            return _invalid_link("reset", error.reason)
        except service.AccountError as error:
            _field_error(form, error)
            return render_invalid("auth/reset_password.html", **context)
        _clear_auth_session()
        logout_user()
        flash(_("Ditt lösenord är bytt. Logga in med det nya lösenordet."), "success")
        return redirect(url_for("auth.login"), 303)
    return render("auth/reset_password.html", **context)


# --- the account page -------------------------------------------------------------------------


def _account_page(status: int = 200, **forms):
    user = current_user._get_current_object()
    context = {
        "user": user,
        "profile_form": forms.get("profile_form") or ProfileForm(formdata=None, obj=user),
        "password_form": forms.get("password_form") or ChangePasswordForm(formdata=None),
        "totp_form": forms.get("totp_form") or PasswordConfirmForm(formdata=None, prefix="totp"),
        "codes_form": forms.get("codes_form") or PasswordConfirmForm(formdata=None, prefix="codes"),
        "recovery_left": service.remaining_recovery_codes(user) if user.totp_enabled else 0,
        "can_invite": service.can_invite(user),
    }
    if status == 200:
        return render("auth/account.html", **context)
    return render_invalid("auth/account.html", **context)


@bp.get("/account")
@login_required
def account():
    return _account_page()


@bp.post("/account/profile")
@login_required
def account_profile():
    form = ProfileForm()
    if not form.validate():
        return _account_page(422, profile_form=form)
    try:
        service.update_profile(current_user, form.name.data, form.email_mode.data)
    except service.AccountError as error:
        _field_error(form, error)
        return _account_page(422, profile_form=form)
    flash(_("Dina uppgifter är sparade."), "success")
    return redirect(url_for("auth.account"), 303)


@bp.post("/account/password")
@login_required
@limiter.limit(_config_limit("AUTH_PASSWORD_LIMIT", "5/minute;20/hour"), key_func=_user_key)
def account_password():
    form = ChangePasswordForm()
    if not form.validate():
        return _account_page(422, password_form=form)
    user = current_user._get_current_object()
    try:
        service.change_password(user, form.current_password.data, form.new_password.data)
    except service.AccountError as error:
        _field_error(form, error)
        return _account_page(422, password_form=form)
    # Every other session ended with the old token; this one carries on with the new one.
    remembered = request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    login_user(user, remember=bool(remembered), fresh=True)
    flash(_("Lösenordet är bytt. Du har loggats ut överallt utom här."), "success")
    return redirect(url_for("auth.account"), 303)


@bp.route("/account/totp", methods=["GET", "POST"])
@login_required
def account_totp():
    user = current_user._get_current_object()
    # Replacing a working second factor needs that factor first.
    if user.totp_enabled and not second_factor_done():
        return second_factor_redirect()
    next_url = _next_arg()
    secret = _setup_secret(user)
    form = TotpSetupForm()
    context = {
        "form": form,
        "action": url_for("auth.account_totp", next=next_url),
        "during_login": False,
        "replacing": user.totp_enabled,
        **_setup_context(user, secret),
    }
    if request.method == "POST":
        if not form.validate():
            return render_invalid("auth/totp_setup.html", **context)
        try:
            codes = service.enable_totp(user, secret, form.code.data)
        except service.AccountError as error:
            _field_error(form, error)
            return render_invalid("auth/totp_setup.html", **context)
        session.pop(SETUP_KEY, None)
        session[SECOND_FACTOR_KEY] = True
        session[CODES_KEY] = codes
        flash(_("Tvåstegsverifieringen är påslagen."), "success")
        return redirect(url_for("auth.recovery_codes", next=next_url), 303)
    return render("auth/totp_setup.html", **context)


@bp.post("/account/totp/disable")
@login_required
def account_totp_disable():
    user = current_user._get_current_object()
    if user.totp_enabled and not second_factor_done():
        return second_factor_redirect()
    form = PasswordConfirmForm(prefix="totp")
    if not form.validate():
        return _account_page(422, totp_form=form)
    try:
        service.disable_totp(user, form.password.data)
    except service.AccountError as error:
        if error.code == "totp_mandatory":
            abort(403)
        _field_error(form, error)
        return _account_page(422, totp_form=form)
    flash(_("Tvåstegsverifieringen är avstängd."), "success")
    return redirect(url_for("auth.account"), 303)


@bp.route("/account/recovery-codes", methods=["GET", "POST"])
@login_required
def recovery_codes():
    user = current_user._get_current_object()
    next_url = _next_arg()
    if request.method == "POST":
        if user.totp_enabled and not second_factor_done():
            return second_factor_redirect()
        form = PasswordConfirmForm(prefix="codes")
        if not form.validate():
            return _account_page(422, codes_form=form)
        try:
            codes = service.regenerate_recovery_codes(user, form.password.data)
        except service.AccountError as error:
            if error.code == "totp_not_enabled":
                abort(400)
            _field_error(form, error)
            return _account_page(422, codes_form=form)
        session[CODES_KEY] = codes
        flash(_("Nya återställningskoder är skapade. De gamla fungerar inte längre."), "success")
        return redirect(url_for("auth.recovery_codes"), 303)

    codes = session.pop(CODES_KEY, None)
    if not isinstance(codes, list) or not codes:
        flash(_("Återställningskoderna visas bara en gång. Skapa nya om du har tappat bort dem."), "warning")
        return redirect(url_for("auth.account"))
    response = render("auth/recovery_codes.html", codes=codes, next_url=next_url)
    response.headers["Cache-Control"] = "no-store"
    return response
