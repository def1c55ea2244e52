"""Moderation in a real browser: report, hide from the queue, the author sees why; feature a
solution, pick it as Månadens exempel and find it leading the home page. Every page passes axe."""

from __future__ import annotations

import re

import pyotp
import sqlalchemy as sa
from playwright.sync_api import expect

REPORTED = "Webbläsartest: laddstolpar med fel siffror"
FEATURED = "Webbläsartest: fossilfria arbetsmaskiner i upphandling"
KIT = {
    "reduction_tonnes": 55.0,
    "reduction_period": "per_year",
    "estimation_method": "emission_factor",
    "estimation_source": "Emissionsfaktorer från Naturvårdsverket",
    "cost_band": "100k_1m",
    "lead_time": "3_12m",
    "prerequisites": "En upphandlare, en marknadsdialog och politiskt beslut om kraven.",
    "contact_enabled": True,
}


def _setup(live_server):
    """Two organisations' people, a moderator with TOTP, and two published solutions."""
    from hub.extensions import db
    from hub.models import Organisation, Post, utcnow

    secret = pyotp.random_base32()
    with live_server.app.app_context():
        orgs = db.session.scalars(sa.select(Organisation).order_by(Organisation.id).limit(2)).all()
        author_org, other_org = orgs[0], orgs[1]
    author = live_server.create_user("forfattare-mod@example.se", org_slug=author_org.slug, name="Författaren")
    reporter = live_server.create_user("anmalare-mod@example.se", org_slug=other_org.slug, name="Anmälaren")
    moderator = live_server.create_user("moderator-mod@example.se", org_slug=other_org.slug, role="moderator",
                                        name="Moderatorn", totp_secret=secret, totp_enabled=True)
    with live_server.app.app_context():
        org = db.session.scalar(sa.select(Organisation).filter_by(slug=author_org.slug))
        posts = []
        for title, fields in ((REPORTED, {}), (FEATURED, KIT)):
            post = Post(kind="solution", title=title, summary="Sammanfattning för webbläsartestet.",
                        body="Brödtext.", body_html="<p>Brödtext.</p>", organisation_id=org.id, state="published",
                        approval="approved", status="genomford", published_at=utcnow(), **fields)
            db.session.add(post)
            posts.append(post)
        db.session.commit()
        ids = [p.id for p in posts]
    return author, reporter, moderator, secret, ids


def _log_in(page, user, secret=None):
    page.goto("/login")
    page.locator("input[name=email]").fill(user.email)
    page.locator("input[name=password]").fill(user.password)
    page.locator("main form [type=submit]").first.click()
    if secret:
        expect(page).to_have_url(re.compile(r"/login/code"))
        page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
        page.locator("main form [type=submit]").first.click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def _log_out(page):
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("link", name="Logga in")).to_be_visible()


def test_report_hide_feature_and_pick_the_months_example(page, axe, htmx_settled, live_server):
    author, reporter, moderator, secret, (reported_id, featured_id) = _setup(live_server)

    # A member of another organisation reports the post.
    _log_in(page, reporter)
    page.goto(f"/posts/{reported_id}")
    page.get_by_role("link", name="Anmäl inlägget").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmäl inlägg")
    # Cancelling is a link inside the htmx form: it opens the whole post page, not a page inside the form.
    page.get_by_role("link", name="Avbryt").click()
    expect(page).to_have_url(re.compile(rf"/posts/{reported_id}$"))
    htmx_settled(page)
    expect(page.locator("header.site-header")).to_have_count(1)
    expect(page.locator(".report-form")).to_have_count(0)
    page.get_by_role("link", name="Anmäl inlägget").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmäl inlägg")
    axe(page)
    page.get_by_label("Felaktig information").check()
    page.get_by_label("Kommentar (frivillig)").fill("Effekten är räknad tio gånger för hög.")
    page.get_by_role("button", name="Skicka anmälan").click()
    htmx_settled(page)
    expect(page.get_by_text("Tack! Din anmälan har skickats till moderatorerna.")).to_be_visible()
    _log_out(page)

    # A moderator (password and TOTP code) hides it from the queue; htmx swaps the row in place.
    _log_in(page, moderator, secret)
    page.get_by_role("link", name="Moderering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderering")
    row = page.locator("li.queue-item", has_text=REPORTED)
    expect(row).to_contain_text("Effekten är räknad tio gånger för hög.")
    axe(page)
    row.get_by_label("Skäl att dölja (visas för organisationen)").fill("Siffrorna behöver en källa innan inlägget visas igen.")
    row.get_by_role("button", name="Dölj").click()
    htmx_settled(page)
    row = page.locator("li.queue-item", has_text=REPORTED)
    expect(row).to_contain_text("Inlägget är dolt.")
    expect(row.get_by_role("button", name="Återställ")).to_be_visible()
    expect(page.locator("#queue-counts")).to_contain_text("0")
    axe(page, "#queue-counts")

    # …then features another solution and picks it as Månadens exempel.
    page.goto(f"/posts/{featured_id}")
    page.get_by_role("link", name="Välj som Bra exempel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Välj som Bra exempel")
    axe(page)
    page.get_by_label("Varför är detta värt att kopiera?").fill("Kraven går att lyfta rakt in i en annan upphandling.")
    page.get_by_role("button", name="Välj som Bra exempel").click()
    expect(page).to_have_url(re.compile(rf"/posts/{featured_id}$"))
    expect(page.locator("main")).to_contain_text("Kraven går att lyfta rakt in i en annan upphandling.")
    page.get_by_role("link", name="Välj som Månadens exempel").click()
    axe(page)
    page.get_by_label("Motivering (kort citat som visas på startsidan)").fill("Ett upphandlingskrav som alla kan kopiera.")
    page.get_by_role("button", name="Välj som Månadens exempel").click()
    expect(page).to_have_url(re.compile(r"/examples/monthly$"))
    expect(page.locator("main")).to_contain_text(FEATURED)
    axe(page)

    page.goto("/moderation/log")
    expect(page.locator("main table")).to_contain_text("Vald som Månadens exempel")
    expect(page.locator("main table")).to_contain_text("Siffrorna behöver en källa")
    axe(page)
    _log_out(page)

    # The author sees the hidden post with the reason; everyone else gets a 404.
    _log_in(page, author)
    page.goto(f"/posts/{reported_id}")
    expect(page.locator("main")).to_contain_text("Siffrorna behöver en källa innan inlägget visas igen.")
    axe(page)
    _log_out(page)
    response = page.goto(f"/posts/{reported_id}")
    assert response.status == 404

    # The home page leads with the month's example.
    page.goto("/")
    highlight = page.locator(".monthly-highlight")
    expect(highlight).to_contain_text("Månadens exempel")
    expect(highlight).to_contain_text(FEATURED)
    expect(highlight).to_contain_text("Ett upphandlingskrav som alla kan kopiera.")
    axe(page)
    highlight.get_by_role("link", name=FEATURED).click()
    expect(page.locator("main")).to_contain_text("Bra exempel")
