"""A hidden post disappears at once from every public place, and its organisation still sees why.

One parametrised test over every channel: each channel must show the post before a moderator
hides it (so the test proves something) and must not show it right after.
"""

from __future__ import annotations

import json
import re
from datetime import date
from types import SimpleNamespace

import moderation_helpers as h
import pytest
from flask import g

from hub.examples import service as examples
from hub.extensions import db
from hub.models import Commitment, Contract, ContractParty, MonthlyExample, User, utcnow

TITLE = "Återbruksgalleria för byggmaterial"
WORD = "Återbruksgalleria"


@pytest.fixture
def world(app, make_org):
    area = h.area("cirkular-ekonomi", "Cirkulär ekonomi")
    org = make_org("eskilstuna-kommun", "Eskilstuna kommun", municipality="Eskilstuna")
    hub_org = make_org("klimathubben", "Klimathubben", kind="forening", municipality="Stockholm")
    contract = Contract(city="Eskilstuna", title="Klimatkontrakt för Eskilstuna", year=2024, signed_on=date(2024, 5, 1))
    party = ContractParty(contract=contract, organisation=org, role="part")
    commitment = Commitment(party=party, number="3", text="Vi ska öka återbruket av byggmaterial.", position=3)
    commitment.focus_areas = [area]
    db.session.add_all([contract, party, commitment])
    db.session.commit()

    member = User(email="anna@eskilstuna.se", name="Anna", organisation=org)
    moderator = User(email="moderator@klimathubben.se", name="Mona", organisation=hub_org, role="moderator")
    db.session.add_all([member, moderator])
    db.session.commit()

    target = h.post(org, TITLE, areas=[area], tags=["återbruk", "byggmaterial"],
                    summary="Byggmaterial får ett andra liv i en återbruksgalleria.",
                    body="Vi öppnade en återbruksgalleria för byggmaterial med hyllor för dörrar och fönster.",
                    featured=True, featured_reason="Lätt att kopiera.", featured_at=utcnow())
    target.commitments = [commitment]
    sibling = h.post(org, "Återbruk av byggmaterial i kommunens egna byggprojekt", areas=[area],
                     tags=["återbruk", "byggmaterial"],
                     summary="Byggmaterial från rivningar återbrukas i nya projekt via galleria.",
                     body="Återbruk av byggmaterial: dörrar och fönster från rivningar återbrukas.")
    db.session.add(MonthlyExample(month=examples.current_month(), post_id=target.id, citation="Ett föredöme i återbruk."))
    db.session.commit()
    return SimpleNamespace(area=area, org=org, contract=contract, commitment=commitment, member=member,
                           moderator=moderator, target=target, sibling=sibling)


def _text(response) -> str:
    assert response.status_code < 500
    if response.is_json:  # JSON escapes å/ä/ö; compare what it says, not how it is spelt
        return json.dumps(response.get_json(), ensure_ascii=False)
    # Search highlights matched words (<mark>…</mark>); read the text as a person would.
    return re.sub(r"<[^>]+>", "", response.get_data(as_text=True))


def _search_engine(app, client, w):
    from hub import search
    from hub.search import SearchQuery

    results = search.query(SearchQuery.from_args({"q": WORD}))
    return " ".join(TITLE if hit.post_id == w.target.id else str(hit.post_id) for hit in results.hits)


def _similar_engine(app, client, w):
    from hub import search

    found = search.similar(w.sibling, limit=10)
    ids = [getattr(item, "post_id", getattr(item, "id", item)) for item in found]
    return " ".join(TITLE if i == w.target.id else str(i) for i in ids)


