"""Organisations: the filtered directory, a single profile, and adding and editing them."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden

from ..extensions import db
from ..models import ORG_KINDS, SIZE_BANDS, Commitment, ContractParty, Organisation, User, count
from ..text import clean_line, nfc, slugify
from ..urls import BadAddress, web_address

PER_PAGE = 20
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
MAX_QUERY = 100


def parse_page(value: str | None) -> int:
    """A page number from a query string; anything that is not a sensible page is page 1."""
    value = (value or "").strip()
    if not value.isdigit() or len(value) > 6:
        return 1
    return max(int(value), 1)


def municipalities() -> list[str]:
    """Every municipality that has at least one organisation, alphabetically."""
    rows = db.session.scalars(select(Organisation.municipality).distinct().order_by(Organisation.municipality))
    return [m for m in rows if m]


def known_name(value: str, known: list[str]) -> str | None:
    """The stored spelling of a name given in any case ("borås", "ÖREBRO"), or None.

    Matched in Python: SQLite's lower() leaves Å, Ä and Ö alone.
    """
    wanted = value.casefold()
    return next((name for name in known if name.casefold() == wanted), None)


@dataclass
class DirectoryFilter:
    """The directory's filters, parsed once; values that match nothing known are dropped and remembered."""

    kind: str = ""
    municipality: str = ""
    q: str = ""
    page: int = 1
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: Mapping[str, str], known_municipalities: list[str]) -> DirectoryFilter:
        ignored: list[str] = []
        kind = clean_line(args.get("kind", ""))
        if kind and kind not in ORG_KINDS:
            ignored.append(kind)
            kind = ""
        municipality = clean_line(args.get("municipality", ""))
        if municipality:
            match = known_name(municipality, known_municipalities)
            if match is None:
                ignored.append(municipality)
            municipality = match or ""
        q = clean_line(args.get("q", ""))[:MAX_QUERY]
        return cls(kind=kind, municipality=municipality, q=q, page=parse_page(args.get("page")), ignored=ignored)

    def args(self, **overrides) -> dict:
        """Query-string arguments for url_for: only the filters in use (and page when not 1)."""
        values = {"kind": self.kind, "municipality": self.municipality, "q": self.q, "page": self.page}
        values.update(overrides)
        return {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}

    @property
    def active(self) -> bool:
        return bool(self.kind or self.municipality or self.q)


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)


def _ids_with_name_containing(text: str) -> list[int]:
    # Compared in Python: SQLite's lower() and LIKE fold only ASCII, so "återbruk" would miss
    # "Återbruk". The directory holds hundreds of names, not millions.
    wanted = text.casefold()
    rows = db.session.execute(select(Organisation.id, Organisation.name))
    return [org_id for org_id, name in rows if wanted in name.casefold()]


def directory_query(kind: str = "", municipality: str = "", q: str = ""):
    """The select() behind the directory and the API list, ordered by name.

    `municipality` is the stored spelling (see known_name()).
    """
    query = select(Organisation)
    if kind:
        query = query.where(Organisation.kind == kind)
    if municipality:
        query = query.where(Organisation.municipality == municipality)
    if q:
        query = query.where(Organisation.id.in_(_ids_with_name_containing(q)))
    return query.order_by(func.lower(Organisation.name), Organisation.id)


def directory(filters: DirectoryFilter, per_page: int = PER_PAGE) -> Page:
    """One page of the directory; a page past the end shows the last page."""
    query = directory_query(filters.kind, filters.municipality, filters.q)
    total = count(query)
    pages = max(math.ceil(total / per_page), 1)
    page = min(filters.page, pages)
    filters.page = page
    items = db.session.scalars(
        query.options(selectinload(Organisation.parties).selectinload(ContractParty.contract))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)


def get_by_slug(slug: str) -> Organisation | None:
    """An organisation with its contracts and commitments loaded, or None (also for malformed slugs)."""
    if not SLUG_RE.match(slug or ""):
        return None
    return db.session.scalar(
        select(Organisation)
        .where(Organisation.slug == slug)
        .options(
            selectinload(Organisation.parties).selectinload(ContractParty.contract),
            selectinload(Organisation.parties)
            .selectinload(ContractParty.commitments)
            .selectinload(Commitment.focus_areas),
        )
    )


def kind_counts() -> dict[str, int]:
    """How many organisations of each kind, in the vocabulary's order, kinds with none left out."""
    rows = dict(db.session.execute(select(Organisation.kind, func.count()).group_by(Organisation.kind)).all())
    return {kind: rows[kind] for kind in ORG_KINDS if rows.get(kind)}


# --- creating organisations and keeping their profiles up to date ---------------------------------

WEBSITE_MAX = 300
PROFILE_FIELDS = ("name", "kind", "municipality", "sector", "size_band", "website", "description")


class ProfileError(Exception):
    """What is wrong with a profile, by field; each message is shown next to its field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def can_create(user: User | None) -> bool:
    """Admins add the organisations that join a contract."""
    return bool(user and user.is_authenticated and user.active and user.is_admin)


def can_edit_profile(user: User | None, organisation: Organisation) -> bool:
    """Admins, and the organisation's own organisation admins."""
    if not (user and user.is_authenticated and user.active):
        return False
    return user.is_admin or (user.is_org_admin and user.organisation_id == organisation.id)


def _cleaned(data: Mapping[str, str]) -> dict[str, str]:
    values = {name: clean_line(data.get(name)) for name in PROFILE_FIELDS if name != "description"}
    values["description"] = nfc(data.get("description") or "").strip()
    errors = {}
    if not values["name"]:
        errors["name"] = _l("Fyll i organisationens namn.")
    if values["kind"] not in ORG_KINDS:
        errors["kind"] = _l("Välj vilket slags aktör organisationen är.")
    if not values["municipality"]:
        errors["municipality"] = _l("Fyll i kommunen där organisationen verkar.")
    if values["size_band"] and values["size_band"] not in SIZE_BANDS:
        errors["size_band"] = _l("Välj en av storlekarna.")
    try:
        values["website"] = web_address(values["website"], WEBSITE_MAX)
    except BadAddress as error:
        errors["website"] = error.message
    if errors:
        raise ProfileError(errors)
    return values


def create_organisation(actor: User | None, data: Mapping[str, str]) -> Organisation:
    """A new organisation; its slug (the address of its page) comes from the name unless given."""
    if actor is not None and not can_create(actor):
        raise Forbidden()  # actor None: the command line, run by whoever runs the server
    values = _cleaned(data)
    slug = clean_line(data.get("slug")) or slugify(values["name"])
    if not SLUG_RE.match(slug):
        raise ProfileError({"slug": _l("Adressen får bara innehålla a–z, siffror och bindestreck.")})
    if db.session.scalar(select(Organisation.id).where(Organisation.slug == slug)) is not None:
        raise ProfileError({"slug": _l("Det finns redan en organisation med adressen %(slug)s.", slug=slug)})
    organisation = Organisation(slug=slug, **values)
    db.session.add(organisation)
    db.session.commit()
    return organisation


def update_profile(actor: User | None, organisation: Organisation, data: Mapping[str, str]) -> Organisation:
    if not can_edit_profile(actor, organisation):
        raise Forbidden()
    for name, value in _cleaned(data).items():
        setattr(organisation, name, value)
    db.session.commit()
    return organisation
