"""The search engine, the same tests for both backends (SQLite+Whoosh and PostgreSQL full text)."""

from __future__ import annotations

import time
import unicodedata
from datetime import UTC, datetime

import pytest
from werkzeug.datastructures import MultiDict

from hub import search
from hub.extensions import db
from hub.models import SearchOutbox
from hub.search import SearchQuery

from search_helpers import area, find, org, post, titles


# --- Swedish ------------------------------------------------------------------------------------


def test_stemming_cyklar_finds_cykel_and_cykling(app):
    post("Cykelparkering vid stationen", "Säkra platser för cykel och buss")
    post("Kampanj för cykling till jobbet", "Vi uppmuntrar personalen att cykla")
    post("Ny bussdepå", "Elbussar i stadstrafiken")

    found = titles("cyklar")

    assert "Cykelparkering vid stationen" in found
    assert "Kampanj för cykling till jobbet" in found
    assert "Ny bussdepå" not in found


def test_a_word_whose_inflections_drop_an_e_finds_the_compounds_it_begins(app):
    post("Säkra cykelstråk till arbetsplatserna", "Belysta vägar längs ringleden")
    post("Vinterväghållning med mindre salt")
    post("Barnens trafikskola")

    for query in ("cyklar", "cykla", "cykel"):
        assert titles(query) == ["Säkra cykelstråk till arbetsplatserna"], query
    assert titles("vintrar") == ["Vinterväghållning med mindre salt"]
    assert "<mark>cykelstråk</mark>" in find("cyklar", cards=True).hits[0].title_html


def test_the_head_of_a_compound_keeps_the_e_that_inflection_drops():
    from hub.search.analysis import compound_heads

    assert compound_heads("cykl") == ["cykl", "cykel"]
    assert compound_heads("nyckl") == ["nyckl", "nyckel"]
    assert compound_heads("barn") == ["barn"]  # not "baren"
    assert compound_heads("bil") == ["bil"]


def test_stems_cut_words_as_the_highlighter_and_the_query_do():
    """`stems` tokenises without offsets for speed; it must cut the same words as `words`."""
    from hub.search import analysis

    text = unicodedata.normalize("NFD", "Återbruk\x00av ÖVERSKOTT_massor, 2030 och i ") + "x" * 60 + " é\tco2e"
    expected = [analysis.stem(w) for w, _s, _e in analysis.words(analysis.normalize(text)) if analysis.is_indexable(w)]
    assert analysis.stems(text) == expected
    assert "i" not in expected and "och" not in expected and any(len(s) == analysis.MAX_WORD_CHARS for s in expected)


def test_inflected_forms_find_each_other(app):
    post("Klimatsmart upphandling av livsmedel")

    assert titles("upphandlingar") == ["Klimatsmart upphandling av livsmedel"]
    assert titles("klimatsmarta") == ["Klimatsmart upphandling av livsmedel"]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("infrastruktur", "Laddinfrastruktur för bostadsrättsföreningar"),
        ("återbruk", "ReTuna återbruksgalleria"),
        ("bostadsrätt", "Laddinfrastruktur för bostadsrättsföreningar"),
        ("förening", "Laddinfrastruktur för bostadsrättsföreningar"),
        ("bil", "Elbilar i hemtjänsten"),
    ],
)
def test_parts_of_compounds_find_the_whole(app, query, title):
    post("Laddinfrastruktur för bostadsrättsföreningar", "Stöd till styrelser som vill bygga laddplatser")
    post("ReTuna återbruksgalleria", "Butiker som säljer begagnat och lagat")
    post("Elbilar i hemtjänsten", "Kommunens bilar byts mot el")
    post("Modig mobilitet", "Mobilitetstjänster och gång")

    assert title in titles(query)


def test_a_compound_part_does_not_find_unrelated_words(app):
    post("Modig mobilitet", "Mobilitetstjänster och gång")
    post("Elbilar i hemtjänsten", "Fordonen byts")

    assert titles("bil") == ["Elbilar i hemtjänsten"]


def test_exact_word_ranks_above_compound(app):
    post("Laddinfrastruktur i parkeringshus", "Laddplatser för boende")
    post("Infrastruktur för gång", "Trottoarer och belysning")

    assert titles("infrastruktur")[0] == "Infrastruktur för gång"


