"""The notification list, the unread count in the header, and marking read."""

from __future__ import annotations

import pytest
from challenge_helpers import area, notifications_for, orgs, people, post  # noqa: F401  (fixtures)

from hub.extensions import db
from hub.models import Follow, Notification, utcnow

HTMX = {"HX-Request": "true"}


def _header(page: str) -> str:
    return page.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]


def test_the_whole_story_answer_accept_and_both_organisations_are_told(client, login_as, orgs, people):
    challenge = post(orgs[0], "challenge", "Hur minskar vi matsvinnet i skolan?", areas=[area("mat")])
    login_as(people[1])
    client.post(f"/posts/{challenge.id}/answers", data={"body": "Vi vägde svinnet varje dag."})

    login_as(people[0])
    page = client.get("/notifications/").get_data(as_text=True)
    assert "T-Kartor svarade på er utmaning" in page
    assert f'href="/posts/{challenge.id}"' in page
    assert "(1 oläst)" in _header(page)

    (given,) = challenge.answers
    client.post(f"/answers/{given.id}/accept")
    login_as(people[1])
    page = client.get("/notifications/").get_data(as_text=True)
    assert "markerades som lösningen" in page
    assert "Hur minskar vi matsvinnet i skolan?" in page


def test_followers_of_a_challenge_are_told_it_is_not_theirs(client, login_as, orgs, people):
    challenge = post(orgs[0], "challenge", "Laddplatser för bostadsrätter")
    db.session.add(Follow(user_id=people[2].id, target_type="post", target_id=challenge.id))
    db.session.commit()
    login_as(people[1])
    client.post(f"/posts/{challenge.id}/answers", data={"body": "Så här"})
    login_as(people[2])
    page = client.get("/notifications/").get_data(as_text=True)
    assert "svarade på utmaningen" in page and "som du följer" in page


def test_a_message_notification_links_to_the_message(client, login_as, orgs, people):
    login_as(people[1])
    client.post("/messages/new", data={"to": "kristianstads-kommun", "subject": "Studiebesök?", "body": "Hej!"})
    login_as(people[0])
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Nytt meddelande från T-Kartor" in page
    (note,) = notifications_for(people[0], "message")
    assert f'href="/messages/{note.message_id}">Studiebesök?</a>' in page


def test_the_header_count_is_right_on_every_page_load_without_javascript(client, login_as, orgs, people):
    login_as(people[0])
    assert "badge" not in _header(client.get("/").get_data(as_text=True))
    for _ in range(3):
        db.session.add(Notification(user_id=people[0].id, kind="copied", actor_organisation_id=orgs[1].id))
    db.session.add(Notification(user_id=people[0].id, kind="copied", read_at=utcnow()))
    db.session.add(Notification(user_id=people[1].id, kind="copied"))
    db.session.commit()
    header = _header(client.get("/").get_data(as_text=True))
    assert '<span class="badge" aria-hidden="true">3</span>' in header
    assert "(3 olästa)" in header
    assert 'hx-trigger="every 60s"' in header


def test_the_indicator_fragment_for_polling(client, login_as, orgs, people):
    assert client.get("/notifications/indicator", headers=HTMX).status_code == 204  # logged out: nothing
    login_as(people[0])
    db.session.add(Notification(user_id=people[0].id, kind="copied"))
    db.session.commit()
    for headers in (HTMX, {}):
        response = client.get("/notifications/indicator", headers=headers)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "<html" not in html
        assert 'id="notification-indicator"' in html and "(1 oläst)" in html
        assert response.headers["Cache-Control"] == "no-store"
    on_list = client.get("/notifications/indicator",
                         headers={**HTMX, "HX-Current-URL": "http://localhost/notifications/"})
    assert 'aria-current="page"' in on_list.get_data(as_text=True)


