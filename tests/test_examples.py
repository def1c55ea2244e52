"""Good examples (Bra exempel) and Månadens exempel."""

from __future__ import annotations

from types import SimpleNamespace

import moderation_helpers as h
import pytest
import sqlalchemy as sa
from flask import render_template

from hub.examples import service as examples
from hub.extensions import db
from hub.models import FocusArea, MonthlyExample, User, utcnow

HX = {"HX-Request": "true"}


def _user(email, org, name, role="member"):
    user = User(email=email, name=name, organisation=org, role=role)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def people(make_org):
    kristianstad = make_org("kristianstads-kommun", "Kristianstads kommun")
    boras = make_org("boras-stad", "Borås Stad", municipality="Borås")
    tkartor = make_org("t-kartor", "T-Kartor", kind="foretag")
    hub_org = make_org("klimathubben", "Klimathubben", kind="forening", municipality="Stockholm")
    return SimpleNamespace(
        kristianstad=kristianstad,
        boras=boras,
        tkartor=tkartor,
        member=_user("karin@kristianstad.se", kristianstad, "Karin"),
        moderator=_user("moderator@klimathubben.se", hub_org, "Mona Moderator", role="moderator"),
    )


def featured(org, title, **fields):
    return h.post(org, title, featured=True, featured_reason=fields.pop("reason", "Lätt att kopiera."),
                  featured_at=utcnow(), **fields)


# --- featuring a solution -------------------------------------------------------------------------


def test_featuring_is_refused_with_the_missing_kit_fields(client, login_as, people):
    post = h.post(people.kristianstad, "Cykelpool utan kalkyl", kit=False, contact_enabled=False,
                  cost_band="lt_100k")
    login_as(people.moderator)
    page = client.get(f"/moderation/posts/{post.id}/feature").get_data(as_text=True)
    assert "Kopieringspaket" in page
    assert "Det här saknas:" in page

    response = client.post(f"/moderation/posts/{post.id}/feature", data={"reason": "Enkel att kopiera."})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    notice = body[body.index('id="kit-missing"'):]
    notice = notice[:notice.index("</div>")]
    for label in ("Uppskattad minskning (ton CO₂e)", "Hur minskningen uppskattats (metod)", "Ledtid",
                  "Det här behöver ni för att kopiera åtgärden (förutsättningar)",
                  "Kontakt via hubben (andra får kontakta organisationen om åtgärden)"):
        assert f"<li>{label}</li>" in notice, label
    assert "<li>Kostnad</li>" not in notice  # the cost band is there
    assert "Enkel att kopiera." in body  # what the moderator wrote is kept
    assert not h.fresh(post).featured
    assert h.audit_entries() == []


def test_a_reduction_without_a_method_is_not_a_kit(people):
    from hub.moderation.service import missing_kit

    post = h.post(people.kristianstad, estimation_method="")
    assert missing_kit(post) == ["estimation_method"]
    assert missing_kit(h.post(people.kristianstad, "B")) == []


def test_featuring_a_solution_with_a_complete_kit(client, login_as, people):
    post = h.post(people.kristianstad, "Klimatsmart upphandling av arbetsmaskiner")
    login_as(people.moderator)
    response = client.post(f"/moderation/posts/{post.id}/feature",
                           data={"reason": "Kraven går att lyfta rakt in i en annan kommuns upphandling."})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/posts/{post.id}")
    post = h.fresh(post)
    assert post.featured and post.featured_at is not None
    assert post.featured_reason == "Kraven går att lyfta rakt in i en annan kommuns upphandling."
    [entry] = h.audit_entries("feature")
    assert (entry.target_id, entry.actor_id) == (post.id, people.moderator.id)
    assert len(h.notifications_for(people.member, "featured")) == 1

    page = client.get("/examples/").get_data(as_text=True)
    assert "Klimatsmart upphandling av arbetsmaskiner" in page
    assert "Kraven går att lyfta rakt in i en annan kommuns upphandling." in page
    assert "Bra exempel" in page and "1 bra exempel" in page


def test_featuring_needs_a_reason(client, login_as, people):
    post = h.post(people.kristianstad)
    login_as(people.moderator)
    response = client.post(f"/moderation/posts/{post.id}/feature", data={"reason": " "})
    assert response.status_code == 422
    assert "Skriv varför åtgärden är värd att kopiera." in response.get_data(as_text=True)
    assert not h.fresh(post).featured