def test_words_typed_without_diacritics_find_and_rank_below_exact(app):
    post("Mål för klimatsmart upphandling", "Kommunens mål till 2030")
    post("Mal i ullkläder", "Textilier som förstörs av mal")
    post("Återvinning av byggmaterial", "Material tas till vara")

    assert titles("atervinning") == ["Återvinning av byggmaterial"]
    assert titles("mål") == ["Mål för klimatsmart upphandling", "Mal i ullkläder"]
    assert titles("mal") == ["Mal i ullkläder", "Mål för klimatsmart upphandling"]


def test_the_exact_form_ranks_first_in_the_body_too(app):
    # The newer post comes first on a tie: only the exact form may put the older one first.
    post("Resor i tjänsten", "Färre bilresor", body="Kommunen satte tydliga mål för resorna.",
         published=datetime(2025, 5, 1, tzinfo=UTC))
    post("Förrådet i källaren", "Textilier som förstörs", body="Ylletröjorna förstördes av mal i förrådet.",
         published=datetime(2025, 6, 1, tzinfo=UTC))

    assert titles("mål") == ["Resor i tjänsten", "Förrådet i källaren"]
    assert titles("mal") == ["Förrådet i källaren", "Resor i tjänsten"]


def test_decomposed_text_is_found_both_ways(app):
    decomposed_title = unicodedata.normalize("NFD", "Återbruk på förskolan")
    post(decomposed_title, "Möbler som får nytt liv")
    post("Solceller på ängen")

    def nfc_titles(q):
        return [unicodedata.normalize("NFC", t) for t in titles(q)]

    assert nfc_titles(unicodedata.normalize("NFD", "förskolan")) == ["Återbruk på förskolan"]
    assert nfc_titles("återbruk") == ["Återbruk på förskolan"]
    assert titles(unicodedata.normalize("NFD", "ängen")) == ["Solceller på ängen"]


def test_title_fields_weigh_more_than_body(app):
    post("Energirådgivning för företag", body="Vi erbjuder stöd.")
    post("Seminarium om effekter", body="Mycket om energirådgivning i texten.")

    assert titles("energirådgivning")[0] == "Energirådgivning för företag"


def test_organisation_and_focus_area_names_are_searchable(app):
    retuna = org("retuna", "ReTuna Återbruksgalleria", kind="foretag")
    mobility = area("modig-mobilitet", "Modig mobilitet", "Brave mobility")
    post("Butik för reparationer", organisation=retuna)
    post("Delade elcyklar", areas=[mobility])

    assert titles("retuna") == ["Butik för reparationer"]
    assert titles("modig mobilitet") == ["Delade elcyklar"]


# --- only public posts ----------------------------------------------------------------------------


def test_only_public_posts_are_found(app):
    post("Solceller på kommunhuset")
    post("Solceller i utkast", state="draft")
    post("Solceller som väntar", approval="pending")
    post("Solceller som döljs", hidden=True)
    post("Solceller arkiverade", state="archived")
    post("Solceller underkända", approval="rejected")

    assert titles("solceller") == ["Solceller på kommunhuset"]
    assert find().total == 1


def test_hiding_unpublishing_and_deleting_remove_a_post_at_once(app):
    item = post("Vindkraft i samverkan")
    other = post("Vindkraft för föreningar")
    assert len(titles("vindkraft")) == 2

    item.hidden = True
    db.session.commit()
    assert titles("vindkraft") == ["Vindkraft för föreningar"]

    item.hidden = False
    db.session.commit()
    assert len(titles("vindkraft")) == 2

    other.state = "draft"
    db.session.commit()
    assert titles("vindkraft") == ["Vindkraft i samverkan"]

    db.session.delete(item)
    db.session.commit()
    assert titles("vindkraft") == []


def test_browsing_by_filters_leaves_out_posts_removed_since_they_were_indexed(app):
    energy, mobility = area("energi", "Energi"), area("mobilitet", "Mobilitet")
    kept = post("Solceller på taken", areas=[energy])
    post("Cykelbanor längs ån", areas=[mobility])
    gone = post("Vindkraft i skogen", areas=[energy, mobility])
    assert find(kind="solution").total == 3

    gone.hidden = True  # the index keeps the document until its segment is merged, marked deleted
    db.session.commit()
    by_kind = find(kind="solution")
    assert by_kind.total == 2 and by_kind.facets["kind"]["solution"] == 2
    assert by_kind.facets["area"] == {"energi": 1, "mobilitet": 1}
    either = find(area=["energi", "mobilitet"], sort="newest")
    assert either.total == 2 and gone.id not in [h.post_id for h in either.hits]
    assert [h.post_id for h in find(area=["energi"], kind="solution").hits] == [kept.id]


