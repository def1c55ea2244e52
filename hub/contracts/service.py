"""Contracts: the list with each one's progress, a contract with every party and commitment, and
adding one from a file."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup
from sqlalchemy import false, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import COMMITMENT_STATUSES, PARTY_ROLES, Commitment, Contract, ContractParty
from ..text import nfc, render_markdown
from ..urls import MAX_ID

# The contract texts that may carry lists and paragraphs (stored as Markdown).
TEXT_FIELDS = ("mission", "purpose", "prerequisites", "shared_starting_point", "follow_up", "note")


@dataclass
class Progress:
    """How far a set of commitments has come: counts per status, shares in whole percent."""

    not_started: int = 0
    ongoing: int = 0
    done: int = 0

    @property
    def total(self) -> int:
        return self.not_started + self.ongoing + self.done

    def share(self, status: str) -> int:
        value = {"ej_paborjad": self.not_started, "pagar": self.ongoing, "genomford": self.done}[status]
        return round(100 * value / self.total) if self.total else 0

    def add(self, status: str, amount: int = 1) -> None:
        if status == "genomford":
            self.done += amount
        elif status == "pagar":
            self.ongoing += amount
        else:
            self.not_started += amount

    @classmethod
    def of(cls, commitments) -> Progress:
        progress = cls()
        for commitment in commitments:
            progress.add(commitment.status)
        return progress


def valid_id(value: int) -> bool:
    return 0 < value <= MAX_ID


def _with_everything():
    return (
        selectinload(Contract.parties).selectinload(ContractParty.organisation),
        selectinload(Contract.parties).selectinload(ContractParty.commitments).selectinload(Commitment.focus_areas),
    )


def contracts_query(city: str = ""):
    """Contracts, the most recently signed first (undated ones last), optionally in one city.

    `city` is matched the way people type it; an unknown city matches nothing.
    """
    from ..organisations.service import known_name

    query = select(Contract).order_by(Contract.signed_on.desc().nulls_last(), Contract.city, Contract.id)
    if city:
        known = known_name(city, list(db.session.scalars(select(Contract.city).distinct())))
        query = query.where(Contract.city == known) if known else query.where(false())
    return query


def list_contracts() -> list[Contract]:
    """Every contract, newest first, with parties loaded."""
    query = contracts_query().options(selectinload(Contract.parties).selectinload(ContractParty.organisation))
    return list(db.session.scalars(query))


def progress_by_contract() -> dict[int, Progress]:
    """Progress per contract id, counted in the database."""
    rows = db.session.execute(
        select(ContractParty.contract_id, Commitment.status, func.count())
        .join(Commitment, Commitment.party_id == ContractParty.id)
        .group_by(ContractParty.contract_id, Commitment.status)
    ).all()
    result: dict[int, Progress] = defaultdict(Progress)
    for contract_id, status, amount in rows:
        result[contract_id].add(status, amount)
    return result


def get_contract(contract_id: int) -> Contract | None:
    """A contract with its parties, their organisations, commitments and focus areas, or None."""
    if not valid_id(contract_id):
        return None
    return db.session.scalar(select(Contract).where(Contract.id == contract_id).options(*_with_everything()))


def progress(contract: Contract) -> Progress:
    return Progress.of(c for party in contract.parties for c in party.commitments)


def texts(contract: Contract) -> dict[str, Markup]:
    """The contract's longer texts as sanitised HTML, only those that have content."""
    return {
        name: Markup(render_markdown(getattr(contract, name)))
        for name in TEXT_FIELDS
        if (getattr(contract, name) or "").strip()
    }


# --- adding a contract from its JSON (the shape /api/v1/contracts/<id> gives) ---------------------


class ContractImportError(Exception):
    """Why a contract file cannot be loaded, in Swedish; nothing of it was stored."""


def _text(data: dict, name: str, max_length: int | None = None, required: bool = False) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ContractImportError(f"Fältet '{name}' ska vara text.")
    value = nfc(value).strip()
    if required and not value:
        raise ContractImportError(f"Fältet '{name}' saknas eller är tomt.")
    if max_length and len(value) > max_length:
        raise ContractImportError(f"Fältet '{name}' får vara högst {max_length} tecken.")
    return value


