"""A challenge in a real browser: suggestions while typing, an answer from another organisation
swapped in by htmx, accepting it, and the asker's notification and the solved filter showing it."""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

TITLE = "Webbläsartest: hur får vi fler att resa med tåg i tjänsten?"
ANSWER = "Vi gjorde tåget till förstahandsval i resepolicyn och visade siffrorna varje kvartal."


def _other_organisation(live_server, than: str | None = None) -> str:
    """An organisation other than `than` (the demo user's by default)."""
    from hub.extensions import db
    from hub.models import Organisation

    with live_server.app.app_context():
        return db.session.scalar(
            sa.select(Organisation.slug).where(Organisation.slug != (than or live_server.user.org_slug))
            .order_by(Organisation.id)
        )


def _log_out(page):
    page.locator("form[action$='/logout'] button").click()
    expect(page.locator("form[action$='/logout']")).not_to_be_attached()


def test_post_answer_accept_and_find_a_solved_challenge(page, live_server, login, axe, htmx_settled):
    asker = live_server.user
    helper = live_server.create_user("svarare-utmaning@example.se", org_slug=_other_organisation(live_server))

    # Search before posting: suggestions appear while the title and description are typed.
    login(page, asker)
    page.goto("/posts/new?kind=challenge")
    suggestions = page.locator("#similar-suggestions")
    expect(suggestions.locator("li")).to_have_count(0)
    page.locator("#title").press_sequentially("Resepolicy tåg före flyg", delay=20)
    page.locator("#body").press_sequentially("Hur får vi medarbetarna att välja tåget på tjänsteresor?", delay=5)
    expect(suggestions.locator("li").first).to_be_visible()
    expect(suggestions).to_contain_text("Resepolicy")
    assert page.url.endswith("/posts/new?kind=challenge")  # no reload: the fragment came by htmx

    page.locator("#title").fill(TITLE)
    page.locator("#summary").fill("Tjänsteresorna står för en stor del av våra utsläpp.")
    page.locator("input[name=focus_areas]").first.check()
    page.locator("button[name=action][value=publish]").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    challenge_url = page.url
    assert re.search(r"/posts/\d+$", challenge_url)
    _log_out(page)

    # Another organisation answers; the answers swap in place.
    login(page, helper)
    page.goto(challenge_url)
    page.locator("#answer-body").fill(ANSWER)
    page.get_by_role("button", name="Skicka svaret").click()
    answers = page.locator("#answers")
    expect(answers).to_contain_text(ANSWER)
    expect(answers).to_contain_text("Ert svar är publicerat.")
    htmx_settled(page)
    assert page.url == challenge_url
    axe(page, "#answers")
    axe(page)
    _log_out(page)

    # The asker sees the count in the header, accepts the answer, and the challenge is solved.
    login(page, asker)
    expect(page.locator("#notification-indicator .badge")).to_be_visible()
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text("svarade på er utmaning")
    page.locator("main").get_by_role("link", name=TITLE).first.click()
    page.get_by_role("button", name="Markera som lösningen").click()
    expect(page.locator("#answers")).to_contain_text("Löste utmaningen")
    expect(page.locator("main")).to_contain_text("Löst")
    axe(page)

    # The solved filter ("Löst" under Status) finds it, and the open filter does not.
    page.goto("/posts/?kind=challenge")
    page.locator("#search-facets").get_by_label(re.compile(r"^Löst")).check()
    expect(page).to_have_url(re.compile(r"status=lost"))
    htmx_settled(page)
    expect(page.locator("#search-results")).to_contain_text(TITLE)
    page.goto("/posts/?kind=challenge&status=oppen")
    expect(page.locator("#search-results")).not_to_contain_text(TITLE)


def _challenge_count(live_server, title: str) -> int:
    from hub.extensions import db
    from hub.models import Post

    with live_server.app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Post.id)).where(Post.title == title))


def test_visa_liknande_keeps_the_form_with_and_without_javascript(page, nojs_page, live_server, login, axe):
    title = "Webbläsartest: resepolicy med tåg före flyg"
    for tab in (nojs_page, page):
        login(tab)
        tab.goto("/posts/new?kind=challenge")
        tab.locator("#title").fill(title)
        tab.locator("#body").fill("Vi vill att fler väljer tåget.")
        tab.get_by_role("button", name="Visa liknande").click()
        expect(tab.locator("#similar-suggestions")).to_contain_text("Resepolicy")
        expect(tab.locator("#title")).to_have_value(title)
        expect(tab.locator("#body")).to_have_value("Vi vill att fler väljer tåget.")
        assert _challenge_count(live_server, title) == 0  # nothing was saved
    axe(page)


def test_contact_an_organisation_through_the_hub(page, live_server, login, axe):
    from hub.extensions import db
    from hub.models import Post

    with live_server.app.app_context():
        solution = db.session.scalar(
            sa.select(Post).where(Post.kind == "solution", Post.state == "published", Post.approval == "approved",
                                  Post.hidden.is_(False)).order_by(Post.id)
        )
        solution_id, owner_slug = solution.id, solution.organisation.slug
    sender = live_server.create_user("kontakt-utmaning@example.se", org_slug=_other_organisation(live_server, owner_slug))

    login(page, sender)
    page.goto(f"/posts/{solution_id}")
    page.get_by_role("link", name="Kontakta organisationen").click()
    expect(page.locator("h1")).to_contain_text("Skriv till")
    axe(page)
    page.get_by_label("Rubrik").fill("Webbläsartest: kan vi komma på studiebesök?")
    page.get_by_label("Meddelande").fill("Vi vill gärna se hur ni har gjort.")
    page.get_by_role("button", name="Skicka meddelandet").click()
    expect(page.locator("h1")).to_have_text("Webbläsartest: kan vi komma på studiebesök?")
    expect(page.locator("main")).not_to_contain_text("@")
    axe(page)
    page.get_by_role("link", name="Alla meddelanden").click()
    expect(page.locator("main table")).to_contain_text("Webbläsartest: kan vi komma på studiebesök?")
    axe(page)