@pytest.mark.parametrize("what", ["lesson", "hidden", "draft", "pending", "already"])
def test_only_public_solutions_can_be_featured_once(client, login_as, people, what):
    if what == "lesson":
        post = h.post(people.kristianstad, kind="lesson")
    else:
        post = h.post(people.kristianstad, hidden=what == "hidden", state="draft" if what == "draft" else "published",
                      approval="pending" if what == "pending" else "approved", featured=what == "already",
                      featured_reason="Redan vald" if what == "already" else "")
    login_as(people.moderator)
    response = client.post(f"/moderation/posts/{post.id}/feature", data={"reason": "Bra."})
    assert response.status_code in (303, 404)
    assert h.audit_entries("feature") == []
    assert h.fresh(post).featured == (what == "already")


def test_unfeaturing(client, login_as, people):
    post = featured(people.kristianstad, "Solceller på förskolor")
    login_as(people.moderator)
    assert client.post(f"/moderation/posts/{post.id}/unfeature", data={"reason": "Inaktuell"}).status_code == 303
    post = h.fresh(post)
    assert not post.featured and post.featured_reason == "" and post.featured_at is None
    assert h.audit_entries("unfeature")[0].reason == "Inaktuell"
    assert "Solceller på förskolor" not in client.get("/examples/").get_data(as_text=True)


def test_the_badge_shows_only_on_featured_posts(app, people):
    plain = h.post(people.kristianstad, "Vanlig")
    chosen = featured(people.kristianstad, "Utvald")
    with app.test_request_context():
        assert "Bra exempel" in render_template("examples/_badge.html", post=chosen)
        assert render_template("examples/_badge.html", post=plain).strip() == ""


# --- the good examples page ----------------------------------------------------------------------


def test_the_examples_page_lists_public_featured_solutions_with_their_kit(client, people):
    mobility = h.area("mobilitet", "Hållbar mobilitet")
    featured(people.kristianstad, "Bilpool för kommunens anställda", areas=[mobility], reason="Halverade bilresorna.")
    featured(people.tkartor, "Resepolicy utan flyg", hidden=True)
    featured(people.boras, "Utkast", state="draft")
    h.post(people.boras, "Inte utvald")
    page = client.get("/examples/").get_data(as_text=True)
    assert "Bilpool för kommunens anställda" in page
    assert "Halverade bilresorna." in page
    assert "100 000 – 1 miljon kr" in page and "3–12 månader" in page
    assert "Hållbar mobilitet" in page
    for absent in ("Resepolicy utan flyg", "Utkast", "Inte utvald"):
        assert absent not in page


def test_example_cards_name_focus_areas_in_the_chosen_language(client, people):
    mobility = FocusArea(slug="mobilitet", name_sv="Hållbar mobilitet", name_en="Sustainable mobility")
    featured(people.kristianstad, "Bilpool för kommunens anställda", areas=[mobility])
    client.post("/language", data={"lang": "en"})
    page = client.get("/examples/").get_data(as_text=True)
    card = page[page.index("Bilpool för kommunens anställda"):]
    assert "Sustainable mobility" in card
    assert "Hållbar mobilitet" not in page


def test_the_examples_page_filters_by_area_and_kind_of_actor(client, people):
    mobility = h.area("mobilitet", "Hållbar mobilitet")
    energy = h.area("energi", "Energi")
    featured(people.kristianstad, "Bilpool", areas=[mobility])
    featured(people.tkartor, "Resepolicy", areas=[mobility])
    featured(people.boras, "Solceller", areas=[energy])

    by_area = client.get("/examples/?area=mobilitet").get_data(as_text=True)
    assert "Bilpool" in by_area and "Resepolicy" in by_area and "Solceller" not in by_area
    by_kind = client.get("/examples/?kind=foretag").get_data(as_text=True)
    assert "Resepolicy" in by_kind and "Bilpool" not in by_kind

    fragment = client.get("/examples/?area=energi", headers=HX)
    body = fragment.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="examples-results">')
    assert "Solceller" in body and "Bilpool" not in body
    assert "HX-Request" in fragment.headers["Vary"]

    for garbage in ("area=finns-inte", "kind=%00", "page=-1", "page=abc", "page=500"):
        assert client.get(f"/examples/?{garbage}").status_code == 200, garbage


