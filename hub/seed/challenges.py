"""Demo conversations: answers to the demo challenges (two accepted), follows and messages.

Organisation-level only, in our own words, built on the demo posts (hub/seed/posts.py): the
answers point at solutions the answering organisations have published. Loading is
get-or-create (an answer by challenge, organisation and first words; a follow by user and
target; a message by the two organisations and subject), so running it again adds nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import (
    Answer,
    FocusArea,
    Follow,
    Message,
    Organisation,
    Post,
    User,
    utcnow,
)
from ..notifications.service import notify_organisation
from ..text import render_markdown

# (challenge (org, title), answering org, body, linked solution (org, title) or None, accepted, days ago)
ANSWERS = [
    (
        ("kristianstads-kommun", "Hur redovisar små företag sin årliga utsläppsminskning?"),
        "eskilstuna-kommun",
        (
            "Vi hade samma problem och byggde ett enkelt digitalt verktyg där varje aktör registrerar sina "
            "åtaganden och en gång om året fyller i **några få nyckeltal** – energi, resor och inköp.\n\n"
            "- Mallar med färdiga frågor, så att ingen behöver räkna utsläpp från noll\n"
            "- En påminnelse i god tid före den årliga uppföljningen\n"
            "- Kommunen räknar om nyckeltalen till utsläpp, inte företaget\n\n"
            "Hör av er via hubben om ni vill se hur det ser ut."
        ),
        ("eskilstuna-kommun", "Digitalt verktyg för lokala klimatåtaganden"),
        True,
        40,
    ),
    (
        ("kristianstads-kommun", "Hur redovisar små företag sin årliga utsläppsminskning?"),
        "energy-evolution-center",
        (
            "För småföretag börjar vi alltid med energin: en energikartläggning i tre steg ger siffror som "
            "företaget sedan kan följa år för år, utan egen klimatexpert."
        ),
        ("energy-evolution-center", "Energikartläggning i tre steg för småföretag"),
        False,
        45,
    ),
    (
        ("t-kartor-group", "Klimathandlingsplan för en kontorsfastighet från 1980-talet"),
        "energy-evolution-center",
        (
            "Börja med en kartläggning av ventilation, värme och belysning innan ni bestämmer åtgärderna. "
            "I fastigheter från den tiden ger styrningen av ventilationen ofta mest för pengarna."
        ),
        ("energy-evolution-center", "Energikartläggning i tre steg för småföretag"),
        False,
        12,
    ),
    (
        ("boras-stad", "Fler hållbara vardagsresor i ytterområdena"),
        "kristianstads-kommun",
        (
            "Vi prioriterade säkra cykelstråk till de stora arbetsplatsområdena och mätte flödena före och "
            "efter. Det som gjorde skillnad var belysning och separerade korsningar, inte själva asfalten."
        ),
        ("kristianstads-kommun", "Säkra cykelstråk till de stora arbetsplatsområdena"),
        False,
        8,
    ),
    (
        ("boras-stad", "Fler hållbara vardagsresor i ytterområdena"),
        "t-kartor-group",
        (
            "Arbetsgivarna i området kan hjälpa till: vår resepolicy gjorde tåg och kollektivtrafik till "
            "förstahandsvalet, och samma resonemang fungerar för pendlingen om arbetsgivaren tar upp den."
        ),
        ("t-kartor-group", "Resepolicy: digitalt först, tåg före flyg"),
        False,
        5,
    ),
    (
        ("fribo", "Renovera med lägre klimatpåverkan utan att höja hyrorna mycket"),
        "peab",
        (
            "Återbruk av byggmaterial mellan projekt sänker både klimatpåverkan och kostnaden för "
            "innerdörrar, undertak och inredning. Det kräver en inventering före rivning och ett mellanlager."
        ),
        ("peab", "Återbruk av byggmaterial mellan projekt"),
        True,
        20,
    ),
]

# (user e-mail, target type, target: an area slug, an organisation slug or a challenge (org, title))
FOLLOWS = [
    ("kristianstad@example.se", "area", "mobilitet"),
    ("kristianstad@example.se", "organisation", "t-kartor-group"),
    ("t-kartor@example.se", "area", "energi"),
    ("t-kartor@example.se", "post", ("boras-stad", "Fler hållbara vardagsresor i ytterområdena")),
    ("eskilstuna@example.se", "area", "samverkan"),
    ("boras@example.se", "organisation", "kristianstads-kommun"),
    ("boras@example.se", "post", ("kristianstads-kommun", "Hur redovisar små företag sin årliga utsläppsminskning?")),
]

# (sender e-mail, recipient organisation, about (org, title) or None, subject, body, days ago)
MESSAGES = [
    (
        "t-kartor@example.se",
        "kristianstads-kommun",
        ("kristianstads-kommun", "Lokala klimatkontrakt med företag och organisationer"),
        "Hur följer ni upp kontrakten varje år?",
        (
            "Vi vill gärna förstå hur den årliga uppföljningen går till, så att vi kan förbereda våra "
            "siffror i tid. Finns det en mall vi kan titta på?"
        ),
        6,
    ),
    (
        "kristianstad@example.se",
        "t-kartor-group",
        ("kristianstads-kommun", "Lokala klimatkontrakt med företag och organisationer"),
        "Sv: Hur följer ni upp kontrakten varje år?",
        (
            "Ja, vi skickar ut en kort enkät under hösten och sammanfattar läget på kommunens webbplats. "
            "Vi delar gärna mallen – vi tar det på nästa möte i omställningsarenan."
        ),
        5,
    ),
    (
        "boras@example.se",
        "retuna-aterbruksgalleria",
        ("retuna-aterbruksgalleria", "Återbruksgalleria vid återvinningscentralen"),
        "Studiebesök hos ReTuna?",
        (
            "Vi utreder ett återbrukscentrum i anslutning till en återvinningscentral och skulle gärna "
            "komma på studiebesök med några från förvaltningen i vår."
        ),
        3,
    ),
]


def _post(orgs: dict[str, Organisation], key) -> Post | None:
    if not key:
        return None
    org = orgs.get(key[0])
    if org is None:
        return None
    return db.session.scalar(select(Post).where(Post.organisation_id == org.id, Post.title == key[1]))


def _answers(orgs: dict[str, Organisation], now) -> int:
    added = 0
    for challenge_key, org_slug, body, solution_key, accepted, days in ANSWERS:
        challenge = _post(orgs, challenge_key)
        org = orgs.get(org_slug)
        if challenge is None or org is None or not challenge.is_public:
            continue
        existing = db.session.scalar(
            select(Answer).where(Answer.post_id == challenge.id, Answer.organisation_id == org.id)
        )
        if existing is not None:
            continue
        solution = _post(orgs, solution_key)
        author = db.session.scalar(select(User).where(User.organisation_id == org.id).order_by(User.id))
        created = now - timedelta(days=days)
        answer = Answer(
            post_id=challenge.id,
            organisation_id=org.id,
            author_id=author.id if author else None,
            body=body,
            body_html=render_markdown(body),
            solution_id=solution.id if solution is not None and solution.is_public else None,
            accepted=accepted,
            accepted_at=created + timedelta(days=2) if accepted else None,
            created_at=created,
        )
        db.session.add(answer)
        db.session.flush()
        notify_organisation(challenge.organisation_id, "answer", post_id=challenge.id, actor_organisation_id=org.id)
        if accepted:
            challenge.status = "lost"
            notify_organisation(org.id, "accepted", post_id=challenge.id,
                                actor_organisation_id=challenge.organisation_id)
        added += 1
    return added


def _follows(orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    for email, target_type, target in FOLLOWS:
        user = users.get(email)
        if user is None:
            continue
        if target_type == "area":
            found = db.session.scalar(select(FocusArea).where(FocusArea.slug == target))
        elif target_type == "organisation":
            found = orgs.get(target)
        else:
            found = _post(orgs, target)
        if found is None:
            continue
        exists = db.session.scalar(
            select(Follow.id).where(Follow.user_id == user.id, Follow.target_type == target_type,
                                    Follow.target_id == found.id)
        )
        if exists is None:
            db.session.add(Follow(user_id=user.id, target_type=target_type, target_id=found.id))


def _messages(orgs: dict[str, Organisation], users: dict[str, User], now) -> None:
    for email, to_slug, about_key, subject, body, days in MESSAGES:
        sender, recipient = users.get(email), orgs.get(to_slug)
        if sender is None or recipient is None or sender.organisation_id == recipient.id:
            continue
        exists = db.session.scalar(
            select(Message.id).where(Message.sender_organisation_id == sender.organisation_id,
                                     Message.recipient_organisation_id == recipient.id,
                                     Message.subject == subject)
        )
        if exists is not None:
            continue
        about = _post(orgs, about_key)
        message = Message(
            sender_id=sender.id,
            sender_organisation_id=sender.organisation_id,
            recipient_organisation_id=recipient.id,
            post_id=about.id if about is not None and about.is_public else None,
            subject=subject,
            body=body,
            created_at=now - timedelta(days=days),
        )
        db.session.add(message)
        db.session.flush()
        notify_organisation(recipient.id, "message", message_id=message.id, post_id=message.post_id,
                            actor_organisation_id=sender.organisation_id, text=subject)


def load() -> int:
    """Add the demo answers, follows and messages that are missing; commit. Returns answers added."""
    orgs = {org.slug: org for org in db.session.scalars(select(Organisation))}
    users = {user.email: user for user in db.session.scalars(select(User))}
    now = utcnow()
    added = _answers(orgs, now)
    _follows(orgs, users)
    _messages(orgs, users, now)
    db.session.commit()
    return added
