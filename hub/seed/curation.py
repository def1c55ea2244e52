"""Demo curation: a few good examples (Bra exempel) with reasons, Månadens exempel for this month
and earlier months, and one open report in the moderation queue.

It works on the demo posts already loaded: a solution becomes a good example only if its
replication kit is complete (the same rule moderators follow), and no two good examples come
from the same organisation. Running it again changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import AuditEntry, MonthlyExample, Post, Report, User, utcnow

# (words to look for in a solution's title, why it is worth copying, the month's citation). The
# first matching solution with a complete kit is taken, at most one per organisation.
PICKS = [
    (
        ("arbetsmaskiner",),
        "Dialogen med entreprenörerna ett år före kraven gav en realistisk takt och ett skäl att "
        "investera. Upplägget och kraven går att lyfta in i vilken kommuns anläggningsupphandling som helst.",
        "Ett upphandlingskrav som flyttar en hel marknad – och som alla kommuner kan kopiera.",
    ),
    (
        ("resepolicy",),
        "Policyn ryms på en sida med tre beslutsregler, effekten är uppmätt med reseföretagets "
        "statistik och kostnaden är låg. Den passar lika bra i ett litet företag som i en förvaltning.",
        "Tre enkla regler för tjänsteresor som halverade flyget – utan att kundkontakten blev lidande.",
    ),
    (
        ("återbruksgalleria",),
        "Beskriver hela kedjan från inlämning till butik och vad som krävs av huvudmannen, så att "
        "en annan kommun kan bedöma om den har flödena och lokalerna.",
        "Återbruk som blir en affär: lagat, förädlat och sålt under samma tak.",
    ),
    (
        ("energikartläggning",),
        "Tre steg – mät, välj, följ upp – som en rådgivare kan genomföra hos ett småföretag på några "
        "veckor, med en uppföljning efter ett år som visar effekten.",
        "Energirådgivning som når de små företagen, där effekten per satsad krona är störst.",
    ),
    (
        ("bilpool",),
        "Bygger på beslut som varje arbetsgivare kan fatta: en gemensam bokningsbar bilpool och "
        "elcyklar för korta resor, med effekten beräknad på körda kilometer.",
        "Tjänsteresor utan privatbilen – en vardagsförändring som blir stor när alla förvaltningar gör den.",
    ),
]
FALLBACK_REASON = (
    "Kopieringspaketet är komplett: uppskattad effekt med metod, kostnad, ledtid, förutsättningar "
    "och kontakt via hubben."
)
FALLBACK_CITATION = "Ett genomarbetat exempel som är lätt att kopiera."
REPORT_COMMENT = (
    "Siffran för minskningen verkar gälla hela organisationen, inte bara den här åtgärden. "
    "Kan någon kontrollera källan?"
)
WANTED = 5


def _kit_complete(post: Post) -> bool:
    from ..moderation.service import missing_kit

    return not missing_kit(post)


def _public_solutions() -> list[Post]:
    return list(db.session.scalars(
        select(Post)
        .where(Post.kind == "solution", Post.state == "published", Post.approval == "approved",
               Post.hidden.is_(False))
        .order_by(Post.id)
    ))


def _moderator() -> User | None:
    for role in ("moderator", "admin"):
        user = db.session.scalar(select(User).where(User.role == role, User.active.is_(True)).order_by(User.id))
        if user is not None:
            return user
    return None


def _month(offset: int) -> str:
    from ..examples.service import current_month

    year, month = map(int, current_month().split("-"))
    index = year * 12 + month - 1 - offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _feature(posts: list[Post], actor: User | None) -> list[tuple[Post, str]]:
    """Choose up to WANTED good examples, one per organisation; return them with their citations."""
    candidates = [p for p in posts if _kit_complete(p)]
    chosen: list[tuple[Post, str, str]] = []
    used_orgs: set[int] = set()

    def take(post: Post, reason: str, citation: str) -> None:
        chosen.append((post, reason, citation))
        used_orgs.add(post.organisation_id)

    for words, reason, citation in PICKS:
        for post in candidates:
            if post.organisation_id not in used_orgs and any(word in post.title.casefold() for word in words):
                take(post, reason, citation)
                break
        if len(chosen) >= WANTED:
            break
    for post in candidates:
        if len(chosen) >= WANTED:
            break
        if post.organisation_id not in used_orgs:
            take(post, FALLBACK_REASON, FALLBACK_CITATION)

    now = utcnow()
    for age, (post, reason, _citation) in enumerate(chosen):
        post.featured = True
        post.featured_reason = reason
        post.featured_at = now - timedelta(days=30 * age + 3)
        db.session.add(AuditEntry(actor_id=actor.id if actor else None, action="feature", target_type="post",
                                  target_id=post.id, reason=reason, created_at=post.featured_at))
    return [(post, citation) for post, _reason, citation in chosen]


def _monthly(picks: list[tuple[Post, str]], actor: User | None) -> None:
    """This month's example first, then one for each earlier month."""
    for offset, (post, citation) in enumerate(picks[:3]):
        month = _month(offset)
        db.session.add(MonthlyExample(month=month, post_id=post.id, citation=citation,
                                      chosen_by_id=actor.id if actor else None))
        db.session.add(AuditEntry(actor_id=actor.id if actor else None, action="monthly_pick", target_type="post",
                                  target_id=post.id, reason=f"{month}: {citation}"))


def _report(posts: list[Post]) -> None:
    """One open report, from a demo member of another organisation, so the queue is not empty."""
    target = next((p for p in reversed(posts) if not p.featured and p.reduction_tonnes), None)
    if target is None:
        return
    reporter = db.session.scalar(
        select(User)
        .where(User.role == "member", User.active.is_(True), User.organisation_id != target.organisation_id)
        .order_by(User.id)
    )
    if reporter is None:
        return
    db.session.add(Report(user_id=reporter.id, target_type="post", target_id=target.id, reason="felaktig",
                          comment=REPORT_COMMENT))


def load() -> None:
    """Curate the demo posts once: good examples, monthly picks, an open report (commits)."""
    posts = _public_solutions()
    actor = _moderator()
    if not db.session.scalar(select(func.count()).select_from(Post).where(Post.featured.is_(True))):
        picks = _feature(posts, actor)
        if not db.session.scalar(select(func.count()).select_from(MonthlyExample)):
            _monthly(picks, actor)
    if not db.session.scalar(select(func.count()).select_from(Report)):
        _report(posts)
    db.session.commit()