def test_the_first_posts_by_a_sort_key_are_found_however_the_allowed_lie_in_time():
    """Whoosh walks its precomputed order when that should be quicker than sorting, and sorts
    when the walk runs long (a filter of old posts): the answer is the same either way."""
    import random

    from hub.search.whoosh_backend import WhooshBackend

    class View:
        def __init__(self, n):
            self.keys = list(range(n))  # a higher key is newer
            random.Random(n).shuffle(self.keys)
            self.docs = frozenset(range(n))

        def all_docs(self):
            return self.docs

        def order(self, _name):
            return sorted(self.docs, key=self.keys.__getitem__, reverse=True)

        def sort_keys(self, _name):
            return self.keys

    view = View(2000)
    by_age = view.order("newest")
    cases = {
        "spread": frozenset(random.Random(1).sample(range(2000), 600)),
        "all old": frozenset(by_age[-600:]),  # the walk gives up and sorts
        "all new": frozenset(by_age[:600]),
        "few": frozenset(by_age[100:130]),  # sorted at once
    }
    for name, allowed in cases.items():
        expected = sorted(allowed, key=view.keys.__getitem__, reverse=True)
        for wanted in (1, 20, 60, 700):
            assert WhooshBackend._first_by(view, "newest", allowed, wanted) == expected[:wanted], (name, wanted)


def test_browsing_without_a_count_walks_the_order_and_finds_what_counting_finds():
    """For a caller that needs no count (a challenge's offers), Whoosh may walk its newest-first
    order testing each post against the filters, and leaves it to counting when few pass or the
    walk runs long (filters that seldom meet). The hits are the counted ones when it walks."""
    import random

    from hub.search.backend import Plan
    from hub.search.whoosh_backend import WhooshBackend

    n = 4000
    rng = random.Random(7)
    keys = list(range(n))  # a higher key is newer
    rng.shuffle(keys)
    docs = frozenset(range(n))
    by_age = sorted(docs, key=keys.__getitem__, reverse=True)

    class View:
        def all_docs(self):
            return docs

        def order(self, _name):
            return by_age

        def post_id(self, docnum):
            return docnum + 100_000

    def sample(share):
        return frozenset(rng.sample(range(n), int(n * share)))

    evens = frozenset(d for d in docs if d % 2 == 0)
    odd_or_old = frozenset(d for d in docs if d % 2) | frozenset(d for d in by_age[-40:] if d % 2 == 0)
    cases = {
        "common": ({"kind": (sample(0.25),), "area": (sample(0.3), sample(0.3))}, True),
        "one filter": ({"kind": (sample(0.2),)}, True),
        "seldom meet": ({"kind": (evens,), "area": (odd_or_old,)}, False),  # the walk runs long
        "few pass": ({"kind": (sample(0.01),), "area": (sample(0.3),)}, False),
    }
    for name, (passes, walks) in cases.items():
        allowed = docs
        for alternatives in passes.values():
            allowed = allowed & frozenset().union(*alternatives)
        expected = [d + 100_000 for d in sorted(allowed, key=keys.__getitem__, reverse=True)]
        for page, per_page in ((1, 6), (1, 100), (3, 20)):
            plan = Plan(filters={}, page=page, per_page=per_page, facets=False, count=False)
            raw = WhooshBackend._walk(View(), plan, passes)
            if per_page == 6:  # the first few: whether to walk is clear-cut
                assert (raw is not None) == walks, name
            if raw is not None:
                assert raw.ids == expected[(page - 1) * per_page:page * per_page], (name, page, per_page)
                assert raw.total >= len(raw.ids) and raw.page == page


def test_a_challenges_offers_are_the_newest_in_its_areas_counted_or_not(app):
    energy = area("energi", "Energi")
    mobility = area("mobilitet", "Mobilitet")
    other = area("vatten", "Vatten")
    offers = [post(f"Stöd nummer {i}", kind="offer", areas=[(energy, mobility, other)[i % 3]],
                   published=datetime(2025, 1, 1 + i, tzinfo=UTC)) for i in range(12)]
    post("Laddstolpar", kind="solution", areas=[energy], published=datetime(2025, 2, 1, tzinfo=UTC))
    wanted = [p.id for p in reversed(offers) if p.focus_areas[0].slug != "vatten"][:5]
    browse = SearchQuery(kinds=("offer",), areas=("energi", "mobilitet"), sort="newest", per_page=5)
    with app.test_request_context("/"):
        counted = search.query(browse, load_posts=False, facets=False)
        uncounted = search.query(browse, load_posts=False, facets=False, count=False)
    assert [h.post_id for h in counted.hits] == [h.post_id for h in uncounted.hits] == wanted
    assert counted.total == 8 and uncounted.total >= 5