def import_contract(data: object) -> Contract:
    """A new contract with its parties and their numbered commitments, all or nothing.

    Parties name existing organisations by slug (`organisation.slug`, or `organisation` as a
    string); commitments name focus areas by slug. Ids in the file are ignored.
    """
    try:
        with db.session.no_autoflush:  # nothing half-built reaches the database
            contract = _contract_from(data)
        db.session.add(contract)
        db.session.commit()
    except ContractImportError:
        db.session.rollback()  # the parties already hang off their organisations: drop them
        raise
    return contract


def _contract_from(data: object) -> Contract:
    from ..models import FocusArea, Organisation

    if not isinstance(data, dict):
        raise ContractImportError("Filen ska innehålla ett JSON-objekt med ett kontrakt.")
    city, title = _text(data, "city", 80, required=True), _text(data, "title", 200, required=True)
    if db.session.scalar(select(Contract.id).where(Contract.city == city, Contract.title == title)):
        raise ContractImportError(f"Det finns redan ett kontrakt '{title}' för {city}.")
    signed_on = None
    if data.get("signed_on"):
        try:
            signed_on = date.fromisoformat(str(data["signed_on"]))
        except ValueError:
            raise ContractImportError("'signed_on' ska vara ett datum som 2023-12-14.") from None
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100):
        raise ContractImportError("'year' ska vara ett årtal mellan 1990 och 2100.")
    contract = Contract(city=city, title=title, signed_on=signed_on, year=year,
                        version=_text(data, "version", 40) or "1",
                        **{name: _text(data, name) for name in TEXT_FIELDS})
    organisations = {o.slug: o for o in db.session.scalars(select(Organisation))}
    areas = {a.slug: a for a in db.session.scalars(select(FocusArea))}
    parties = data.get("parties") or []
    if not isinstance(parties, list):
        raise ContractImportError("'parties' ska vara en lista.")
    seen: set[str] = set()
    for position, party_data in enumerate(parties, start=1):
        if not isinstance(party_data, dict):
            raise ContractImportError(f"Part {position} ska vara ett objekt.")
        named = party_data.get("organisation")
        slug = named.get("slug") if isinstance(named, dict) else named
        organisation = organisations.get(slug) if isinstance(slug, str) else None
        if organisation is None:
            raise ContractImportError(
                f"Part {position}: organisationen '{slug}' finns inte. Lägg till den först "
                "(flask --app hub organisations create)."
            )
        if slug in seen:
            raise ContractImportError(f"Organisationen '{slug}' står som part två gånger.")
        seen.add(slug)
        role = party_data.get("role") or "part"
        if role not in PARTY_ROLES:
            raise ContractImportError(f"Part {position}: okänd roll '{role}' (välj {', '.join(PARTY_ROLES)}).")
        party = ContractParty(organisation=organisation, role=role, position=position)
        numbers: set[str] = set()
        for index, item in enumerate(party_data.get("commitments") or [], start=1):
            where = f"{organisation.name}, åtagande {index}"
            if not isinstance(item, dict):
                raise ContractImportError(f"{where}: ska vara ett objekt.")
            number = _text(item, "number", 12) or str(index)
            if number in numbers:
                raise ContractImportError(f"{where}: numret {number} finns redan för parten.")
            numbers.add(number)
            status = item.get("status") or "ej_paborjad"
            if status not in COMMITMENT_STATUSES:
                raise ContractImportError(f"{where}: okänd status '{status}'.")
            unknown = [s for s in item.get("focus_areas") or [] if s not in areas]
            if unknown:
                raise ContractImportError(f"{where}: okänt fokusområde {', '.join(map(str, unknown))}.")
            party.commitments.append(Commitment(
                number=number, text=_text(item, "text", required=True), status=status, position=index,
                focus_areas=[areas[s] for s in item.get("focus_areas") or []],
            ))
        contract.parties.append(party)
    return contract
