"""The yearly follow-up of a contract and who may set a party's sustainability report link.

Each party reports at least one concrete measure a year: here that is a public solution the
party published that year and linked to one of its own commitments in the contract. Nothing is
stored for the follow-up itself; it is read from the posts, commitments and parties.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.exceptions import Forbidden, NotFound

from ..contracts.service import Progress, valid_id
from ..extensions import db
from ..models import COMMITMENT_STATUSES, Commitment, Contract, ContractParty, Post, User, post_commitments
from ..posts.service import public_clause
from ..urls import BadAddress, web_address

# Years outside these cannot be about a climate contract: their URLs answer 404.
YEAR_MIN, YEAR_MAX = 1990, 2100
URL_MAX = 300
# A year is the Swedish calendar year: a post published on New Year's Eve at 23:30 belongs to it.
ZONE = ZoneInfo("Europe/Stockholm")


class FollowUpError(Exception):
    """A value the user gave is not acceptable; `message` is shown next to the field."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class PartyYear:
    """One party's follow-up for one year."""

    party: ContractParty
    measures: list[Post] = field(default_factory=list)

    @property
    def reported(self) -> bool:
        return bool(self.measures)

    def _sum(self, period: str) -> float | None:
        values = [p.reduction_tonnes for p in self.measures if p.reduction_tonnes is not None and p.reduction_period == period]
        return float(sum(values)) if values else None

    @property
    def reduction_per_year(self) -> float | None:
        return self._sum("per_year")

    @property
    def reduction_one_off(self) -> float | None:
        return self._sum("one_off")

    @property
    def progress(self) -> Progress:
        return Progress.of(self.party.commitments)

    @property
    def report_url(self) -> str:
        url = self.party.sustainability_report_url or ""
        return url if url.startswith(("https://", "http://")) else ""


@dataclass
class FollowUp:
    contract: Contract
    year: int
    parties: list[PartyYear]
    first_year: int
    last_year: int
    data_years: list[int]

    @property
    def in_range(self) -> bool:
        return self.first_year <= self.year <= self.last_year

    @property
    def previous_year(self) -> int | None:
        return self.year - 1 if self.first_year < self.year <= self.last_year else None

    @property
    def next_year(self) -> int | None:
        return self.year + 1 if self.first_year <= self.year < self.last_year else None

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def reported_count(self) -> int:
        return sum(1 for p in self.parties if p.reported)

    @property
    def measure_count(self) -> int:
        return sum(len(p.measures) for p in self.parties)

    def _total(self, name: str) -> float | None:
        values = [getattr(p, name) for p in self.parties if getattr(p, name) is not None]
        return float(sum(values)) if values else None

    @property
    def reduction_per_year(self) -> float | None:
        return self._total("reduction_per_year")

    @property
    def reduction_one_off(self) -> float | None:
        return self._total("reduction_one_off")


# --- years ------------------------------------------------------------------------------------


def current_year() -> int:
    return datetime.now(ZONE).year


def valid_year(year: int) -> bool:
    return YEAR_MIN <= year <= YEAR_MAX


def year_of(moment: datetime) -> int:
    if moment.tzinfo is None:  # SQLite hands aware datetimes back without their (UTC) offset
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZONE).year


def _start_year(contract: Contract) -> int | None:
    if contract.signed_on:
        return contract.signed_on.year
    return contract.year


# --- reading ----------------------------------------------------------------------------------


def _measures_by_party(contract: Contract) -> dict[int, list[Post]]:
    """Every public solution a party published and linked to its own commitments here, oldest first."""
    query = (
        select(Post, ContractParty.id)
        .join(post_commitments, post_commitments.c.post_id == Post.id)
        .join(Commitment, Commitment.id == post_commitments.c.commitment_id)
        .join(ContractParty, ContractParty.id == Commitment.party_id)
        .where(
            public_clause(),
            Post.kind == "solution",
            Post.published_at.is_not(None),
            ContractParty.contract_id == contract.id,
            Post.organisation_id == ContractParty.organisation_id,
        )
        .order_by(Post.published_at, Post.id)
    )
    result: dict[int, list[Post]] = {}
    for post, party_id in db.session.execute(query):
        posts = result.setdefault(party_id, [])
        if post not in posts:  # linked to two of the party's commitments: one measure
            posts.append(post)
    return result


def latest_year(contract: Contract) -> int:
    """The latest year any party reported a measure, else the current year."""
    years = {year_of(p.published_at) for posts in _measures_by_party(contract).values() for p in posts}
    return max(years) if years else current_year()


def follow_up(contract: Contract, year: int) -> FollowUp:
    """The contract's follow-up for one year: per party its measures published that year."""
    if not valid_year(year):
        raise NotFound()
    by_party = _measures_by_party(contract)
    data_years = sorted({year_of(p.published_at) for posts in by_party.values() for p in posts})
    now = current_year()
    first = min(y for y in (_start_year(contract), data_years[0] if data_years else None, now) if y is not None)
    last = max([now, *data_years])
    parties = [
        PartyYear(party, [p for p in by_party.get(party.id, []) if year_of(p.published_at) == year])
        for party in contract.parties
    ]
    return FollowUp(contract, year, parties, first, last, data_years)


def get_party(contract: Contract, party_id: int) -> ContractParty:
    if valid_id(party_id):
        for party in contract.parties:
            if party.id == party_id:
                return party
    raise NotFound()


# --- who follows a party up: its report link and its commitments' status -------------------------


def city_party(contract: Contract) -> ContractParty | None:
    """The contract's municipality: the party that is the kommun of the contract's city."""
    for party in contract.parties:
        org = party.organisation
        if org.kind == "kommun" and org.municipality.casefold() == contract.city.casefold():
            return party
    return None


def can_follow_up(user: User | None, party: ContractParty) -> bool:
    """Admins, the party's own members and the members of the contract's municipality."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "active", False):
        return False
    if user.is_admin or user.organisation_id == party.organisation_id:
        return True
    city = city_party(party.contract)
    return city is not None and user.organisation_id == city.organisation_id


def clean_report_url(raw: str | None) -> str:
    """An http(s) address with a host, or "" to remove the link."""
    try:
        return web_address(raw, URL_MAX)
    except BadAddress as error:
        raise FollowUpError(error.message) from None


def set_report_url(user: User | None, party: ContractParty, raw: str | None) -> ContractParty:
    """Set (or with an empty value remove) the party's sustainability report link."""
    if not can_follow_up(user, party):
        raise Forbidden()
    party.sustainability_report_url = clean_report_url(raw)
    db.session.commit()
    return party


def get_commitment(contract: Contract, commitment_id: int) -> Commitment:
    if valid_id(commitment_id):
        for party in contract.parties:
            for commitment in party.commitments:
                if commitment.id == commitment_id:
                    return commitment
    raise NotFound()


def set_commitment_status(user: User | None, commitment: Commitment, status: str | None) -> Commitment:
    """Move a commitment to ej påbörjad, pågår or genomförd: the progress every contract page shows."""
    if not can_follow_up(user, commitment.party):
        raise Forbidden()
    if status not in COMMITMENT_STATUSES:
        raise FollowUpError(_l("Välj en status för åtagandet: ej påbörjad, pågår eller genomförd."))
    commitment.status = status
    db.session.commit()
    return commitment
