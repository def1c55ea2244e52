"""/notifications: the user's own notifications, newest first, linked, marked read."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hub.extensions import db
from hub.models import Notification, utcnow
from hub.notifications.service import notify_organisation
from test_posts_fixtures import HX, make_post, world  # noqa: F401


def page_text(response) -> str:
    return response.get_data(as_text=True)


def test_notifications_list_newest_first_with_links(client, world, login_as):
    older = make_post(world, world.anna, title="Äldre inlägg")
    newer = make_post(world, world.anna, title="Nyare inlägg")
    notify_organisation(world.kristianstad.id, "copied", post_id=older.id, actor_organisation_id=world.tkartor.id,
                        text=older.title)
    db.session.commit()
    for n in db.session.scalars(select(Notification)):
        n.created_at = utcnow() - timedelta(hours=1)
    notify_organisation(world.kristianstad.id, "copied", post_id=newer.id, actor_organisation_id=world.boras.id,
                        text=newer.title)
    db.session.commit()

    login_as(world.anna)
    page = page_text(client.get("/notifications/"))
    assert page.index("Nyare inlägg") < page.index("Äldre inlägg")
    assert "Borås Stad kopierade ert inlägg" in page
    assert f'href="/posts/{older.id}"' in page
    assert "2 olästa notiser" in page

    login_as(world.tove)  # someone else's notifications are not shown
    assert "Nyare inlägg" not in page_text(client.get("/notifications/"))


def test_mark_one_read_plain_and_with_htmx_and_mark_all(client, world, login_as):
    post = make_post(world, world.anna)
    for _ in range(3):
        notify_organisation(world.kristianstad.id, "copied", post_id=post.id, actor_organisation_id=world.tkartor.id)
    db.session.commit()
    first, second, third = db.session.scalars(
        select(Notification).where(Notification.user_id == world.anna.id).order_by(Notification.id)
    ).all()

    login_as(world.anna)
    plain = client.post(f"/notifications/{first.id}/read")
    assert plain.status_code == 303 and plain.headers["Location"].endswith("/notifications")
    fragment = client.post(f"/notifications/{second.id}/read", headers=HX)
    assert fragment.status_code == 200
    assert "<html" not in page_text(fragment) and f'id="notification-{second.id}"' in page_text(fragment)
    assert "Markera som läst" not in page_text(fragment)
    db.session.refresh(first)
    db.session.refresh(third)
    assert first.read_at is not None and third.read_at is None

    read_all = client.post("/notifications/read-all", headers=HX)
    assert read_all.status_code == 303 and read_all.headers["Location"].endswith("/notifications")
    db.session.refresh(third)
    assert third.read_at is not None
    karls = db.session.scalars(select(Notification).where(Notification.user_id == world.karl.id)).all()
    assert all(n.read_at is None for n in karls)  # only the user's own


def test_someone_elses_notification_cannot_be_marked(client, world, login_as):
    post = make_post(world, world.anna)
    notify_organisation(world.kristianstad.id, "copied", post_id=post.id)
    db.session.commit()
    annas = db.session.scalar(select(Notification).where(Notification.user_id == world.anna.id))
    login_as(world.tove)
    assert client.post(f"/notifications/{annas.id}/read").status_code == 404
    assert client.post("/notifications/999999/read").status_code == 404


def test_notifications_need_a_login_and_page_parameters_are_forgiving(client, world, login_as):
    assert client.get("/notifications/").status_code == 302
    assert client.get("/notifications/", headers=HX).headers["HX-Redirect"].startswith("/login")
    login_as(world.anna)
    for query in ("page=abc", "page=0", "page=99999999999"):
        assert client.get(f"/notifications/?{query}").status_code == 200
    assert "<html" not in page_text(client.get("/notifications/", headers=HX))
    assert "Du har inga notiser ännu." in page_text(client.get("/notifications/"))
