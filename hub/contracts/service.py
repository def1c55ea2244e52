"""Reading contracts: the list with each one's progress, and a contract with every party and commitment."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import false, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Commitment, Contract, ContractParty
from ..text import render_markdown
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
