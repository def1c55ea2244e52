"""The search as people use it: the /posts/ page (plain and htmx), CSV, Atom, JSON and OpenAPI."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from hub.extensions import db

from search_helpers import area, org, post

HX = {"HX-Request": "true", "HX-Target": "search-results", "HX-Current-URL": "http://localhost/posts/"}
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def corpus(app):
    energy = area("energi", "Energi")
    mobility = area("mobilitet", "Modig mobilitet")
    town = org("kristianstads-kommun", "Kristianstads kommun", municipality="Kristianstad")
    company = org("t-kartor", "T-Kartor", kind="foretag", municipality="Kristianstad")
    posts = {
        "bike": post("Cykelparkering vid stationen", "Säkra platser för cykel", organisation=town, areas=[mobility]),
        "policy": post("Resepolicy med cykling till möten", "Tjänsteresor med cykel och tåg", organisation=company,
                       areas=[mobility], featured=True),
        "solar": post("Solceller på skolor", "Kommunens tak ger el", organisation=town, areas=[energy]),
        "hidden": post("Cykelkampanj som döljs", "Cykla mera", organisation=town, hidden=True),
    }
    return posts


def text(response, marks: bool = False) -> str:
    """The page; without the <mark> tags of highlighted words unless asked for."""
    page = response.get_data(as_text=True)
    return page if marks else page.replace("<mark>", "").replace("</mark>", "")


# --- the page -------------------------------------------------------------------------------------


def test_search_page_shows_marked_hits_facet_counts_and_a_live_region(client, corpus):
    response = client.get("/posts/?q=cyklar")

    page = text(response, marks=True)
    assert response.status_code == 200 and "<html" in page
    assert "HX-Request" in response.headers["Vary"]
    assert page.count('value="cyklar"') == 1  # the page's own box; the header's stays empty (live search updates only one)
    assert "2 träffar" in page
    assert "<mark>Cykelparkering</mark>" in page or "<mark>cykel</mark>" in page.lower()
    assert "Cykelkampanj som döljs" not in text(response)
    assert "Solceller på skolor" not in page
    # Facet options carry the counts for this query.
    assert 'name="kind" value="solution"' in page and "(2)" in page
    assert 'id="search-status"' in page and 'aria-live="polite"' in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page
    assert 'hx-push-url="true"' in page and 'hx-sync="closest form:replace"' in page


def test_search_results_fragment_for_htmx_updates_results_facets_and_the_count(client, corpus):
    response = client.get("/posts/?q=cyklar&area=mobilitet", headers=HX)

    fragment = text(response)
    assert response.status_code == 200
    assert "<html" not in fragment
    assert "Cykelparkering vid stationen" in fragment
    assert 'id="search-facets"' in fragment
    assert 'id="search-status"' in fragment and 'hx-swap-oob="innerHTML"' in fragment
    assert "2 träffar för cyklar" in fragment
    assert "HX-Request" in response.headers["Vary"]
    # The address bar gets the search's own URL, without the form's empty fields.
    assert response.headers["HX-Push-Url"] == "/posts/?q=cyklar&area=mobilitet"

    history = client.get("/posts/?q=cyklar", headers=HX | {"HX-History-Restore-Request": "true"})
    assert "<html" in text(history)


def test_filters_and_sorting_through_the_url(client, corpus):
    page = text(client.get("/posts/?q=cykel&org_kind=foretag"))
    assert "Resepolicy med cykling till möten" in page
    assert "Cykelparkering vid stationen" not in page

    featured = text(client.get("/posts/?featured=1"))
    assert "Resepolicy med cykling till möten" in featured and "Solceller på skolor" not in featured

    newest = text(client.get("/posts/?sort=newest"))
    assert newest.index("Solceller på skolor") < newest.index("Cykelparkering vid stationen")


def test_did_you_mean_links_to_the_corrected_search(client, corpus):
    page = text(client.get("/posts/?q=solcellr"))

    assert "Menade du" in page
    assert "/posts/?q=solceller" in page


@pytest.mark.parametrize(
    "query",
    ["q=((", "q=AND+OR", "q=title:x", "q=a*", "q=[a+TO+b]", "q=%00", "q=" + "x" * 10_000, "page=abc",
     "page=99999", "kind=bogus", "area=../../etc", "year=x", "sort=evil", "status=%00", "featured=maybe",
     "municipality=" + "Å" * 500, "org=%3Cscript%3E"],
)
def test_malformed_searches_give_a_normal_page(client, corpus, query):
    for headers in ({}, HX):
        response = client.get(f"/posts/?{query}", headers=headers)
        assert response.status_code == 200
        page = text(response)
        # The results (with their count, and the filters) as for any search, in the layout or not.
        assert 'class="results-summary"' in page and 'id="search-facets"' in page
        assert ("<html" in page) == (headers == {})


def test_a_query_without_words_says_so(client, corpus):
    page = text(client.get("/posts/?q=((+))"))
    assert "inga ord att söka på" in page


def test_long_query_is_cut_and_says_so(client, corpus):
    page = text(client.get("/posts/?q=" + "+".join(f"ord{i}" for i in range(30))))
    assert "har kortats" in page


CARD_TEMPLATES = {
    "search hits": '{% from "posts/_hit.html" import hit_list with context %}{{ hit_list(hits) }}',
    "post cards": '{% from "posts/_card.html" import post_card with context %}'
                  '{% for p in posts %}{{ post_card(p) }}{% endfor %}',
    "similar while typing": '{% with similar_posts = posts %}{% include "challenges/_similar_results.html" %}'
                            '{% endwith %}',
}


@pytest.mark.parametrize("template", CARD_TEMPLATES)
def test_lists_render_a_card_as_the_post_it_stands_for(app, corpus, template):
    """Lists read their posts as Cards, without the ORM; every template that shows them gives the
    same HTML for a card as for the post itself (an attribute a Card lacked would vanish silently)."""
    from dataclasses import replace

    from flask import render_template_string

    from hub import search
    from hub.search import Card, SearchQuery

    solved = post("Laddplatser som räckte", "Löst tillsammans", kind="challenge", status="lost",
                  organisation=corpus["bike"].organisation, areas=corpus["bike"].focus_areas)
    assert solved.is_solved
    with app.test_request_context("/posts/"):
        query = SearchQuery(sort="newest")
        as_cards, as_posts = search.query(query, cards=True), search.query(query)
        assert {type(hit.post) for hit in as_cards.hits} == {Card}
        assert [h.post_id for h in as_cards.hits] == [h.post_id for h in as_posts.hits]
        assert any(h.post.featured for h in as_cards.hits) and any(h.post.is_solved for h in as_cards.hits)
        assert any(h.post.focus_areas for h in as_cards.hits)

        def page(results):
            # The marks belong to the hit, not to the post: only cards carry them, so each hit
            # takes its card's marks and the rest of the HTML comes from what the post offers.
            hits = [replace(hit, title_html=card.title_html, excerpt_html=card.excerpt_html)
                    for hit, card in zip(results.hits, as_cards.hits)]
            return render_template_string(CARD_TEMPLATES[template], hits=hits, posts=results.posts)

        assert page(as_cards) == page(as_posts)
        assert "Laddplatser som räckte" in page(as_cards)


# --- open data per query --------------------------------------------------------------------------


def test_csv_export_answers_503_when_the_database_is_lost(client, corpus, monkeypatch):
    import sqlalchemy as sa

    from hub.search.service import SearchService

    def lost(*_args, **_kwargs):
        raise sa.exc.OperationalError("SELECT posts", {}, ConnectionError("the database went away"))

    monkeypatch.setattr(SearchService, "_load", staticmethod(lost))
    response = client.get("/posts.csv?q=cykel")
    assert response.status_code == 503
    assert "Databasen svarar inte" in response.get_data(as_text=True)


def test_a_result_larger_than_a_csv_file_says_so_at_the_link(client, corpus, monkeypatch):
    from hub.search import routes

    monkeypatch.setattr(routes, "CSV_MAX_ROWS", 2)
    everything = text(client.get("/posts/"))
    assert "(de första 2 raderna)" in everything
    rows = client.get("/posts.csv").get_data(as_text=True).strip().split("\r\n")
    assert len(rows) == 1 + 2  # the header and the first two
    assert "(de första" not in text(client.get("/posts/?q=solceller"))  # one hit: all of it


def test_csv_export_is_utf8_with_bom_and_formula_safe(client, corpus):
    post("=HYPERLINK(\"http://evil\") cykel", "+SUM(A1) @ -1", organisation=org("t-kartor"), tags=["-tag"])

    response = client.get("/posts.csv?q=cykel")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["id", "länk", "slag", "titel"]
    titles = [row[3] for row in body]
    assert "Cykelparkering vid stationen" in titles
    assert "Solceller på skolor" not in titles
    assert "Cykelkampanj som döljs" not in titles
    evil = next(row for row in body if "HYPERLINK" in row[3])
    assert evil[3].startswith("'=")
    assert evil[4].startswith("'+")
    assert evil[9].startswith("'-")


def test_atom_feed_of_a_query(client, corpus):
    response = client.get("/posts.atom?area=mobilitet")

    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.get_data())
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert set(titles) == {"Cykelparkering vid stationen", "Resepolicy med cykling till möten"}
    assert feed.find(f"{ATOM}rights").text.endswith("CC BY 4.0")
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert "area=mobilitet" in links["self"] and links["license"].startswith("https://creativecommons.org")

    searched = ET.fromstring(client.get("/posts.atom?q=solceller").get_data())
    assert [e.find(f"{ATOM}title").text for e in searched.findall(f"{ATOM}entry")] == ["Solceller på skolor"]


def test_atom_feed_stays_xml_whatever_the_text_holds(client, corpus):
    from hub.extensions import db
    from hub.models import Post

    # Past the forms, which clean text: an import or a script may write anything.
    db.session.execute(db.update(Post).where(Post.id == corpus["bike"].id)
                       .values(title="Cykel\x0bparkering\x1f vid stationen", summary="Ett\x0c nytt tak"))
    db.session.commit()
    for address in ("/posts.atom?area=mobilitet", "/posts.atom?q=cykel%0Bparkering%1F%08"):
        feed = ET.fromstring(client.get(address).get_data())  # raises on a character XML forbids
        titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
        assert "Cykelparkering vid stationen" in titles, address


def test_json_search_has_facets_and_the_licence(client, corpus):
    data = client.get("/api/v1/posts?q=cyklar").get_json()

    assert data["total"] == 2
    assert {item["title"] for item in data["items"]} == {"Cykelparkering vid stationen",
                                                          "Resepolicy med cykling till möten"}
    assert data["facets"]["kind"] == {"solution": 2}
    assert data["facets"]["org_kind"] == {"kommun": 1, "foretag": 1}
    assert data["license"]["name"] == "CC BY 4.0"

    assert client.get("/api/v1/posts?q=solcellr").get_json()["suggestion"] == "solceller"
    assert client.get("/api/v1/posts?status=bogus").status_code == 400
    assert client.get("/api/v1/posts?sort=evil").get_json()["status"] == 400
    assert client.get("/api/v1/posts?q=cyklar&page=5").get_json()["items"] == []
    assert client.get("/api/v1/posts?q=((").status_code == 200


def test_every_page_states_the_open_data_licence(client, corpus):
    for address in ("/", "/posts/?q=cykel", f"/posts/{corpus['bike'].id}"):
        footer = text(client.get(address)).split("<footer", 1)[1]
        assert 'href="https://creativecommons.org/licenses/by/4.0/deed.sv" rel="license">CC BY 4.0</a>' in footer
    client.post("/language", data={"lang": "en", "next": "/"})
    footer = text(client.get("/")).split("<footer", 1)[1]
    assert ">CC BY 4.0</a>" in footer and "open data" in footer


def test_openapi_describes_every_json_endpoint(app, client, corpus):
    import re

    document = client.get("/api/v1/openapi.json").get_json()

    assert document["openapi"].startswith("3.")
    assert document["info"]["license"]["identifier"] == "CC-BY-4.0"
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("api.") and "GET" in r.methods]
    assert len(document["paths"]) == len({r.rule for r in rules})
    search = document["paths"]["/posts"]["get"]
    names = {p["name"] for p in search["parameters"]}
    assert {"q", "kind", "area", "municipality", "org_kind", "status", "featured", "year", "sort", "page"} <= names
    facets = search["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["facets"]
    described = set(re.findall(r"[a-z_]+", facets["description"]))
    assert set(client.get("/api/v1/posts").get_json()["facets"]) <= described
    assert document["paths"]["/posts/{post_id}"]["get"]["parameters"][0]["schema"]["type"] == "integer"


# --- similar posts on the post page ---------------------------------------------------------------


def test_post_page_shows_similar_public_posts(client, corpus):
    page = text(client.get(f"/posts/{corpus['bike'].id}"))

    assert "Liknande" in page
    section = page[page.index("Liknande"):]
    assert "Resepolicy med cykling till möten" in section
    assert "Cykelkampanj som döljs" not in section

    corpus["policy"].hidden = True
    db.session.commit()
    page = text(client.get(f"/posts/{corpus['bike'].id}"))
    assert "Resepolicy med cykling till möten" not in page