# --- Månadens exempel ------------------------------------------------------------------------------


def test_a_moderator_picks_the_months_example(client, login_as, people):
    post = featured(people.kristianstad, "Klimatsmart upphandling av arbetsmaskiner")
    login_as(people.moderator)
    form = client.get(f"/examples/monthly/choose?post={post.id}").get_data(as_text=True)
    assert f'value="{examples.current_month()}"' in form
    assert "Klimatsmart upphandling av arbetsmaskiner" in form

    response = client.post("/examples/monthly/choose", data={
        "post_id": str(post.id), "month": examples.current_month(),
        "citation": "Kommunen visar att fossilfria krav går att ställa redan i dag.",
    })
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/examples/monthly")
    archive = client.get("/examples/monthly").get_data(as_text=True)
    assert "Klimatsmart upphandling av arbetsmaskiner" in archive
    assert "Kommunen visar att fossilfria krav går att ställa redan i dag." in archive
    assert "Denna månad" in archive
    [entry] = h.audit_entries("monthly_pick")
    assert entry.target_id == post.id and examples.current_month() in entry.reason
    assert examples.highlight().post_id == post.id


def test_one_pick_per_month_and_changing_it_is_audited(client, login_as, people):
    first = featured(people.kristianstad, "Första valet")
    second = featured(people.boras, "Andra valet")
    login_as(people.moderator)
    data = {"month": "2025-03", "citation": "Bra."}
    client.post("/examples/monthly/choose", data={**data, "post_id": str(first.id)})
    page = client.get(f"/examples/monthly/choose?post={second.id}&month=2025-03").get_data(as_text=True)
    assert "har redan ett valt exempel" in page and "Första valet" in page
    assert client.post("/examples/monthly/choose",
                       data={**data, "post_id": str(second.id), "citation": "Ännu bättre."}).status_code == 303
    picks = db.session.scalars(sa.select(MonthlyExample)).all()
    assert [(p.month, p.post_id, p.citation) for p in picks] == [("2025-03", second.id, "Ännu bättre.")]
    [change] = h.audit_entries("monthly_change")
    assert change.target_id == second.id and str(first.id) in change.reason
    archive = client.get("/examples/monthly").get_data(as_text=True)
    assert "Andra valet" in archive and "Första valet" not in archive
    assert "Mars 2025" in archive


def test_only_a_featured_example_can_be_the_months_pick(client, login_as, people):
    plain = h.post(people.kristianstad, "Inte utvald")
    login_as(people.moderator)
    page = client.get(f"/examples/monthly/choose?post={plain.id}").get_data(as_text=True)
    assert "Bara publicerade Bra exempel kan bli Månadens exempel." in page
    response = client.post("/examples/monthly/choose",
                           data={"post_id": str(plain.id), "month": "2025-03", "citation": "Bra."})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(MonthlyExample.id))) == 0


@pytest.mark.parametrize(("month", "citation", "message"), [
    ("2025-13", "Bra.", "Ange månaden som ÅÅÅÅ-MM."),
    ("maj", "Bra.", "Ange månaden som ÅÅÅÅ-MM."),
    ("", "Bra.", "Ange månaden."),
    ("2025-05", "", "Skriv en kort motivering."),
    ("2025-05", "x" * 501, "Högst 500 tecken."),
])
def test_the_pick_form_names_its_errors(client, login_as, people, month, citation, message):
    post = featured(people.kristianstad, "Utvald")
    login_as(people.moderator)
    response = client.post("/examples/monthly/choose", data={"post_id": str(post.id), "month": month,
                                                               "citation": citation})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(MonthlyExample.id))) == 0


def test_the_pick_form_needs_a_real_post(client, login_as, people):
    login_as(people.moderator)
    assert client.get("/examples/monthly/choose").status_code == 404
    assert client.get("/examples/monthly/choose?post=abc").status_code == 404
    assert client.get("/examples/monthly/choose?post=99999").status_code == 404
    assert client.post("/examples/monthly/choose", data={"post_id": "x"}).status_code == 404