def test_a_new_post_is_searchable_within_a_second(app):
    started = time.monotonic()
    post("Biogas till stadsbussarna")
    found = titles("biogas")
    assert found == ["Biogas till stadsbussarna"]
    assert time.monotonic() - started < 1.0


def test_edits_renames_and_area_changes_are_indexed(app):
    energy = area("energi", "Energi")
    mobility = area("mobilitet", "Mobilitet")
    owner = org("boras-stad", "Borås Stad", municipality="Borås")
    item = post("Fjärrvärme från restvärme", organisation=owner, areas=[energy])

    item.title = "Fjärrkyla från sjövatten"
    item.tags = ["kyla"]
    item.focus_areas = [mobility]
    db.session.commit()
    assert titles("fjärrkyla") == ["Fjärrkyla från sjövatten"]
    assert titles("fjärrvärme") == []
    assert find(area="mobilitet").total == 1
    assert find(area="energi").total == 0

    owner.name = "Klimatneutrala Borås"
    db.session.commit()
    assert titles("klimatneutrala") == ["Fjärrkyla från sjövatten"]

    mobility.name_sv = "Modig mobilitet"
    db.session.commit()
    assert titles("modig") == ["Fjärrkyla från sjövatten"]


# --- robust input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["((", "))", "AND OR", "NOT", "title:x", "a*", "*", "?", "[a TO b]", "{a TO b}", '"', "\x00", "solceller\x00",
     "x" * 10_000, "ord " * 5_000, "'; DROP TABLE posts; --", "\\", "%", "_", "ü" * 300, "🙂", "\u0301", "a:b:c"],
)
def test_malformed_queries_never_raise(app, query):
    post("Solceller på taket")

    results = find(query)

    assert results.total >= 0
    assert results.page == 1


def test_query_syntax_is_plain_text(app):
    post("Titel om solceller")
    post("Annat inlägg om vind")

    assert titles("title:solceller") == ["Titel om solceller"]
    assert titles("sol*") == []


def test_query_is_capped_in_length_and_terms():
    long = SearchQuery.from_args({"q": "a" * 10_000})
    assert len(long.q) <= 200 and long.truncated

    many = SearchQuery.from_args({"q": " ".join(f"ord{i}" for i in range(40))})
    assert len(many.words) == 12 and many.truncated
    assert many.q.endswith("ord11")

    nul = SearchQuery.from_args({"q": "sol\x00celler"})
    assert "\x00" not in nul.q


def test_garbage_parameters_are_ignored():
    query = SearchQuery.from_args(
        MultiDict(
            [("page", "abc"), ("kind", "bogus"), ("kind", "solution"), ("year", "x"), ("year", "2024"),
             ("sort", "evil"), ("org_kind", "kommun"), ("status", "nope"), ("area", "../etc"), ("featured", "1")]
        )
    )
    assert query.page == 1
    assert query.kinds == ("solution",)
    assert query.years == (2024,)
    assert query.sort == "relevance"
    assert query.org_kinds == ("kommun",)
    assert query.statuses == ()
    assert query.areas == ()
    assert query.featured
    assert {"page", "kind", "year", "sort", "status", "area"} <= set(query.ignored)

    assert SearchQuery.from_args({"page": "-3"}).page == 1
    assert SearchQuery.from_args({"page": "99999999999999999999"}).page == 10_000


def test_page_out_of_range_shows_the_last_page(app):
    for i in range(3):
        post(f"Solpanel nummer {i}")

    results = search.query(SearchQuery.from_args({"q": "solpanel", "page": "50"}, per_page=2))

    assert results.page == 2
    assert results.total == 3
    assert len(results.hits) == 1


def test_unknown_facet_values_are_dropped(app):
    area("energi", "Energi")
    post("Solceller", areas=[area("energi", "Energi")])

    results = find(area=["finns-inte"], municipality="Ingenstans")

    assert results.total == 1
    assert {"area", "municipality"} <= set(results.query.ignored)


# --- facets and sorting ---------------------------------------------------------------------------