# name -> (how to read the channel as text)
CHANNELS = {
    "post page": lambda app, c, w: _text(c.get(f"/posts/{w.target.id}")),
    "list": lambda app, c, w: _text(c.get("/posts/?kind=solution")),
    "list by area": lambda app, c, w: _text(c.get(f"/posts/?area={w.area.slug}")),
    "list by organisation": lambda app, c, w: _text(c.get(f"/posts/?org={w.org.slug}")),
    "search page": lambda app, c, w: _text(c.get(f"/posts/?q={WORD}")),
    "search engine": _search_engine,
    "similar posts": lambda app, c, w: _text(c.get(f"/posts/{w.sibling.id}")),
    "similar engine": _similar_engine,
    "organisation page": lambda app, c, w: _text(c.get(f"/organisations/{w.org.slug}")),
    "contract and commitment page": lambda app, c, w: _text(c.get(f"/contracts/{w.contract.id}")),
    "focus area page": lambda app, c, w: _text(c.get(f"/focus-areas/{w.area.slug}")),
    "home page": lambda app, c, w: _text(c.get("/")),
    "good examples": lambda app, c, w: _text(c.get("/examples/")),
    "monthly archive": lambda app, c, w: _text(c.get("/examples/monthly")),
    "atom feed": lambda app, c, w: _text(c.get("/posts.atom")),
    "atom feed by area": lambda app, c, w: _text(c.get(f"/posts.atom?area={w.area.slug}")),
    "csv export": lambda app, c, w: _text(c.get("/posts.csv")),
    "csv export of a query": lambda app, c, w: _text(c.get(f"/posts.csv?q={WORD}")),
    "json list": lambda app, c, w: _text(c.get("/api/v1/posts")),
    "json list by area": lambda app, c, w: _text(c.get(f"/api/v1/posts?area={w.area.slug}")),
    "json search": lambda app, c, w: _text(c.get(f"/api/v1/posts?q={WORD}")),
    "json post": lambda app, c, w: _text(c.get(f"/api/v1/posts/{w.target.id}")),
}


def _fresh_request_globals() -> None:
    """Forget what earlier requests left on `g`: in these tests the app context (and so `g`)
    outlives each request, where a real server starts every request with an empty one."""
    for name in list(vars(g)):
        delattr(g, name)


def _anonymous(client) -> None:
    with client.session_transaction() as session:
        session.clear()
    _fresh_request_globals()


@pytest.mark.parametrize("channel", list(CHANNELS))
def test_a_hidden_post_is_gone_from_every_public_channel(app, client, login_as, world, channel):
    read = CHANNELS[channel]
    before = read(app, client, world)
    assert TITLE in before, f"{channel} should show the post before it is hidden"

    _fresh_request_globals()
    login_as(world.moderator)
    response = client.post(f"/moderation/posts/{world.target.id}/hide", data={"reason": "Innehåller personuppgifter."})
    assert response.status_code == 303
    _anonymous(client)

    after = read(app, client, world)
    assert TITLE not in after, f"{channel} still shows the hidden post"
    assert "Innehåller personuppgifter." not in after


def test_the_organisation_still_sees_its_hidden_post_with_the_reason(app, client, login_as, world):
    login_as(world.moderator)
    client.post(f"/moderation/posts/{world.target.id}/hide", data={"reason": "Innehåller personuppgifter."})
    _anonymous(client)
    assert client.get(f"/posts/{world.target.id}").status_code == 404
    assert client.get(f"/api/v1/posts/{world.target.id}").status_code == 404

    login_as(world.member)
    page = client.get(f"/posts/{world.target.id}").get_data(as_text=True)
    assert TITLE in page
    assert "Innehåller personuppgifter." in page
    assert "dolt av en moderator" in page

    login_as(world.moderator)
    page = client.get(f"/posts/{world.target.id}").get_data(as_text=True)
    assert "Innehåller personuppgifter." in page and "Återställ" in page


def test_restoring_brings_the_post_back(app, client, login_as, world):
    login_as(world.moderator)
    client.post(f"/moderation/posts/{world.target.id}/hide", data={"reason": "Misstag."})
    client.post(f"/moderation/posts/{world.target.id}/restore", data={})
    _anonymous(client)
    assert TITLE in client.get("/posts/?kind=solution").get_data(as_text=True)
    assert client.get(f"/api/v1/posts/{world.target.id}").status_code == 200
    assert TITLE in client.get("/examples/").get_data(as_text=True)


def test_a_hidden_answer_is_gone_from_the_challenge_page_and_the_json(app, client, login_as, world, make_org):
    challenge = h.post(world.org, "Hur får vi byggföretagen att lämna material till återbruk?", kind="challenge")
    other = make_org("peab", "Peab", kind="foretag")
    answer = h.answer(challenge, other, "Vi sorterar ut dörrar och fönster redan vid rivningen.")
    assert answer.body in client.get(f"/posts/{challenge.id}").get_data(as_text=True)
    login_as(world.moderator)
    assert client.post(f"/moderation/answers/{answer.id}/hide", data={"reason": "Fel tråd."}).status_code == 303
    _anonymous(client)
    assert answer.body not in client.get(f"/posts/{challenge.id}").get_data(as_text=True)
    api = json.dumps(client.get(f"/api/v1/posts/{challenge.id}").get_json(), ensure_ascii=False)
    assert answer.body not in api