def test_the_highlight_is_this_months_pick_or_the_latest_and_only_while_public(app, people):
    older = featured(people.kristianstad, "Förra månadens")
    newer = featured(people.boras, "Denna månads")
    later = featured(people.tkartor, "Framtida")
    this_month = examples.current_month()
    db.session.add_all([
        MonthlyExample(month="2020-01", post_id=older.id, citation="Gammal."),
        MonthlyExample(month=this_month, post_id=newer.id, citation="Ny."),
        MonthlyExample(month="2099-12", post_id=later.id, citation="Framtid."),
    ])
    db.session.commit()
    assert examples.highlight().post_id == newer.id
    newer.hidden = True
    db.session.commit()
    assert examples.highlight().post_id == older.id
    assert [p.month for p in examples.archive()] == ["2099-12", "2020-01"]


def test_the_home_page_highlight_renders_nothing_without_a_pick(app, people):
    with app.test_request_context():
        assert render_template("examples/_monthly_highlight.html").strip() == ""
    post = featured(people.kristianstad, "Klimatsmart upphandling")
    db.session.add(MonthlyExample(month=examples.current_month(), post_id=post.id, citation="Ett föredöme."))
    db.session.commit()
    with app.test_request_context():
        html = render_template("examples/_monthly_highlight.html")
    assert "Månadens exempel" in html and "Klimatsmart upphandling" in html and "Ett föredöme." in html


def test_the_monthly_archive_without_picks(client):
    assert "Inget månadens exempel är valt ännu." in client.get("/examples/monthly").get_data(as_text=True)


# --- elsewhere in the hub --------------------------------------------------------------------------


def test_the_home_page_leads_with_the_months_example(client, people):
    assert "monthly-highlight" not in client.get("/").get_data(as_text=True)
    post = featured(people.kristianstad, "Klimatsmart upphandling av arbetsmaskiner")
    db.session.add(MonthlyExample(month=examples.current_month(), post_id=post.id,
                                  citation="Fossilfria krav går att ställa redan i dag."))
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Månadens exempel" in page
    assert "Klimatsmart upphandling av arbetsmaskiner" in page
    assert "Fossilfria krav går att ställa redan i dag." in page
    assert page.index("monthly-highlight") < page.index('id="about-heading"')


def test_the_json_api_says_which_posts_are_good_examples(client, people):
    chosen = featured(people.kristianstad, "Utvald", reason="Enkel att kopiera.")
    plain = h.post(people.kristianstad, "Vanlig")
    h.post(people.kristianstad, "Dold och utvald", hidden=True, featured=True, featured_reason="x")
    h.post(people.kristianstad, "Väntar", approval="pending")
    item = client.get(f"/api/v1/posts/{chosen.id}").get_json()
    assert item["featured"] is True and item["featured_reason"] == "Enkel att kopiera."
    item = client.get(f"/api/v1/posts/{plain.id}").get_json()
    assert item["featured"] is False and item["featured_reason"] is None
    listed = client.get("/api/v1/posts").get_json()
    assert sorted(p["title"] for p in listed["items"]) == ["Utvald", "Vanlig"]


def test_post_cards_carry_the_badge(client, people):
    featured(people.kristianstad, "Utvald åtgärd")
    page = client.get("/posts/?kind=solution").get_data(as_text=True)
    card = page[page.index("Utvald åtgärd"):]
    assert "Bra exempel" in card[:800]


def test_a_featured_solution_is_a_search_filter_and_ranks_higher(client, login_as, people):
    from hub import search
    from hub.search import SearchQuery

    body = "Vi ställde krav på fossilfria arbetsmaskiner och förde dialog med entreprenörerna."
    plain = h.post(people.boras, "Fossilfria arbetsmaskiner i anläggningsprojekt", body=body, summary=body)
    chosen = h.post(people.kristianstad, "Fossilfria arbetsmaskiner i anläggningsprojekten", body=body, summary=body)
    login_as(people.moderator)
    client.post(f"/moderation/posts/{chosen.id}/feature", data={"reason": "Lätt att kopiera."})

    only = search.query(SearchQuery.from_args({"q": "arbetsmaskiner", "featured": "1"}))
    assert [hit.post_id for hit in only.hits] == [chosen.id]
    ranked = search.query(SearchQuery.from_args({"q": "fossilfria arbetsmaskiner"}))
    assert [hit.post_id for hit in ranked.hits][:2] == [chosen.id, plain.id]

    client.post(f"/moderation/posts/{chosen.id}/unfeature", data={})
    assert search.query(SearchQuery.from_args({"q": "arbetsmaskiner", "featured": "1"})).hits == []