def test_facet_values_come_most_first_then_by_name_and_a_chosen_empty_one_last(app):
    energy, mobility, water = area("energi", "Energi"), area("mobilitet", "Mobilitet"), area("vatten", "Vatten")
    town = org("kristianstads-kommun", "Kristianstads kommun", municipality="Kristianstad")
    other = org("boras-stad", "Borås Stad", municipality="Borås")
    post("Solceller på skolor", organisation=town, areas=[energy, water])
    post("Solceller på lager", organisation=other, areas=[energy, mobility])
    post("Energikartläggning", organisation=town, areas=[energy], kind="lesson")

    for _ in range(2):  # browsing twice: counts shared between requests stay as they were
        browsing = find("")
        assert list(browsing.facets["area"].items()) == [("energi", 3), ("mobilitet", 1), ("vatten", 1)]
        assert list(browsing.facets["municipality"].items()) == [("Kristianstad", 2), ("Borås", 1)]
        # A facet's own counts leave its own filter out: these show what choosing otherwise gives.
        chosen = find("", kind="lesson", municipality="Borås")
        assert chosen.total == 0
        assert list(chosen.facets["municipality"].items()) == [("Kristianstad", 1), ("Borås", 0)]
        chosen = find("", kind="lesson", area=["vatten", "mobilitet"])
        assert list(chosen.facets["area"].items()) == [("energi", 1), ("mobilitet", 0), ("vatten", 0)]


def test_cards_carry_their_focus_areas_in_order_read_with_the_posts(app):
    first, second, third = (area(slug, name) for slug, name in (("a", "A"), ("b", "B"), ("c", "C")))
    for position, item in enumerate((third, first, second)):  # positions c, a, b
        item.position = position
    db.session.commit()
    many = post("Tre områden", areas=[first, second, third])
    one = post("Ett område", areas=[second])
    none = post("Inget område")

    with app.test_request_context("/"):
        cards = search.cards([none.id, many.id, one.id])
    assert [[a.slug for a in card.focus_areas] for card in cards] == [[], ["c", "a", "b"], ["b"]]


def test_facet_counts_follow_the_query_and_filters(app):
    energy = area("energi", "Energi")
    mobility = area("mobilitet", "Mobilitet")
    company = org("t-kartor", "T-Kartor", kind="foretag", municipality="Kristianstad")
    town = org("kristianstads-kommun", "Kristianstads kommun", kind="kommun", municipality="Kristianstad")
    post("Solceller på skolor", organisation=town, areas=[energy], status="genomford")
    post("Solceller på lager", organisation=company, areas=[energy, mobility], status="pagaende", featured=True)
    post("Solceller i solcellspark", kind="challenge", organisation=town, areas=[energy], status="oppen",
         published=datetime(2024, 3, 1, tzinfo=UTC))
    post("Resepolicy", organisation=company, areas=[mobility], status="planerad")

    results = find("solceller")
    assert results.total == 3
    assert results.facets["kind"] == {"solution": 2, "challenge": 1}
    assert results.facets["area"] == {"energi": 3, "mobilitet": 1}
    assert results.facets["org_kind"] == {"kommun": 2, "foretag": 1}
    assert results.facets["municipality"] == {"Kristianstad": 3}
    assert results.facets["featured"] == {"1": 1}
    assert results.facets["year"] == {"2025": 2, "2024": 1}
    assert results.facets["status"] == {"genomford": 1, "pagaende": 1, "oppen": 1}

    filtered = find("solceller", kind="solution", area=["mobilitet"])
    assert filtered.total == 1
    # A facet's own counts ignore its own filter, so other options still show what they would add.
    assert filtered.facets["kind"] == {"solution": 1}
    assert filtered.facets["area"] == {"energi": 2, "mobilitet": 1}

    either = find("", area=["energi", "mobilitet"])
    assert either.total == 4
    assert find("", org="t-kartor").total == 2
    assert find("", org_kind="foretag", year="2025").total == 2
    assert find("", featured="1").total == 1
    assert find("", status=["oppen", "planerad"]).total == 2


def test_sort_by_newest_and_most_copied(app):
    old = post("Solceller A", published=datetime(2023, 1, 1, tzinfo=UTC))
    new = post("Solceller B", published=datetime(2025, 1, 1, tzinfo=UTC))
    middle = post("Solceller C", published=datetime(2024, 1, 1, tzinfo=UTC))
    copier = org("boras-stad", "Borås Stad", municipality="Borås")
    other = org("kristianstads-kommun", "Kristianstads kommun", municipality="Kristianstad")
    post("Kopia ett", organisation=copier, copied_from_id=old.id)
    post("Kopia två", organisation=other, copied_from_id=old.id)
    post("Kopia tre", organisation=copier, copied_from_id=middle.id)
    post("Opublicerad kopia", organisation=other, copied_from_id=new.id, state="draft")

    assert titles("solceller", sort="newest") == ["Solceller B", "Solceller C", "Solceller A"]
    assert titles("solceller", sort="copied") == ["Solceller A", "Solceller C", "Solceller B"]
    assert titles("", sort="newest")[0] == "Kopia tre" or titles("", sort="newest")[0].startswith("Kopia")


