"""Domain models: organisations, contracts and their commitments, posts and what happens around them."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


def password_hash_method() -> str:
    """scrypt unless the app configures otherwise (the test suite trades strength for speed)."""
    from flask import current_app, has_app_context

    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"


def new_token() -> str:
    return secrets.token_urlsafe(24)


# --- vocabularies (stored values; labels live in hub/labels.py) ------------------------------

ORG_KINDS = ("kommun", "foretag", "offentlig", "akademi", "forening", "region", "myndighet")
SIZE_BANDS = ("1-9", "10-49", "50-249", "250-999", "1000+")
ROLES = ("member", "moderator", "admin")
PARTY_ROLES = ("part", "projektpart", "partner", "stodpartner")
COMMITMENT_STATUSES = ("ej_paborjad", "pagar", "genomford")

POST_KINDS = ("solution", "lesson", "challenge", "offer")
POST_STATES = ("draft", "published", "archived")
APPROVALS = ("pending", "approved", "rejected")
SOLUTION_STATUSES = ("planerad", "pagaende", "genomford")
CHALLENGE_STATUSES = ("oppen", "lost")
REDUCTION_PERIODS = ("per_year", "one_off")
ESTIMATION_METHODS = ("klimatklivet", "emission_factor", "measured", "rough")
COST_BANDS = ("lt_100k", "100k_1m", "1m_10m", "gt_10m")
LEAD_TIMES = ("lt_3m", "3_12m", "1_3y", "gt_3y")
LESSON_TYPES = ("upphandling", "finansiering", "beteende", "teknik", "organisation", "juridik")
REPORT_REASONS = ("felaktig", "olamplig", "spam", "personuppgifter", "annat")
FOLLOW_TARGETS = ("area", "organisation", "post")
EMAIL_MODES = ("off", "immediate", "daily")


# --- association tables ---------------------------------------------------------------------

commitment_focus_areas = Table(
    "commitment_focus_areas",
    db.metadata,
    Column("commitment_id", ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True),
    Column("focus_area_id", ForeignKey("focus_areas.id", ondelete="CASCADE"), primary_key=True),
)

post_focus_areas = Table(
    "post_focus_areas",
    db.metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("focus_area_id", ForeignKey("focus_areas.id", ondelete="CASCADE"), primary_key=True),
)

post_commitments = Table(
    "post_commitments",
    db.metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("commitment_id", ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True),
)


# --- organisations and people ---------------------------------------------------------------


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    municipality: Mapped[str] = mapped_column(String(80), index=True)
    sector: Mapped[str] = mapped_column(String(120), default="")
    size_band: Mapped[str] = mapped_column(String(20), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")
    parties: Mapped[list[ContractParty]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored NFC-normalised and lower-cased, so uniqueness is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    role: Mapped[str] = mapped_column(String(20), default="member")
    is_org_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Rotated on logout and password change: every cookie carrying the old one stops working.
    session_token: Mapped[str] = mapped_column(String(64), default=new_token)
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # The last accepted TOTP time step: a code is good once, never replayed within its window.
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    email_mode: Mapped[str] = mapped_column(String(12), default="off")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    organisation: Mapped[Organisation] = relationship(back_populates="users")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=password_hash_method())
        self.session_token = new_token()

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        self.session_token = new_token()

    @property
    def is_moderator(self) -> bool:
        return self.role in ("moderator", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def needs_second_factor(self) -> bool:
        return self.is_moderator

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class RecoveryCode(db.Model):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(256))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Invitation(db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(20), default="member")
    is_org_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    nonce: Mapped[str] = mapped_column(String(64), default=new_token)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[User | None] = relationship()


# --- focus areas, contracts and commitments -------------------------------------------------


class FocusArea(db.Model):
    __tablename__ = "focus_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_sv: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    description_sv: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    # Empty for the national set; a city's own areas (Borås's four) name the city.
    city: Mapped[str] = mapped_column(String(80), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    def name(self, locale: str = "sv") -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_sv

    def description(self, locale: str = "sv") -> str:
        return self.description_en if locale == "en" and self.description_en else self.description_sv


class Contract(db.Model):
    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    city: Mapped[str] = mapped_column(String(80), index=True)
    title: Mapped[str] = mapped_column(String(200))
    signed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version: Mapped[str] = mapped_column(String(40), default="1")
    mission: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    prerequisites: Mapped[str] = mapped_column(Text, default="")
    shared_starting_point: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    parties: Mapped[list[ContractParty]] = relationship(
        back_populates="contract", order_by="ContractParty.position", cascade="all, delete-orphan"
    )


class ContractParty(db.Model):
    __tablename__ = "contract_parties"
    __table_args__ = (UniqueConstraint("contract_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="part")
    position: Mapped[int] = mapped_column(Integer, default=0)
    sustainability_report_url: Mapped[str] = mapped_column(String(300), default="")

    contract: Mapped[Contract] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship(back_populates="parties")
    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="party", order_by="Commitment.position", cascade="all, delete-orphan"
    )


class Commitment(db.Model):
    __tablename__ = "commitments"
    __table_args__ = (UniqueConstraint("party_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("contract_parties.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="ej_paborjad")
    position: Mapped[int] = mapped_column(Integer, default=0)

    party: Mapped[ContractParty] = relationship(back_populates="commitments")
    focus_areas: Mapped[list[FocusArea]] = relationship(
        secondary=commitment_focus_areas, order_by="FocusArea.position"
    )

    @property
    def label(self) -> str:
        return f"{self.number}. {self.text}"


# --- posts: solutions, lessons, challenges and support offers -------------------------------


def is_public_state(state: str, approval: str, hidden: bool) -> bool:
    """Whether a post in this state is public: the rule posts.service.public_clause puts in SQL."""
    return state == "published" and approval == "approved" and not hidden


def is_solved_state(kind: str, status: str) -> bool:
    """Whether a post is a challenge that has been solved."""
    return kind == "challenge" and status == "lost"


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_public", "state", "approval", "hidden", "kind"),
        Index("ix_posts_org_state", "organisation_id", "state"),
        # A post page asks for the public copies of a post and the public lessons drawn from it.
        # With the public columns after the link, these indexes beat ix_posts_public in SQLite's
        # planner also on a database that has never been analysed; partial (only posts with the
        # link), so that the statistics of an analysed one do not count the many without as one
        # value and rule the index out.
        Index("ix_posts_copied_from_public", "copied_from_id", "state", "approval", "hidden",
              sqlite_where=text("copied_from_id IS NOT NULL"), postgresql_where=text("copied_from_id IS NOT NULL")),
        Index("ix_posts_related_public", "related_post_id", "state", "approval", "hidden",
              sqlite_where=text("related_post_id IS NOT NULL"), postgresql_where=text("related_post_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    state: Mapped[str] = mapped_column(String(12), default="draft")
    approval: Mapped[str] = mapped_column(String(12), default="approved")
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    featured: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    featured_reason: Mapped[str] = mapped_column(Text, default="")
    featured_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    # Kind-specific status: solutions planerad|pagaende|genomford, challenges oppen|lost.
    status: Mapped[str] = mapped_column(String(12), default="")

    # solution
    start_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reduction_tonnes: Mapped[float | None] = mapped_column(Float, nullable=True)
    reduction_period: Mapped[str] = mapped_column(String(12), default="")
    estimation_method: Mapped[str] = mapped_column(String(20), default="")
    estimation_source: Mapped[str] = mapped_column(Text, default="")
    cost_band: Mapped[str] = mapped_column(String(12), default="")
    lead_time: Mapped[str] = mapped_column(String(12), default="")
    prerequisites: Mapped[str] = mapped_column(Text, default="")
    contact_enabled: Mapped[bool] = mapped_column(Boolean, default=True)

    # lesson
    lesson_type: Mapped[str] = mapped_column(String(20), default="")
    do_differently: Mapped[str] = mapped_column(Text, default="")
    related_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), nullable=True
    )

    # challenge
    tried: Mapped[str] = mapped_column(Text, default="")
    help_wanted: Mapped[str] = mapped_column(Text, default="")

    # offer: which kinds of actor the support is for (values from ORG_KINDS)
    audience: Mapped[list[str]] = mapped_column(JSON, default=list)

    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"), nullable=True)

    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User | None] = relationship()
    focus_areas: Mapped[list[FocusArea]] = relationship(
        secondary=post_focus_areas, order_by="FocusArea.position"
    )
    commitments: Mapped[list[Commitment]] = relationship(
        secondary=post_commitments, order_by="Commitment.position"
    )
    copied_from: Mapped[Post | None] = relationship(
        remote_side=[id], foreign_keys=[copied_from_id], back_populates="copies"
    )
    copies: Mapped[list[Post]] = relationship(
        foreign_keys=[copied_from_id], back_populates="copied_from", order_by="Post.id"
    )
    related_post: Mapped[Post | None] = relationship(remote_side=[id], foreign_keys=[related_post_id])
    answers: Mapped[list[Answer]] = relationship(
        back_populates="post", foreign_keys="Answer.post_id", order_by="Answer.created_at"
    )

    __mapper_args__: dict[str, Any] = {"version_id_col": version}

    @property
    def is_public(self) -> bool:
        """Whether anyone, logged in or not, may see this post."""
        return is_public_state(self.state, self.approval, self.hidden)

    @property
    def has_source_figures(self) -> bool:
        """A copy whose estimated reduction is still, word for word, that of the post it copies."""
        source = self.copied_from
        figures = ("reduction_tonnes", "reduction_period", "estimation_method", "estimation_source")
        return (
            source is not None
            and source.reduction_tonnes is not None
            and all(getattr(self, name) == getattr(source, name) for name in figures)
        )

    @property
    def is_solved(self) -> bool:
        return is_solved_state(self.kind, self.status)

    def __repr__(self) -> str:
        return f"<Post {self.id} {self.kind} {self.title!r}>"


class SubmissionKey(db.Model):
    """One-time keys carried by forms, so a form submitted twice saves once."""

    __tablename__ = "submission_keys"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Answer(db.Model):
    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    solution_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"), nullable=True)
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The solution post the answering organisation made out of this answer.
    resulting_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), nullable=True
    )
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    post: Mapped[Post] = relationship(back_populates="answers", foreign_keys=[post_id])
    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User | None] = relationship()
    solution: Mapped[Post | None] = relationship(foreign_keys=[solution_id])
    resulting_post: Mapped[Post | None] = relationship(foreign_keys=[resulting_post_id])


# --- following, notifications and messages --------------------------------------------------


class Follow(db.Model):
    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "target_type", "target_id"),
        Index("ix_follows_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # answer | accepted | copied | new_post | message | moderation | approved | hidden | update_request
    kind: Mapped[str] = mapped_column(String(20))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), nullable=True)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), nullable=True
    )
    actor_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), nullable=True)
    text: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    post: Mapped[Post | None] = relationship()
    actor_organisation: Mapped[Organisation | None] = relationship()


class Message(db.Model):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    sender_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    recipient_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"), nullable=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    sender: Mapped[User | None] = relationship()
    sender_organisation: Mapped[Organisation] = relationship(foreign_keys=[sender_organisation_id])
    recipient_organisation: Mapped[Organisation] = relationship(foreign_keys=[recipient_organisation_id])
    post: Mapped[Post | None] = relationship()


# --- moderation -----------------------------------------------------------------------------


class Report(db.Model):
    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("user_id", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(10))  # post | answer
    target_id: Mapped[int] = mapped_column(Integer, index=True)
    reason: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    resolution: Mapped[str] = mapped_column(String(20), default="")

    user: Mapped[User] = relationship()


class AuditEntry(db.Model):
    """An append-only record of a moderation or administration decision."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()


