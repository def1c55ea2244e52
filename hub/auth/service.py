"""Accounts: credentials, the second factor, invitations, password reset and people administration.

Nothing here touches the request, the session, flash messages or templates, so routes, the CLI
and tests call it alike. Errors are exceptions with a stable `code`; callers choose the words.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
import segno
from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Forbidden
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import ROLES, AuditEntry, Invitation, Organisation, RecoveryCode, User, count, password_hash_method, utcnow
from ..text import clean_line, nfc

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
INVITATION_MAX_AGE = timedelta(days=7)
RESET_MAX_AGE = timedelta(hours=2)
TOTP_ISSUER = "Klimathubben"
RECOVERY_CODE_COUNT = 10
# The demo accounts' password (seed-demo); published, so it never opens an account in production.
DEMO_PASSWORD = "klimat-demo-2030"
# No 0/o, 1/l/i: codes are typed from paper.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


# --- errors ---------------------------------------------------------------------------------


class AccountError(Exception):
    """A refused account operation; `code` names the reason for the caller to put into words."""

    def __init__(self, code: str, field: str | None = None):
        super().__init__(code)
        self.code = code
        self.field = field


class InvalidToken(Exception):
    """A link that cannot be used: reason is invalid, expired, used or registered."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- e-mail addresses and passwords ---------------------------------------------------------


def normalise_email(value: str | None) -> str:
    """The stored form of an address: NFC, trimmed, lower-cased, so lookups ignore case."""
    return nfc(nfc(value or "").strip().lower())


def find_user_by_email(email: str | None) -> User | None:
    address = normalise_email(email)
    if not address:
        return None
    return db.session.scalar(select(User).where(User.email == address))


def email_taken(email: str) -> bool:
    return find_user_by_email(email) is not None


def check_new_password(password: str) -> str:
    password = nfc(password or "")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short", "password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError("password_too_long", "password")
    return password


def set_password(user: User, password: str) -> None:
    """Set a new password; the session token rotates, so every other session of the user ends."""
    user.set_password(check_new_password(password))


_dummy_hash: str | None = None


def _spend_the_same_time(password: str) -> None:
    # An unknown address costs as much as a wrong password, so timing does not tell them apart.
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = generate_password_hash(secrets.token_hex(16), method=password_hash_method())
    check_password_hash(_dummy_hash, password)


def authenticate(email: str, password: str) -> User | None:
    """The user with this address and password (possibly inactive: the caller refuses those).

    In production the demo password, published in the README, opens no account: demo accounts
    made while a database was in development stay shut when it goes live.
    """
    password = nfc(password or "")
    user = find_user_by_email(email)
    if user is None:
        _spend_the_same_time(password)
        return None
    if not user.check_password(password):
        return None
    if current_app.config["PRODUCTION"] and hmac.compare_digest(password, DEMO_PASSWORD):
        return None
    return user


def requires_second_factor(user: User) -> bool:
    """Moderators and admins always; anyone else who has turned it on."""
    return user.needs_second_factor or user.totp_enabled


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(nfc(current or "")):
        raise AccountError("wrong_password", "current_password")
    set_password(user, new)
    db.session.commit()


def update_profile(user: User, name: str, email_mode: str) -> None:
    from ..models import EMAIL_MODES

    name = clean_line(name)
    if not name:
        raise AccountError("name_required", "name")
    if email_mode not in EMAIL_MODES:
        raise AccountError("bad_email_mode", "email_mode")
    user.name = name[:120]
    user.email_mode = email_mode
    db.session.commit()