def test_featured_solutions_and_solved_challenges_rank_higher(app):
    post("Energieffektivisering i skolor", "Energieffektivisering steg för steg")
    post("Energieffektivisering i förskolor", "Energieffektivisering steg för steg", featured=True)
    assert titles("energieffektivisering")[0] == "Energieffektivisering i förskolor"

    post("Hur når vi energieffektivisering?", "Energieffektivisering steg för steg", kind="challenge",
         status="oppen")
    post("Hur får vi energieffektivisering?", "Energieffektivisering steg för steg", kind="challenge",
         status="lost")
    ranked = titles("energieffektivisering", kind="challenge")
    assert ranked == ["Hur får vi energieffektivisering?", "Hur når vi energieffektivisering?"]


# --- what the results show ------------------------------------------------------------------------


def test_highlights_mark_matches_and_escape_everything_else(app):
    post("<script>alert(1)</script> Solceller", "Solceller & <b>fet</b> text om solcellerna",
         body="<img src=x onerror=alert(1)> solcell")

    hit = find("solceller", cards=True).hits[0]

    assert "<script>" not in hit.title_html
    assert "&lt;script&gt;" in hit.title_html
    assert "<mark>Solceller</mark>" in hit.title_html
    assert "<b>" not in hit.excerpt_html and "<img" not in hit.excerpt_html
    assert "&lt;b&gt;" in hit.excerpt_html
    assert "<mark>solcellerna</mark>" in hit.excerpt_html
    assert "&amp;" in hit.excerpt_html
    # What the API and the exports read (the posts themselves) carries no marks: none is shown.
    assert find("solceller").hits[0].title_html == ""


def test_excerpt_shows_the_part_of_a_long_text_that_matches(app):
    body = "Inledning om annat. " * 60 + "Här beskrivs värmepumpar i detalj. " + "Avslutning. " * 40
    post("Långt inlägg", "Kort sammanfattning", body=body)

    excerpt = find("värmepump", cards=True).hits[0].excerpt_html

    assert "<mark>värmepumpar</mark>" in excerpt
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert len(excerpt) < 400


def test_did_you_mean_offers_a_close_spelling_that_finds_more(app):
    post("Klimatsmart upphandling", "Upphandling med klimatkrav")

    results = find("upphandlng")

    assert results.total == 0
    assert results.suggestion == "upphandling"
    assert results.suggestion_total == 1
    assert find("upphandling").suggestion is None


def test_no_post_with_every_word_falls_back_to_any_word(app):
    post("Solceller på skolor")
    post("Vindkraft i skogen")

    results = find("solceller vindkraft")

    assert results.relaxed
    assert {h.post.title for h in results.hits} == {"Solceller på skolor", "Vindkraft i skogen"}
    assert not find("solceller skolor").relaxed


def test_similar_posts_share_words_and_exclude_the_post_and_hidden_ones(app):
    base = post("Laddstolpar för bostadsrättsföreningar", "Laddstolpar och elbilar i föreningar")
    post("Elbilar och laddstolpar i hyreshus", "Laddstolpar för hyresgäster med elbilar")
    post("Laddstolpar som döljs", "Laddstolpar och elbilar", hidden=True)
    post("Återbruk av möbler", "Möbler får nytt liv")

    found = [p.title for p in search.similar(base, limit=5)]

    assert found[0] == "Elbilar och laddstolpar i hyreshus"
    assert "Laddstolpar för bostadsrättsföreningar" not in found
    assert "Laddstolpar som döljs" not in found

    by_text = [p.title for p in search.similar("Hur bygger vi laddstolpar för elbilar?", limit=3)]
    assert "Elbilar och laddstolpar i hyreshus" in by_text


def test_similar_posts_of_a_post_with_focus_areas_share_one_of_them(app):
    mobility, buildings = area("mobilitet", "Mobilitet"), area("byggnader", "Byggnader")
    base = post("Cykelpendling i Borås", "Fler cyklar till jobbet i Borås", areas=[mobility])
    post("Cykelgarage vid stationen i Borås", "Cyklar parkerade tryggt i Borås", areas=[mobility])
    post("Renovering av skolor i Borås", "Borås renoverar med återbrukat material", areas=[buildings])

    found = [p.title for p in search.similar(base, limit=5)]

    assert found == ["Cykelgarage vid stationen i Borås"]
    # A text has no focus areas: words alone decide.
    assert "Renovering av skolor i Borås" in [p.title for p in search.similar("Renovering i Borås", limit=5)]


