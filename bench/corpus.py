"""A realistic Swedish corpus for the benchmark: organisations across many municipalities and posts
built from the hub's own vocabulary (measures, places, actors, methods), deterministic per seed.

Posts are inserted with bulk SQL (no ORM events), so the index is then built by a full rebuild,
which the benchmark times.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from markupsafe import escape

from hub.extensions import db
from hub.models import FocusArea, Organisation, Post, post_focus_areas

MUNICIPALITIES = """
Stockholm Göteborg Malmö Uppsala Linköping Örebro Västerås Helsingborg Norrköping Jönköping Umeå Lund
Borås Eskilstuna Gävle Södertälje Karlstad Växjö Halmstad Sundsvall Luleå Trollhättan Östersund
Borlänge Falun Kalmar Kristianstad Skövde Karlskrona Skellefteå Uddevalla Varberg Örnsköldsvik Nyköping
Motala Trelleborg Landskrona Lidköping Piteå Kiruna Visby Ystad Alingsås Sandviken Enköping Kungsbacka
Härnösand Hudiksvall Mölndal Partille Lerum Kungälv Vänersborg Mariestad Katrineholm Arvika Ludvika
Västervik Oskarshamn Ljungby Värnamo Nässjö Vetlanda Tranås Mjölby Köping Sala Avesta Mora Söderhamn
Bollnäs Kramfors Sollefteå Gällivare Haparanda Boden Kalix Arjeplog Storuman Lycksele Vilhelmina
""".split()

ORG_NAMES = {
    "kommun": "{m} kommun",
    "foretag": "{m} {what} AB",
    "offentlig": "{m} Vatten och Avfall",
    "akademi": "Högskolan i {m}",
    "forening": "{m} {club}",
    "region": "Region {m}",
    "myndighet": "Länsstyrelsen i {m}",
}
COMPANY = ["Bygg", "Energi", "Fastigheter", "Åkeri", "Mejeri", "Bostäder", "Konsult", "Trä", "Plast", "Logistik"]
CLUBS = ["Naturskyddsförening", "Idrottsförening", "Företagarförening", "Hyresgästförening", "Odlarförening"]

MEASURES = [
    ("Laddinfrastruktur", ["laddplatser", "laddstolpar", "elbilar", "effekt", "elnät"]),
    ("Återbruk av byggmaterial", ["rivning", "inventering", "dörrar", "undertak", "klimatberäkning"]),
    ("Solceller", ["solenergi", "tak", "elproduktion", "batterilager", "egenanvändning"]),
    ("Energikartläggning", ["tryckluft", "belysning", "ventilation", "energieffektivisering", "värmepumpar"]),
    ("Klimatkrav i upphandlingen", ["livsmedel", "leverantörer", "avtalsuppföljning", "marknadsdialog"]),
    ("Resepolicy", ["tjänsteresor", "tåg", "flyg", "digitala möten", "resvanor"]),
    ("Cykelpendling", ["cykelstråk", "cykelparkering", "elcyklar", "arbetsplatser", "cykling"]),
    ("Biogas", ["matavfall", "rötning", "fordonsgas", "stadsbussar", "sopbilar"]),
    ("Fossilfria transporter", ["HVO", "ellastbilar", "godstransporter", "samlastning", "arbetsmaskiner"]),
    ("Matsvinn", ["skolmåltider", "storkök", "portioner", "mätning", "kompost"]),
    ("Fjärrvärme", ["spillvärme", "restvärme", "biobränsle", "fjärrkyla", "kulvertar"]),
    ("Återbruksgalleria", ["återvinningscentral", "reparation", "second hand", "inlämning", "butiker"]),
    ("Klimatanpassning", ["skyfall", "dagvatten", "grönytor", "översvämning", "träd"]),
    ("Delningstjänster", ["bilpool", "verktygsbibliotek", "lånecyklar", "delningsekonomi"]),
    ("Energieffektiv renovering", ["stambyte", "tilläggsisolering", "fönsterbyte", "hyresgäster"]),
    ("Klimatutbildning", ["studiecirklar", "folkbildning", "samtalsledare", "skolklasser", "medarbetare"]),
    ("Textilåtervinning", ["sortering", "textilflöden", "insamling", "testbädd", "cirkulär ekonomi"]),
    ("Klimatbudget", ["klimatinvesteringsplan", "koldioxidbudget", "styrning", "uppföljning"]),
]
PLACES = ["bostadsrättsföreningar", "skolor", "förskolor", "äldreboenden", "idrottshallar", "kontor",
          "industriområden", "hyreshus", "vårdcentraler", "bibliotek", "stadshuset", "småföretag"]
OPENINGS = [
    "Vi började med en kartläggning av {a} och {b}.",
    "Arbetet med {a} drivs tillsammans med {partner}.",
    "Under det första året minskade utsläppen tack vare {a}.",
    "Det svåraste var att få {b} att fungera i vardagen.",
    "Erfarenheterna från {a} delar vi gärna med andra parter i klimatkontraktet.",
    "Vi mäter resultatet varje kvartal och redovisar {a} öppet.",
    "Kostnaden för {a} betalades tillbaka på {n} år.",
    "En viktig förutsättning var att {b} fanns med i budgeten från början.",
    "Nästa steg är att sprida {a} till fler {place}.",
    "Medarbetarna var med och tog fram reglerna för {b}.",
    "Vi upphandlade {a} med tydliga klimatkrav och följde upp dem under avtalstiden.",
    "Frågan om {b} kom upp i dialogen med {partner}.",
    "Genom {a} sparar vi ungefär {n}0 ton koldioxid per år.",
    "Projektet fick stöd från Klimatklivet för {a}.",
    "Vi lärde oss att {b} kräver mer tid än vi trodde.",
    "Inför beslutet jämförde vi {a} med andra kommuners lösningar.",
    "Hyresgäster och brukare har fått information om {b}.",
    "Vi har tagit fram en checklista för {a} som andra kan kopiera.",
]
PARTNERS = ["kommunen", "energibolaget", "fastighetsägarna", "regionen", "högskolan", "näringslivet",
            "föreningarna", "bostadsbolaget", "länsstyrelsen", "Viable Cities"]
KIND_WEIGHTS = [("solution", 50), ("lesson", 20), ("challenge", 20), ("offer", 10)]


def _kind(rng: random.Random) -> str:
    pick = rng.randrange(100)
    for kind, weight in KIND_WEIGHTS:
        if pick < weight:
            return kind
        pick -= weight
    return "solution"


def organisations(rng: random.Random, count: int) -> list[dict]:
    rows, seen = [], set()
    kinds = list(ORG_NAMES)
    while len(rows) < count:
        m = rng.choice(MUNICIPALITIES)
        kind = rng.choice(kinds)
        name = ORG_NAMES[kind].format(m=m, what=rng.choice(COMPANY), club=rng.choice(CLUBS))
        slug = "bench-" + str(len(rows))
        if name in seen:
            continue
        seen.add(name)
        rows.append({"slug": slug, "name": name, "kind": kind, "municipality": m, "sector": "", "size_band": "",
                     "website": "", "description": "", "created_at": datetime.now(UTC)})
    return rows


def post_row(rng: random.Random, org_id: int, municipality: str, now: datetime) -> dict:
    measure, words = rng.choice(MEASURES)
    place = rng.choice(PLACES)
    kind = _kind(rng)
    if kind == "challenge":
        title = f"Hur får vi {measure.lower()} att fungera för {place}?"
    elif kind == "lesson":
        title = f"Det vi lärde oss om {measure.lower()} i {place}"
    elif kind == "offer":
        title = f"Stöd för {measure.lower()} till {place}"
    else:
        title = f"{measure} för {place} i {municipality}"
    sentences = []
    for _ in range(rng.randint(6, 11)):
        a, b = rng.sample(words, 2)
        sentences.append(rng.choice(OPENINGS).format(a=a, b=b, partner=rng.choice(PARTNERS),
                                                     place=rng.choice(PLACES), n=rng.randint(2, 9)))
    body = " ".join(sentences[:4]) + "\n\n" + " ".join(sentences[4:])
    summary = f"{measure} i {municipality}: " + sentences[0]
    status = {"solution": rng.choice(["planerad", "pagaende", "genomford"]),
              "challenge": rng.choice(["oppen", "oppen", "lost"])}.get(kind, "")
    published = now - timedelta(days=rng.randint(0, 1100), minutes=rng.randint(0, 1440))
    return {
        "kind": kind, "title": title[:200], "summary": summary[:500], "body": body,
        "body_html": "".join(f"<p>{escape(part)}</p>" for part in body.split("\n\n")), "tags": rng.sample(words, 2) + [place],
        "organisation_id": org_id, "state": "published", "approval": "approved", "hidden": False,
        "featured": kind == "solution" and rng.random() < 0.03, "status": status,
        "created_at": published, "updated_at": published, "published_at": published,
        "copied_from_id": None,
    }


def generate(posts: int, seed: int = 2030, organisations_count: int | None = None) -> None:
    """Add organisations and `posts` public posts to the (migrated) database of the app context."""
    rng = random.Random(seed)
    orgs = organisations(rng, organisations_count or max(50, min(600, posts // 150)))
    db.session.execute(sa.insert(Organisation), orgs)
    db.session.commit()
    org_rows = db.session.execute(sa.select(Organisation.id, Organisation.municipality)).all()
    areas = list(db.session.scalars(sa.select(FocusArea.id)))
    now = datetime.now(UTC)
    first_id = (db.session.scalar(sa.select(sa.func.max(Post.id))) or 0) + 1
    batch: list[dict] = []
    links: list[dict] = []
    next_id = first_id
    for _ in range(posts):
        org_id, municipality = rng.choice(org_rows)
        row = post_row(rng, org_id, municipality, now)
        row["id"] = next_id
        if next_id > first_id + 50 and rng.random() < 0.05:
            row["copied_from_id"] = rng.randrange(first_id, next_id)
        batch.append(row)
        for area_id in rng.sample(areas, min(len(areas), rng.randint(1, 3))) if areas else []:
            links.append({"post_id": next_id, "focus_area_id": area_id})
        next_id += 1
        if len(batch) >= 2000:
            _flush(batch, links)
            batch, links = [], []
    _flush(batch, links)
    # Statistics for SQLite's planner, as a maintained database has (`PRAGMA optimize`): without
    # them it walks the public-posts index for lookups by id or by source post.
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")


def _flush(batch: list[dict], links: list[dict]) -> None:
    if batch:
        db.session.execute(sa.insert(Post.__table__), batch)
    if links:
        db.session.execute(sa.insert(post_focus_areas), links)
    db.session.commit()
