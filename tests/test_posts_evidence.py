"""Posts on other pages: what an organisation has shared, a commitment's evidence, a focus area."""

from __future__ import annotations

from hub.extensions import db
from test_posts_fixtures import make_post, world  # noqa: F401


def page_text(response) -> str:
    return response.get_data(as_text=True)


def test_organisation_page_lists_what_it_shared_and_members_also_see_drafts(client, world, login_as):
    make_post(world, world.anna, title="Publicerad åtgärd")
    make_post(world, world.anna, title="Opublicerat utkast", publish=False)
    hidden = make_post(world, world.anna, title="Dold åtgärd")
    hidden.hidden = True
    db.session.commit()

    page = page_text(client.get("/organisations/kristianstads-kommun"))
    assert "Delat av organisationen" in page
    assert "Publicerad åtgärd" in page
    assert "Opublicerat utkast" not in page and "Dold åtgärd" not in page

    login_as(world.karl)
    page = page_text(client.get("/organisations/kristianstads-kommun"))
    assert "Opublicerat utkast" in page and "Dold åtgärd" in page and "Utkast" in page
    # What only members see comes first, under its own heading; the public list follows.
    assert page.index("Inte publicerat (syns bara för er)") < page.index("Opublicerat utkast")
    assert page.index("Opublicerat utkast") < page.index("Publicerad åtgärd")

    login_as(world.tove)
    assert "Opublicerat utkast" not in page_text(client.get("/organisations/kristianstads-kommun"))
    assert "har inte delat" in page_text(client.get("/organisations/boras-stad"))


def test_a_commitment_shows_the_public_posts_linked_to_it(client, world):
    commitment = world.ks_commitments[3]
    post = make_post(world, world.anna, title="Bevis för åtagandet", commitments=[commitment.id])
    make_post(world, world.anna, title="Utkast för åtagandet", commitments=[commitment.id], publish=False)
    page = page_text(client.get(f"/contracts/{world.contract.id}"))
    anchor = page.index(f'id="commitment-{commitment.id}"')
    section = page[anchor:page.index("</li>", page.index("inlägg visar arbetet", anchor))]
    assert "1 inlägg visar arbetet" in section
    assert f'href="/posts/{post.id}">Bevis för åtagandet</a>' in section
    assert "Utkast för åtagandet" not in page
    # The organisation's profile lists its commitments too, with the same evidence.
    assert "Bevis för åtagandet" in page_text(client.get("/organisations/kristianstads-kommun"))


def test_a_focus_area_page_lists_its_posts_with_counts_per_kind_from_the_search(client, world):
    make_post(world, world.anna, title="Inom upphandling", focus_areas=[world.areas[1].id])
    make_post(world, world.anna, title="Utmaning inom upphandling", kind="challenge", status="oppen", focus_areas=[world.areas[1].id])
    make_post(world, world.anna, title="Inom energi", focus_areas=[world.areas[2].id])
    page = page_text(client.get("/focus-areas/upphandling"))
    assert "Inom upphandling" in page and "Utmaning inom upphandling" in page and "Inom energi" not in page
    assert 'href="/posts/?kind=solution&amp;area=upphandling">Åtgärder (1)</a>' in page
    assert 'href="/posts/?kind=challenge&amp;area=upphandling">Utmaningar (1)</a>' in page
    assert 'href="/posts/?area=upphandling">Alla 2 inlägg inom Upphandling</a>' in page
