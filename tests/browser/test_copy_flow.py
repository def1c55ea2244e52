"""Copy paste in a real browser: a member copies another organisation's solution, links it to
one of its own commitments, publishes it, and the source credits the copy."""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

SOURCE_TITLE = "Resepolicy: digitalt först, tåg före flyg"


def _source(live_server) -> tuple[int, int]:
    """The demo solution to copy, and how many organisations had published copies of it."""
    from hub.extensions import db
    from hub.models import Post

    with live_server.app.app_context():
        source = db.session.scalar(sa.select(Post).where(Post.title == SOURCE_TITLE))
        published = [c for c in source.copies if c.state == "published"]
        return source.id, len(published)


def test_copy_a_solution_link_a_commitment_publish_and_the_source_counts_it(page, live_server, login, axe):
    source_id, copies_before = _source(live_server)
    copier = live_server.create_user("kopierare@example.se", org_slug="boras-stad", name="Kopierare")
    login(page, copier)

    page.goto(f"/posts/{source_id}")
    expect(page.locator("h1")).to_have_text(SOURCE_TITLE)
    page.get_by_role("button", name="Kopiera till min organisation").click()

    # A pre-filled draft in the copier's organisation that names its source.
    expect(page).to_have_url(re.compile(r"/posts/\d+/edit$"))
    copy_id = int(re.search(r"/posts/(\d+)/edit$", page.url).group(1))
    assert copy_id != source_id
    expect(page.locator("main")).to_contain_text(f"Det här är en kopia av {SOURCE_TITLE}")
    expect(page.locator("#title")).to_have_value(SOURCE_TITLE)
    axe(page)

    commitments = page.locator("input[name=commitments]")
    expect(commitments.first).to_be_visible()
    commitments.first.check()
    page.locator("button[name=action][value=publish]").click()

    expect(page).to_have_url(re.compile(rf"/posts/{copy_id}$"))
    expect(page.locator("h1")).to_have_text(SOURCE_TITLE)
    expect(page.locator("main")).to_contain_text("Inspirerad av")
    expect(page.locator("main")).to_contain_text("Bidrar till åtaganden")
    axe(page)

    page.goto(f"/posts/{source_id}")
    heading = page.locator("#copies-heading")
    expect(heading).to_contain_text(f"Kopierad av {copies_before + 1} organisation")
    # With copies of copies the credit is in the idea's path: the copy's title, then its organisation.
    expect(page.locator("section[aria-labelledby=copies-heading]")).to_contain_text("Borås Stad")
    axe(page)