def test_suggest_completes_words_from_the_index(app):
    post("Cykelparkering och cykelbanor", "Cykling året runt")

    words = search.suggest("cyk")

    assert "cykelparkering" in words and "cykling" in words
    assert search.suggest("c") == []


# --- the outbox, rebuild, check -------------------------------------------------------------------


def test_an_index_failure_never_fails_the_save_and_is_retried(app, monkeypatch):
    backend = app.extensions["hub_search"].backend
    real_write = backend.write
    calls = {"n": 0}

    def failing_once(documents, removals):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("disk full")
        return real_write(documents, removals)

    monkeypatch.setattr(backend, "write", failing_once)

    item = post("Geoenergi under skolgården")  # the save itself succeeds

    assert item.id is not None
    rows = db.session.scalars(db.select(SearchOutbox)).all()
    assert [(r.post_id, r.attempts) for r in rows] == [(item.id, 1)]
    assert "disk full" in rows[0].last_error
    assert titles("geoenergi") == []
    db.session.commit()

    assert search.drain() == {"done": 1, "failed": 0}
    db.session.expire_all()
    assert db.session.scalars(db.select(SearchOutbox)).all() == []
    assert titles("geoenergi") == ["Geoenergi under skolgården"]


def test_a_failed_whoosh_commit_leaves_the_index_unlocked(app, monkeypatch):
    if app.config["HUB_SEARCH_BACKEND"] != "whoosh":
        pytest.skip("Whoosh only")
    from whoosh.writing import SegmentWriter

    backend = app.extensions["hub_search"].backend
    real_commit = SegmentWriter.commit

    def failing(writer, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(SegmentWriter, "commit", failing)
    with pytest.raises(OSError) as failure:
        backend.write([], [12345])
    # The traceback, and with it the writer, is still alive: only cancel() can have let the lock go
    # (flock: another writer's lock holds even within this process).
    lock = backend.ix.lock("WRITELOCK")
    assert lock.acquire(blocking=False), "the failed writer still holds the index's lock"
    lock.release()
    del failure

    monkeypatch.setattr(SegmentWriter, "commit", real_commit)
    post("Geoenergi under skolgården")
    assert titles("geoenergi") == ["Geoenergi under skolgården"]


@pytest.fixture
def broken_index(app, monkeypatch):
    """The index refuses every write while `on`; `calls` counts the writes asked for."""
    backend = app.extensions["hub_search"].backend
    real_write = backend.write
    state = {"on": False, "calls": 0}

    def maybe_failing(documents, removals):
        state["calls"] += 1
        if state["on"]:
            raise RuntimeError("index locked")
        return real_write(documents, removals)

    monkeypatch.setattr(backend, "write", maybe_failing)
    return state


def test_the_next_save_retries_what_failed_before(app, broken_index):
    broken_index["on"] = True
    post("Solvärme på badhuset")
    broken_index["on"] = False
    post("Solvärme i idrottshallen")

    assert len(titles("solvärme")) == 2
    assert db.session.scalar(db.select(db.func.count()).select_from(SearchOutbox)) == 0


def test_a_quiet_hub_retries_failed_index_work_on_a_timer(app, monkeypatch, broken_index):
    monkeypatch.setitem(app.config, "HUB_SEARCH_RETRY_SECONDS", 0.1)
    post("Solvärme på badhuset")
    hidden = post("Solvärme i idrottshallen")
    broken_index.update(on=True, calls=0)
    hidden.hidden = True
    db.session.commit()  # taking it out of the index fails, and nothing is saved after it

    def waiting() -> int:
        # A fresh look at the outbox, in a transaction of its own that ends at once (outside a
        # request, SQLite's transactions take the write lock, which the retry waits for).
        count = db.session.scalar(db.select(db.func.count()).select_from(SearchOutbox))
        db.session.commit()
        return count

    def soon(condition) -> bool:
        deadline = time.monotonic() + 10
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.05)
        return condition()

    assert waiting() == 1
    assert soon(lambda: broken_index["calls"] >= 2)  # retried after 0.1 s, failed again: it keeps trying
    assert waiting() == 1
    broken_index["on"] = False
    assert soon(lambda: waiting() == 0)
    results = find("solvärme")
    assert results.total == 1 and [h.post.title for h in results.hits] == ["Solvärme på badhuset"]