def test_marking_read_plain_and_with_htmx_updates_the_count_out_of_band(client, login_as, orgs, people):
    login_as(people[0])
    first, second = (Notification(user_id=people[0].id, kind="copied") for _ in range(2))
    db.session.add_all([first, second])
    db.session.commit()

    fragment = client.post(f"/notifications/{first.id}/read", headers=HTMX)
    assert fragment.status_code == 200
    html = fragment.get_data(as_text=True)
    assert f'id="notification-{first.id}"' in html
    assert 'hx-swap-oob="true"' in html
    assert "(1 oläst)" in html
    assert "<html" not in html

    plain = client.post(f"/notifications/{second.id}/read")
    assert plain.status_code == 303
    assert all(n.read_at for n in notifications_for(people[0]))
    assert "badge" not in _header(client.get("/notifications/").get_data(as_text=True))


def test_mark_all_read(client, login_as, people):
    login_as(people[0])
    db.session.add_all(Notification(user_id=people[0].id, kind="copied") for _ in range(3))
    db.session.commit()
    assert client.post("/notifications/read-all").status_code == 303
    assert all(n.read_at for n in notifications_for(people[0]))


@pytest.mark.parametrize("ident", ["other", "4242", "99999999999999999999"])
def test_nobody_marks_someone_elses_notification(client, login_as, people, ident):
    theirs = Notification(user_id=people[1].id, kind="copied")
    db.session.add(theirs)
    db.session.commit()
    login_as(people[0])
    target = theirs.id if ident == "other" else ident
    assert client.post(f"/notifications/{target}/read").status_code == 404
    assert client.post(f"/notifications/{target}/read", headers=HTMX).status_code == 404
    db.session.expire_all()
    assert theirs.read_at is None


def test_the_notifications_and_messages_answer_at_their_own_addresses(client, login_as, people):
    login_as(people[0])
    for url in ("/notifications", "/notifications/", "/messages"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert 'href="/notifications"' in _header(client.get("/").get_data(as_text=True))
    on_list = client.get("/notifications/indicator", headers={**HTMX, "HX-Current-URL": "http://localhost/notifications"})
    assert 'aria-current="page"' in on_list.get_data(as_text=True)


def test_notifications_need_a_login(client):
    assert "/login" in client.get("/notifications/").headers["Location"]
    assert "/login" in client.post("/notifications/read-all").headers["Location"]


def test_each_kind_reads_as_a_sentence(client, login_as, orgs, people):
    challenge = post(orgs[0], "challenge", "Matsvinn")
    kinds = ["answer", "accepted", "copied", "new_post", "moderation", "approved", "hidden", "update_request",
             "rejected", "restored", "featured", "answer_hidden", "answer_restored"]
    db.session.add_all(
        Notification(user_id=people[0].id, kind=k, post_id=challenge.id, actor_organisation_id=orgs[1].id,
                     text=f"text-{k}")
        for k in kinds
    )
    db.session.commit()
    login_as(people[0])
    page = client.get("/notifications/").get_data(as_text=True)
    assert page.count(f'href="/posts/{challenge.id}"') >= len(kinds)


def test_the_notifications_page_lists_what_the_user_follows_and_unfollows(client, login_as, orgs, people):
    mobility = area("mobilitet", "Mobilitet och transporter")
    challenge = post(orgs[0], "challenge", "Laddplatser")
    db.session.add_all([
        Follow(user_id=people[1].id, target_type="area", target_id=mobility.id),
        Follow(user_id=people[1].id, target_type="organisation", target_id=orgs[0].id),
        Follow(user_id=people[1].id, target_type="post", target_id=challenge.id),
    ])
    db.session.commit()
    login_as(people[1])
    page = client.get("/notifications/").get_data(as_text=True)
    aside = page.split('id="following-heading"', 1)[1]
    for name in ("Mobilitet och transporter", "Kristianstads kommun", "Laddplatser"):
        assert name in aside
    response = client.post("/unfollow", data={"target_type": "area", "target_id": mobility.id,
                                              "next": "/notifications/"})
    assert response.headers["Location"].endswith("/notifications/")
    aside = client.get("/notifications/").get_data(as_text=True).split('id="following-heading"', 1)[1]
    assert "Mobilitet och transporter" not in aside
