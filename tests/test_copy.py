"""Copy to my organisation: the draft, the rules, provenance, lineage and the source's count."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hub.extensions import db
from hub.models import Notification, Post
from hub.posts import service
from test_posts_fixtures import HX, form_fields, make_post, world  # noqa: F401


def page_text(response) -> str:
    return response.get_data(as_text=True)


def test_copying_makes_a_prefilled_draft_and_asks_for_commitments(client, world, login_as):
    source = make_post(
        world, world.anna, title="Klimatkrav i livsmedelsupphandling", body="Så här gjorde vi.",
        tags="upphandling, mat", focus_areas=[world.areas[1].id, world.areas[3].id], reduction_tonnes=40,
        reduction_period="per_year", estimation_method="emission_factor", cost_band="lt_100k",
        lead_time="3_12m", prerequisites="En upphandlare och en kostchef.", commitments=[world.ks_commitments[3].id],
    )
    login_as(world.tove)
    response = client.post(f"/posts/{source.id}/copy")
    assert response.status_code == 303
    copy = db.session.scalar(select(Post).where(Post.copied_from_id == source.id))
    assert response.headers["Location"].endswith(f"/posts/{copy.id}/edit")
    assert copy.state == "draft" and copy.organisation_id == world.tkartor.id and copy.author_id == world.tove.id
    assert (copy.title, copy.summary, copy.body, copy.tags) == (source.title, source.summary, source.body, source.tags)
    assert [a.id for a in copy.focus_areas] == [a.id for a in source.focus_areas]
    assert (copy.reduction_tonnes, copy.estimation_method, copy.cost_band, copy.lead_time, copy.prerequisites) == (
        40, "emission_factor", "lt_100k", "3_12m", "En upphandlare och en kostchef."
    )
    assert copy.commitments == []  # the copier picks its own
    assert copy.status == "planerad"

    edit = page_text(client.get(response.headers["Location"]))
    assert "Det här är en kopia av Klimatkrav i livsmedelsupphandling från Kristianstads kommun" in edit
    # The source's figures are pre-filled, and the page says they are still the source's own.
    assert "Uppgifterna om minskningen och hur den har uppskattats kommer från Kristianstads kommun." in edit
    assert edit.count("Kopian är sparad som utkast i er organisation.") == 1
    assert 'value="Klimatkrav i livsmedelsupphandling"' in edit
    # The commitments offered are T-Kartor's own, not Kristianstad's.
    assert "Utveckla policyn för affärsresor." in edit
    assert "Efterfråga klimatsmarta lösningar i upphandling." not in edit

    # Pick a commitment and publish: the source now counts the copy.
    saved = client.post(
        f"/posts/{copy.id}/edit",
        data=form_fields(world, title=copy.title, summary=copy.summary, focus_areas=[str(world.areas[1].id)],
                         commitments=[str(world.tk_commitments[0].id)], version=str(copy.version)),
    )
    assert saved.status_code == 303
    db.session.refresh(copy)
    assert copy.is_public and [c.id for c in copy.commitments] == [world.tk_commitments[0].id]
    assert not copy.has_source_figures  # the form's own estimate replaced the source's
    assert "hur den har uppskattats kommer från" not in page_text(client.get(f"/posts/{copy.id}/edit"))
    source_page = page_text(client.get(f"/posts/{source.id}"))
    assert "Kopierad av 1 organisation" in source_page
    assert f'href="/posts/{copy.id}">T-Kartor Sweden AB</a>' in source_page
    copy_page = page_text(client.get(f"/posts/{copy.id}"))
    assert "Inspirerad av" in copy_page
    assert f'href="/posts/{source.id}">Klimatkrav i livsmedelsupphandling</a>' in copy_page
    assert 'href="/organisations/kristianstads-kommun"' in copy_page


def test_an_organisation_cannot_copy_its_own_post(client, world, login_as):
    source = make_post(world, world.anna)
    login_as(world.karl)  # same organisation as the author
    assert "Kopiera till min organisation" not in page_text(client.get(f"/posts/{source.id}"))
    response = client.post(f"/posts/{source.id}/copy", follow_redirects=True)
    assert "kan inte kopieras till den" in page_text(response)
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1
    with pytest.raises(service.CopyRefused):
        service.copy_post(source, world.anna)


def test_copying_the_same_source_twice_goes_to_the_existing_copy(client, world, login_as):
    source = make_post(world, world.anna)
    login_as(world.tove)
    first = client.post(f"/posts/{source.id}/copy")
    login_as(world.britt)
    other_org = client.post(f"/posts/{source.id}/copy")
    login_as(world.tove)
    second = client.post(f"/posts/{source.id}/copy", headers=HX)
    assert first.headers["Location"] == second.headers["Location"] != other_org.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Post).where(Post.copied_from_id == source.id)) == 2
    page = page_text(client.get(f"/posts/{source.id}"))
    assert "Er organisation har redan kopierat det här." in page
    assert "Öppna er kopia" in page
    # The service says whether it made a copy.
    again, created = service.copy_post(source, world.tove)
    assert not created and again.organisation_id == world.tkartor.id


def test_the_source_organisation_is_notified(client, world, login_as):
    source = make_post(world, world.anna, title="Resepolicy med tåg först")
    login_as(world.tove)
    client.post(f"/posts/{source.id}/copy")
    notes = db.session.scalars(select(Notification).where(Notification.kind == "copied")).all()
    assert sorted(n.user_id for n in notes) == sorted([world.anna.id, world.karl.id])
    assert all(n.post_id == source.id and n.actor_organisation_id == world.tkartor.id for n in notes)

    login_as(world.anna)
    page = page_text(client.get("/notifications/"))
    assert "T-Kartor Sweden AB kopierade ert inlägg" in page
    assert f'href="/posts/{source.id}">Resepolicy med tåg först</a>' in page
    # Copying again notifies nobody a second time.
    login_as(world.tove)
    client.post(f"/posts/{source.id}/copy")
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 2


def test_only_published_solutions_and_lessons_can_be_copied(client, world, login_as):
    draft = make_post(world, world.anna, publish=False)
    challenge = make_post(world, world.anna, kind="challenge", status="oppen")
    offer = make_post(world, world.anna, kind="offer")
    lesson = make_post(world, world.anna, kind="lesson")
    login_as(world.tove)
    assert client.post(f"/posts/{draft.id}/copy").status_code == 404
    for post in (challenge, offer):
        assert "Kopiera till min organisation" not in page_text(client.get(f"/posts/{post.id}"))
        response = client.post(f"/posts/{post.id}/copy", follow_redirects=True)
        assert "Bara publicerade åtgärder och lärdomar kan kopieras." in page_text(response)
    assert "Kopiera till min organisation" in page_text(client.get(f"/posts/{lesson.id}"))
    response = client.post(f"/posts/{lesson.id}/copy")
    assert response.status_code == 303
    copy = db.session.scalar(select(Post).where(Post.copied_from_id == lesson.id))
    assert copy.kind == "lesson" and copy.lesson_type == lesson.lesson_type


def test_anonymous_visitors_are_asked_to_log_in_to_copy(client, world):
    source = make_post(world, world.anna)
    page = page_text(client.get(f"/posts/{source.id}"))
    assert "Logga in för att kopiera till din organisation" in page
    response = client.post(f"/posts/{source.id}/copy")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # After logging in, the login page sends a GET here: it lands on the post.
    landing = client.get(f"/posts/{source.id}/copy")
    assert landing.status_code == 303 and landing.headers["Location"].endswith(f"/posts/{source.id}")


def test_count_and_lineage_show_only_published_copies_of_copies(client, world):
    source = make_post(world, world.anna, title="Ursprunget")
    copy, _ = service.copy_post(source, world.tove)
    service.publish_post(copy, world.tove)
    copy_of_copy, _ = service.copy_post(copy, world.britt)
    draft_copy, _ = service.copy_post(source, world.britt)  # never published: counted nowhere

    page = page_text(client.get(f"/posts/{source.id}"))
    assert "Kopierad av 1 organisation" in page
    assert "Idéns väg" not in page  # a copy of the copy is still a draft

    service.publish_post(copy_of_copy, world.britt)
    page = page_text(client.get(f"/posts/{source.id}"))
    assert "Idéns väg" in page
    assert f'href="/posts/{copy_of_copy.id}"' in page
    assert f'href="/posts/{draft_copy.id}"' not in page
    middle = page_text(client.get(f"/posts/{copy.id}"))
    assert "Kopierad av 1 organisation" in middle and "Inspirerad av" in middle
    assert f'href="/posts/{copy_of_copy.id}"' in middle  # the tree shows the copy of the copy here too
    assert f'href="/posts/{source.id}">Ursprunget</a>' in middle

    tree = service.lineage(copy_of_copy)
    assert tree.post.id == source.id
    assert [c.post.id for c in tree.children] == [copy.id]
    assert [c.post.id for c in tree.children[0].children] == [copy_of_copy.id]

    data = client.get(f"/api/v1/posts/{source.id}").get_json()
    assert data["copies"] == [copy.id] and data["copy_count"] == 1 and data["copied_from"] is None
    assert client.get(f"/api/v1/posts/{copy_of_copy.id}").get_json()["copied_from"] == copy.id


def test_a_post_pages_copies_come_from_its_lineage_as_they_would_on_their_own(world, monkeypatch):
    source = make_post(world, world.anna, title="Ursprunget")
    copy, _ = service.copy_post(source, world.tove)
    service.publish_post(copy, world.tove)
    copy_of_copy, _ = service.copy_post(copy, world.britt)
    service.publish_post(copy_of_copy, world.britt)
    service.copy_post(source, world.britt)  # a draft copy: in neither
    for post in (source, copy, copy_of_copy):
        copies, tree = service.copies_and_lineage(post)
        assert [c.id for c in copies] == [c.id for c in service.published_copies(post)]
        assert tree.post.id == source.id and tree.size == 3
    # A post on the tree's last level still gets its copies, read on their own.
    monkeypatch.setattr(service, "LINEAGE_DEPTH", 1)
    copies, tree = service.copies_and_lineage(copy_of_copy)
    assert tree.post.id == copy.id and [c.id for c in copies] == []
    copies, _tree = service.copies_and_lineage(copy)
    assert [c.id for c in copies] == [copy_of_copy.id]
    # Not public: the copies it still has, no tree.
    copy.hidden = True
    db.session.commit()
    assert service.copies_and_lineage(copy) == ([copy_of_copy], None)


def test_a_copy_whose_source_is_no_longer_public_says_so(client, world):
    source = make_post(world, world.anna, title="Snart dold")
    copy, _ = service.copy_post(source, world.tove)
    service.publish_post(copy, world.tove)
    source.hidden = True
    db.session.commit()
    page = page_text(client.get(f"/posts/{copy.id}"))
    assert "Inspirerad av ett inlägg som inte längre är publicerat." in page
    assert f'href="/posts/{source.id}"' not in page
    assert client.get(f"/api/v1/posts/{copy.id}").get_json()["copied_from"] is None