def test_rebuild_restores_the_index_from_the_database(app):
    post("Fossilfria arbetsmaskiner")
    post("Utkast om arbetsmaskiner", state="draft")
    app.extensions["hub_search"].backend.clear()
    assert titles("arbetsmaskiner") == []  # (titles ends its transaction, as a request would)

    assert search.rebuild() == 1

    assert titles("arbetsmaskiner") == ["Fossilfria arbetsmaskiner"]


def test_check_reports_and_repairs_differences(app):
    kept = post("Grönt tak på stadshuset")
    lost = post("Grönt tak på biblioteket")
    renamed = post("Grönt tak på skolan")
    backend = app.extensions["hub_search"].backend
    backend.write([], [lost.id])
    # A change that bypassed the ORM events: the index still has the old title.
    lost_id, renamed_id = lost.id, renamed.id
    db.session.execute(db.update(type(renamed)).where(type(renamed).id == renamed_id).values(title="Sedumtak på skolan"))
    db.session.commit()  # like the CLI, check runs with no transaction of ours open

    report = search.check(repair=False)
    assert report.missing == [lost_id]
    assert report.stale == [renamed_id]
    assert not report.repaired

    report = search.check()
    assert report.repaired
    assert search.check().ok
    assert sorted(titles("grönt")) == ["Grönt tak på biblioteket", "Grönt tak på stadshuset"]
    assert titles("sedumtak") == ["Sedumtak på skolan"]
    assert kept.title == "Grönt tak på stadshuset"


def test_search_cli_rebuild_check_and_drain(app):
    post("Matsvinn i skolköken")
    runner = app.test_cli_runner()

    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0 and "1 inlägg" in result.output

    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0 and "stämmer" in result.output

    lost_id = post("Matsvinn i förskolorna").id
    app.extensions["hub_search"].backend.write([], [lost_id])
    db.session.commit()  # the CLI runs with no transaction of ours open
    result = runner.invoke(args=["search", "check", "--no-repair"])
    assert result.exit_code == 1
    assert "Saknas i indexet: 1" in result.output and f"saknas: {lost_id}" in result.output
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0 and "Skillnaderna är åtgärdade." in result.output
    assert sorted(titles("matsvinn")) == ["Matsvinn i förskolorna", "Matsvinn i skolköken"]

    result = runner.invoke(args=["search", "drain"])
    assert result.exit_code == 0 and "kvar i kön: 0" in result.output


def _another_host(app, **config):
    """The hub started again on the same database, as another process or host would be."""
    from hub import create_app

    return create_app({**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS")},
                       "TESTING": True, "SECRET_KEY": "x", **config})


def test_an_empty_postgresql_index_is_built_at_start_up(app, caplog):
    if app.config["HUB_SEARCH_BACKEND"] != "postgres":
        pytest.skip("PostgreSQL only")
    post("Solcellspark vid deponin")
    app.extensions["hub_search"].backend.clear()  # as after a switch from Whoosh
    assert titles("solcellspark") == []

    for first in (True, False):  # the second host finds it built
        caplog.clear()
        with caplog.at_level("INFO", logger="hub.search"):
            host = _another_host(app, HUB_SEARCH_BACKEND="postgres")
        with host.app_context():
            db.engine.dispose()
        if first:
            assert "index is empty" in caplog.text and "rebuilt from the database: 1 posts" in caplog.text
        else:
            assert "rebuilt" not in caplog.text
        assert titles("solcellspark") == ["Solcellspark vid deponin"]  # one index for every host


@pytest.mark.parametrize("problem", ["missing", "unreadable"])
def test_a_missing_or_corrupt_whoosh_index_is_built_at_start_up(app, tmp_path, caplog, problem):
    if app.config["HUB_SEARCH_BACKEND"] != "whoosh":
        pytest.skip("Whoosh only")
    from hub.search.whoosh_backend import SCHEMA_VERSION

    post("Solcellspark vid deponin")
    index_dir = tmp_path / "index"
    if problem == "unreadable":
        index_dir.mkdir()
        (index_dir / "_MAIN_1.toc").write_bytes(b"\x00 not an index")
        (index_dir / "hub-search.json").write_text(f'{{"schema_version": {SCHEMA_VERSION}}}')

    with caplog.at_level("INFO", logger="hub.search"):
        second = _another_host(app, HUB_INDEX_DIR=str(index_dir))
    assert f"is {problem}" in caplog.text
    assert "rebuilt from the database: 1 posts" in caplog.text
    with second.app_context():
        assert [h.post.title for h in search.query(SearchQuery.from_args({"q": "solcellspark"})).hits] == [
            "Solcellspark vid deponin"
        ]
        second.extensions["hub_search"].backend.close()
        db.engine.dispose()