class MonthlyExample(db.Model):
    __tablename__ = "monthly_examples"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)  # YYYY-MM
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    citation: Mapped[str] = mapped_column(Text)
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    post: Mapped[Post] = relationship()


# --- search outbox --------------------------------------------------------------------------


class SearchOutbox(db.Model):
    """Index work that must follow a committed save; drained after commit and retried."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(Integer, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SearchDocument(db.Model):
    """PostgreSQL full-text backend: one weighted tsvector per public post (empty with Whoosh).

    Weights: A title; B summary, tags, focus areas; C body, organisation ('swedish'
    configuration); D the folded stems ('simple'), so words typed without å/ä/ö still match.
    """

    __tablename__ = "search_documents"
    __table_args__ = (Index("ix_search_documents_document", "document", postgresql_using="gin"),)

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    document: Mapped[str] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))
    content_hash: Mapped[str] = mapped_column(String(32), default="")


class SearchTerm(db.Model):
    """PostgreSQL backend's vocabulary: folded stems (s), reversed (r) and words as written (w).

    Compound parts, "Menade du …?" and suggestions look words up here by prefix.
    """

    __tablename__ = "search_terms"
    __table_args__ = (
        Index("ix_search_terms_prefix", "field", "term", postgresql_ops={"term": "text_pattern_ops"}),
    )

    field: Mapped[str] = mapped_column(String(1), primary_key=True)
    term: Mapped[str] = mapped_column(String(80), primary_key=True)


def count(query) -> int:
    """Count rows of a select() without loading them."""
    return db.session.scalar(db.select(func.count()).select_from(query.order_by(None).subquery())) or 0
