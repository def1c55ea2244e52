"""A judged set of Swedish queries over the demo posts: recall@10 must not drop (both backends).

Each query lists the demo posts (by title) a person asking it would want to find. The test loads
the demo data, runs every query through the search service and reports recall@10 per query and
on average; the average and every single query have floors, so a change that makes the search
worse fails here. Run with `-s` to see the table.
"""

from __future__ import annotations

import pytest

from hub import search
from hub.search import SearchQuery

K = 10
# Measured when the set was written; raise them when the search gets better, never lower them.
MEAN_RECALL_FLOOR = 1.0
QUERY_RECALL_FLOOR = 1.0

JUDGED: dict[str, list[str]] = {
    # from the issue
    "laddinfrastruktur för bostadsrättsföreningar": [
        "Laddinfrastruktur för bostadsrättsföreningar",
        "Med lastbalansering från början räcker servisen längre",
    ],
    "återbruk i byggprojekt": ["Återbruk av byggmaterial mellan projekt"],
    "cykla till jobbet": ["Säkra cykelstråk till de stora arbetsplatsområdena", "Bilpool och elcyklar för tjänsteresor"],
    # inflections and stems
    "cyklar": ["Säkra cykelstråk till de stora arbetsplatsområdena", "Bilpool och elcyklar för tjänsteresor"],
    "upphandlingar": [
        "Klimatkrav i livsmedelsupphandlingen",
        "Marknadsdialog före upphandling av fossilfria arbetsmaskiner",
        "Ställ bara krav som ni kan följa upp",
        "Klimatkrav i livsmedelsupphandlingen – Eskilstunas version",
        "Klimatkrav på livsmedel i stadens måltidsverksamhet",
    ],
    "klimatkrav på livsmedel": [
        "Klimatkrav i livsmedelsupphandlingen",
        "Klimatkrav i livsmedelsupphandlingen – Eskilstunas version",
        "Klimatkrav på livsmedel i stadens måltidsverksamhet",
    ],
    "resepolicy": [
        "Resepolicy: digitalt först, tåg före flyg",
        "Resepolicyn fick fäste först när vi visade siffrorna",
        "Resepolicy med digitala möten som förstahandsval",
        "Resepolicy för ett tillverkande företag",
    ],
    "tjänsteresa": [
        "Resepolicy: digitalt först, tåg före flyg",
        "Bilpool och elcyklar för tjänsteresor",
        "Resepolicy med digitala möten som förstahandsval",
    ],
    "mindre flyg i tjänsten": ["Resepolicy: digitalt först, tåg före flyg"],
    "studiecirklar": ["Studiecirklar om klimatomställning i vardagen", "Folkbildningen når andra än kampanjerna"],
    "folkbildning": [
        "Studiecirklar om klimatomställning i vardagen",
        "Folkbildningen når andra än kampanjerna",
        "Utbildning för samtalsledare i klimatsamtal",
    ],
    "evenemang": ["Klimatsmartare evenemang med Greentopia", "Hur mäter vi besökarnas resor till evenemang?"],
    "matavfall till biogas": ["Matavfall blir biogas till stadsbussarna"],
    "biogasbussar": ["Matavfall blir biogas till stadsbussarna"],
    # compounds: a part finds the whole
    "återbruk": [
        "Återbruksgalleria vid återvinningscentralen",
        "Inlämningen avgör vad butikerna kan sälja",
        "Studiebesök och rådgivning om återbrukshandel",
        "Tomma butikslokaler som ytor för reparation och återbruk?",
        "Återbruk av byggmaterial mellan projekt",
    ],
    "infrastruktur": ["Laddinfrastruktur för bostadsrättsföreningar", "Med lastbalansering från början räcker servisen längre"],
    "brf laddplatser": ["Laddinfrastruktur för bostadsrättsföreningar"],
    "galleria": ["Återbruksgalleria vid återvinningscentralen", "Studiebesök och rådgivning om återbrukshandel"],
    "lastbilar": ["Fossilfri stadsdistribution med HVO och ellastbilar"],
    "investeringsplan": ["Klimatinvesteringsplan kopplad till budgeten"],
    "kartläggning av energi": [
        "Energikartläggning i tre steg för småföretag",
        "Energikartläggning i tre steg för företagskunder i Borås",
    ],
    "elcykel": ["Bilpool och elcyklar för tjänsteresor"],
    "arbetsmaskiner": ["Marknadsdialog före upphandling av fossilfria arbetsmaskiner"],
    # typed without å/ä/ö
    "aterbruksgalleria": ["Återbruksgalleria vid återvinningscentralen", "Studiebesök och rådgivning om återbrukshandel"],
    "energikartlaggning": [
        "Energikartläggning i tre steg för småföretag",
        "Energikartläggning i tre steg för företagskunder i Borås",
    ],
    "smaforetag": [
        "Hur redovisar små företag sin årliga utsläppsminskning?",
        "Energirådgivning för små och medelstora företag",
        "Energikartläggning i tre steg för småföretag",
    ],
    "hyresratter renovering": ["Renovera med lägre klimatpåverkan utan att höja hyrorna mycket"],
    # topics
    "energirådgivning": ["Energirådgivning för små och medelstora företag"],
    "klimatberäkning i byggprojekt": [
        "Krav på klimatberäkning i stadens byggprojekt",
        "Klimatberäkningen behöver data redan i tidiga skeden",
    ],
    "geodata och kartor": ["Kortkurs för omställningsarenan: kartor och geodata i klimatarbetet"],
    "textil": ["Testbädd för cirkulära textilflöden"],
    "cirkulär ekonomi": ["Testbädd för cirkulära textilflöden"],
    "stambyte": ["Renovera med lägre klimatpåverkan utan att höja hyrorna mycket"],
    "kollektivtrafik på landsbygden": ["Fler hållbara vardagsresor i ytterområdena"],
    "klimatprogram": [
        "Ett klimatprogram som alla aktörer kan ansluta sig till",
        "Digitalt verktyg för lokala klimatåtaganden",
        "Förankring uppifrån gör klimatarbetet långlivat",
    ],
    "digitalt verktyg för åtaganden": ["Digitalt verktyg för lokala klimatåtaganden"],
    "forskning": ["Behovsanalys och forskningsstöd för klimatomställning"],
    "skolklasser": ["Klimatverkstad för skolklasser"],
    "marknadsdialog": ["Marknadsdialog före upphandling av fossilfria arbetsmaskiner"],
    "hvo": ["Fossilfri stadsdistribution med HVO och ellastbilar"],
    "greentopia": ["Klimatsmartare evenemang med Greentopia"],
    "utsläppsminskning": ["Hur redovisar små företag sin årliga utsläppsminskning?"],
    "klimathandlingsplan för fastighet": ["Klimathandlingsplan för en kontorsfastighet från 1980-talet"],
    "testbädd": ["Testbädd för cirkulära textilflöden"],
}


@pytest.fixture
def demo(app):
    from hub.seed import foundation, posts

    foundation.load()
    posts.load()


def recall_at_k(query: str, expected: list[str]) -> tuple[float, list[str]]:
    results = search.query(SearchQuery.from_args({"q": query}, per_page=K), facets=False)
    found = [hit.post.title for hit in results.hits]
    return len(set(expected) & set(found)) / len(expected), found


def test_judged_swedish_queries_keep_their_recall(demo, app):
    assert len(JUDGED) >= 30
    rows = []
    for query, expected in JUDGED.items():
        recall, found = recall_at_k(query, expected)
        rows.append((query, recall, [t for t in expected if t not in found]))
    mean = sum(r for _q, r, _m in rows) / len(rows)

    print(f"\nrecall@{K} over {len(rows)} judged queries ({app.config['HUB_SEARCH_BACKEND']}): {mean:.3f}")
    for query, recall, missing in rows:
        print(f"  {recall:4.2f}  {query}" + (f"   missing: {missing}" if missing else ""))

    assert mean >= MEAN_RECALL_FLOOR
    too_low = [(q, r, m) for q, r, m in rows if r < QUERY_RECALL_FLOOR]
    assert not too_low, too_low