# --- second factor: TOTP and recovery codes -------------------------------------------------


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def qr_svg(data: str, title: str) -> Markup:
    """A QR code as inline SVG markup (no image request, no inline style: the CSP allows it)."""
    svg = segno.make(data, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=title, svgclass="qr-code", lineclass=None
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def _digits(code: str) -> str:
    return "".join((code or "").split())


def _matching_step(secret: str, code: str, after: int | None) -> int | None:
    """The time step (now, or one either side for clock drift) this code belongs to, if any."""
    code = _digits(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(time.time())
    for step in (now - 1, now, now + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify_totp(user: User, code: str) -> bool:
    """Check a code against the user's secret; each code (time step) is accepted only once."""
    if not user.totp_enabled or not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        return False
    # Conditional update: two requests racing with the same code cannot both win.
    result = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(user)
    return result.rowcount == 1


def _normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in nfc(code or "").lower() if ch.isalnum())


def _recovery_hash(code: str) -> str:
    # Codes carry ~50 random bits, so a plain digest is enough and can be looked up directly.
    return hashlib.sha256(_normalise_recovery_code(code).encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def replace_recovery_codes(user: User) -> list[str]:
    """Ten fresh one-time codes (any older ones stop working); only their digests are kept."""
    db.session.execute(RecoveryCode.__table__.delete().where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(c)) for c in codes)
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    normalised = _normalise_recovery_code(code)
    if len(normalised) != 10:
        return False
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_hash(normalised),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def remaining_recovery_codes(user: User) -> int:
    return count(select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def verify_second_factor(user: User, code: str) -> str | None:
    """'totp' or 'recovery' for an accepted code, None for anything else."""
    if not user.totp_enabled:
        return None
    if _digits(code).isdigit():
        return "totp" if verify_totp(user, code) else None
    return "recovery" if use_recovery_code(user, code) else None


def enable_totp(user: User, secret: str, code: str) -> list[str]:
    """Turn TOTP on once the user proves the app shows the right code; returns recovery codes."""
    if not secret:
        raise AccountError("no_secret", "code")
    step = _matching_step(secret, code, None)
    if step is None:
        raise AccountError("wrong_code", "code")
    user.totp_secret = secret
    user.totp_enabled = True
    user.totp_last_step = step
    codes = replace_recovery_codes(user)
    db.session.commit()
    return codes


def enrol_totp(user: User) -> tuple[str, list[str]]:
    """Enrol (or re-enrol) without a code, for the command line: (otpauth URI, recovery codes)."""
    secret = new_totp_secret()
    user.totp_secret = secret
    user.totp_enabled = True
    user.totp_last_step = None
    codes = replace_recovery_codes(user)
    db.session.commit()
    return totp_uri(user, secret), codes


def disable_totp(user: User, password: str) -> None:
    if user.needs_second_factor:
        raise AccountError("totp_mandatory")
    if not user.check_password(nfc(password or "")):
        raise AccountError("wrong_password", "password")
    user.totp_secret = None
    user.totp_enabled = False
    user.totp_last_step = None
    db.session.execute(RecoveryCode.__table__.delete().where(RecoveryCode.user_id == user.id))
    db.session.commit()


def regenerate_recovery_codes(user: User, password: str) -> list[str]:
    if not user.totp_enabled:
        raise AccountError("totp_not_enabled")
    if not user.check_password(nfc(password or "")):
        raise AccountError("wrong_password", "password")
    codes = replace_recovery_codes(user)
    db.session.commit()
    return codes


# --- signed links ---------------------------------------------------------------------------


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=salt)


def _aware(moment: datetime) -> datetime:
    # SQLite hands timezone-aware columns back naive; they were stored as UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _load(salt: str, token: str, max_age: timedelta) -> dict:
    try:
        payload = _serializer(salt).loads(token or "", max_age=int(max_age.total_seconds()))
    except SignatureExpired:
        raise InvalidToken("expired") from None
    except (BadData, ValueError, TypeError):
        raise InvalidToken("invalid") from None
    if not isinstance(payload, dict):
        raise InvalidToken("invalid")
    return payload


# --- invitations ----------------------------------------------------------------------------


def can_invite(actor: User) -> bool:
    return actor.is_authenticated and actor.active and (actor.is_admin or actor.is_org_admin)


def invitable_organisations(actor: User) -> list[Organisation]:
    if actor.is_admin:
        return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    if actor.is_org_admin:
        return [actor.organisation]
    return []


def invitation_token(invitation: Invitation) -> str:
    return _serializer("invite").dumps({"i": invitation.id, "n": invitation.nonce})


def create_invitation(
    actor: User, email: str, organisation_id: int, role: str = "member", is_org_admin: bool = False
) -> tuple[Invitation, str]:
    """Invite an address into an organisation: admins anywhere with any role, org admins at home."""
    if not can_invite(actor):
        raise Forbidden()
    if role not in ROLES:
        raise AccountError("bad_role", "role")
    organisation = db.session.get(Organisation, organisation_id) if isinstance(organisation_id, int) else None
    if organisation is None:
        raise AccountError("unknown_organisation", "organisation")
    if not actor.is_admin and (organisation.id != actor.organisation_id or role != "member"):
        raise Forbidden()
    address = normalise_email(email)
    if not address or "@" not in address:
        raise AccountError("bad_email", "email")
    if email_taken(address):
        raise AccountError("email_taken", "email")
    invitation = Invitation(
        email=address,
        organisation_id=organisation.id,
        role=role,
        is_org_admin=bool(is_org_admin),
        invited_by_id=actor.id,
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation, invitation_token(invitation)


def sent_invitations(actor: User, limit: int = 20) -> list[Invitation]:
    query = select(Invitation).order_by(Invitation.created_at.desc(), Invitation.id.desc()).limit(limit)
    if not actor.is_admin:
        query = query.where(Invitation.invited_by_id == actor.id)
    return list(db.session.scalars(query))


def invitation_expired(invitation: Invitation) -> bool:
    return _aware(invitation.created_at) + INVITATION_MAX_AGE < utcnow()


def load_invitation(token: str) -> Invitation:
    """The open invitation behind a link, or InvalidToken saying why it cannot be used."""
    payload = _load("invite", token, INVITATION_MAX_AGE)
    ident, nonce = payload.get("i"), payload.get("n")
    if not isinstance(ident, int) or not isinstance(nonce, str):
        raise InvalidToken("invalid")
    invitation = db.session.get(Invitation, ident)
    if invitation is None or not hmac.compare_digest(invitation.nonce, nonce):
        raise InvalidToken("invalid")
    if invitation.accepted_at is not None:
        raise InvalidToken("used")
    if invitation_expired(invitation):
        raise InvalidToken("expired")
    if email_taken(invitation.email):
        raise InvalidToken("registered")
    return invitation


def accept_invitation(token: str, name: str, password: str) -> User:
    """Create the invited account; the link works once."""
    invitation = load_invitation(token)
    name = clean_line(name)
    if not name:
        raise AccountError("name_required", "name")
    user = User(
        email=invitation.email,
        name=name[:120],
        role=invitation.role,
        is_org_admin=invitation.is_org_admin,
        organisation_id=invitation.organisation_id,
    )
    set_password(user, password)
    # Claim the invitation with a conditional update, so two tabs racing cannot both use it.
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise InvalidToken("used")
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise InvalidToken("registered") from None
    return user


# --- password reset -------------------------------------------------------------------------


def _password_fingerprint(user: User) -> str:
    # Part of the reset link: a new password (even the same one, freshly salted) voids old links.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:24]


def reset_token(user: User) -> str:
    return _serializer("reset").dumps({"u": user.id, "f": _password_fingerprint(user)})


def request_password_reset(email: str) -> tuple[User, str] | None:
    """(user, token) for an active account with this address; None otherwise, and the caller
    answers the same either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return None
    return user, reset_token(user)


def load_reset_token(token: str) -> User:
    payload = _load("reset", token, RESET_MAX_AGE)
    ident, fingerprint = payload.get("u"), payload.get("f")
    if not isinstance(ident, int) or not isinstance(fingerprint, str):
        raise InvalidToken("invalid")
    user = db.session.get(User, ident)
    if user is None or not user.active:
        raise InvalidToken("invalid")
    if not hmac.compare_digest(_password_fingerprint(user), fingerprint):
        raise InvalidToken("used")
    return user


def reset_password(token: str, password: str) -> User:
    user = load_reset_token(token)
    set_password(user, password)
    db.session.commit()
    return user


# --- people administration ------------------------------------------------------------------

USER_STATUSES = ("active", "inactive")


@dataclass
class PeoplePage:
    users: list[User]
    total: int
    page: int
    pages: int


def list_people(
    q: str = "", role: str = "", organisation: str = "", status: str = "", page: int = 1, per_page: int = 50
) -> PeoplePage:
    query = select(User).join(User.organisation)
    q = clean_line(q).lower()
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(func.lower(User.name).like(pattern, escape="\\"), User.email.like(pattern, escape="\\"))
        )
    if role in ROLES:
        query = query.where(User.role == role)
    if organisation:
        query = query.where(Organisation.slug == organisation)
    if status in USER_STATUSES:
        query = query.where(User.active.is_(status == "active"))
    total = count(query)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    users = list(
        db.session.scalars(
            query.order_by(func.lower(User.name), User.id).offset((page - 1) * per_page).limit(per_page)
        )
    )
    return PeoplePage(users=users, total=total, page=page, pages=pages)


def _require_admin(actor: User) -> None:
    if not (actor.is_authenticated and actor.active and actor.is_admin):
        raise Forbidden()


def _audit(actor: User, action: str, user: User, reason: str) -> None:
    db.session.add(
        AuditEntry(actor_id=actor.id, action=action, target_type="user", target_id=user.id, reason=reason)
    )


def set_moderator(actor: User, user: User, grant: bool, reason: str = "") -> bool:
    """Grant or revoke the moderator role; False when there was nothing to change."""
    _require_admin(actor)
    if user.is_admin:
        raise AccountError("target_is_admin")
    wanted = "moderator" if grant else "member"
    if user.role == wanted:
        return False
    user.role = wanted
    _audit(actor, "grant_moderator" if grant else "revoke_moderator", user, clean_line(reason))
    db.session.commit()
    return True


def set_active(actor: User, user: User, active: bool, reason: str = "") -> bool:
    """Deactivate (sessions end at once, content stays) or reactivate an account."""
    _require_admin(actor)
    if user.id == actor.id:
        raise AccountError("self")
    if user.active == active:
        return False
    user.active = active
    if not active:
        user.end_sessions()
    _audit(actor, "reactivate_user" if active else "deactivate_user", user, clean_line(reason))
    db.session.commit()
    return True


def audit_for_user(user: User, limit: int = 50) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.target_type == "user", AuditEntry.target_id == user.id)
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
    )


# --- accounts from the command line ---------------------------------------------------------


def check_new_account(email: str, organisation_slug: str, role: str) -> tuple[str, Organisation]:
    """(normalised address, organisation) for a new account, or AccountError saying what is wrong."""
    from email_validator import EmailNotValidError, validate_email

    address = normalise_email(email)
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        raise AccountError("bad_email", "email") from None
    if role not in ROLES:
        raise AccountError("bad_role", "role")
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == organisation_slug))
    if organisation is None:
        raise AccountError("unknown_organisation", "organisation")
    if email_taken(address):
        raise AccountError("email_taken", "email")
    return address, organisation


def create_user(
    email: str, organisation_slug: str, role: str, password: str, is_org_admin: bool = False, name: str = ""
) -> User:
    address, organisation = check_new_account(email, organisation_slug, role)
    password = check_new_password(password)
    user = User(
        email=address,
        name=clean_line(name)[:120] or address.split("@")[0],
        role=role,
        is_org_admin=is_org_admin,
        organisation_id=organisation.id,
    )
    set_password(user, password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError("email_taken", "email") from None
    return user
