"""Swedish first, English on request: the language switch and a complete English catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
ENGLISH_PO = ROOT / "hub" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
# Keep in step with the Makefile's `translations` target.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}


def test_home_page_is_swedish_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert "Hoppa till innehållet" in page


def test_switching_to_english_shows_the_home_page_in_english(client):
    response = client.post("/language", data={"lang": "en", "next": "/"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/")

    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Skip to content" in page
    assert "Log in" in page
    assert "Hoppa till innehållet" not in page
    # The switch offers the way back, labelled in its own language.
    assert 'lang="sv">Svenska</button>' in page


def test_switching_back_to_swedish(client):
    client.post("/language", data={"lang": "en"})
    client.post("/language", data={"lang": "sv"})
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="sv">' in page


def test_language_switch_returns_to_the_page_it_came_from_but_never_off_site(client):
    back = client.post("/language", data={"lang": "en", "next": "/organisations/"})
    assert back.headers["Location"].endswith("/organisations/")
    off_site = client.post("/language", data={"lang": "en", "next": "https://example.com/"})
    assert "example.com" not in off_site.headers["Location"]


@pytest.mark.parametrize("lang", ["", "de", "en<script>", "x" * 500])
def test_unknown_language_is_refused_without_a_server_error(client, lang):
    assert client.post("/language", data={"lang": lang}).status_code == 400


def _fresh_msgids() -> dict[str, list[str]]:
    """Every msgid in the code and templates now, with where it stands."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message if isinstance(message, str) else message[0]
        if msgid:
            found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


def test_english_catalogue_translates_every_string_in_the_code_and_templates():
    with open(ENGLISH_PO, "rb") as po:
        catalogue = read_po(po)
    fresh = _fresh_msgids()
    assert fresh, "extraction found no strings: is babel.cfg right?"

    problems = []
    for msgid, places in sorted(fresh.items()):
        entry = catalogue.get(msgid)
        if entry is None:
            problems.append(f"missing: {msgid!r} ({places[0]}); run `make translations` and translate it")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings):
            problems.append(f"untranslated: {msgid!r} ({places[0]})")
        if entry.fuzzy:
            problems.append(f"fuzzy: {msgid!r} ({places[0]})")
    assert not problems, "\n".join(problems)


def test_english_translations_keep_every_placeholder():
    with open(ENGLISH_PO, "rb") as po:
        catalogue = read_po(po)
    errors = [f"{message.id!r}: {error}" for message, errs in catalogue.check() for error in errs]
    assert not errors, "\n".join(errors)


def test_templates_translate_as_jinjas_new_style_gettext(app):
    """Templates call the request's catalogue directly (hub/i18n.py); the behaviour must stay
    Jinja's "new style": variables escaped in HTML and not in text, `%%` is `%`, `num` defaults
    to the count and may be given, contexts are kept apart, `{% trans %}` works."""
    from flask import render_template_string, session

    with app.test_request_context("/"):
        session["lang"] = "en"
        render = render_template_string
        assert render('{{ _("Sök: %(q)s", q="<b>") }}') == "Search: &lt;b&gt;"
        assert render('{% autoescape false %}{{ _("Sök: %(q)s", q="<b>") }}{% endautoescape %}') == "Search: <b>"
        assert render('{{ _("100 %%") }}|{{ _("Sök") }}') == "100 %|Search"
        assert render('{{ ngettext("%(num)d träff", "%(num)d träffar", 2) }}') == "2 results"
        assert render('{{ ngettext("%(num)d träff", "%(num)d träffar", 1, num=5) }}') == "5 result"
        assert render('{{ pgettext("badge on one post", "Bra exempel") }}') == "Good example"
        assert render('{% trans q="<i>" %}Sök: {{ q }}{% endtrans %}') == "Search: &lt;i&gt;"


def test_macros_speak_the_language_of_each_request(app, client):
    """Macro files are imported without the page's context and kept per app: the labels and
    area names they show must still follow each request's language, back and forth."""
    from search_helpers import area, post

    energy = area("energi", "Energi", "Energy")
    shown = post("Solceller på kommunens tak", kind="solution", areas=[energy])
    post("Solceller på skolornas tak", kind="solution", areas=[energy])

    for lang, kind, area_name in (("sv", "Åtgärd", "Energi"), ("en", "Solution", "Energy"), ("sv", "Åtgärd", "Energi")):
        client.post("/language", data={"lang": lang})
        similar = client.get(f"/posts/{shown.id}").get_data(as_text=True).split('id="similar-heading"')[1]
        hits = client.get("/posts/?q=solceller").get_data(as_text=True).split('id="results"')[1]
        for part in (similar, hits):  # a card from posts/_card.html and a hit from posts/_hit.html
            assert f'pill-solution">{kind}</span>' in part, lang
            assert f'">{area_name}</a></li>' in part, lang
