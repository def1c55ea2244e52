"""Following focus areas, organisations and challenges; messages between organisations."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from challenge_helpers import (
    StatementCounter,
    area,
    notifications_for,
    orgs,  # noqa: F401  (fixture)
    people,  # noqa: F401  (fixture)
    post,
)

from hub.extensions import db
from hub.models import Follow, Message

HTMX = {"HX-Request": "true"}


def _follows(user) -> list[tuple[str, int]]:
    return [
        (f.target_type, f.target_id)
        for f in db.session.scalars(sa.select(Follow).where(Follow.user_id == user.id).order_by(Follow.id))
    ]


# --- following ------------------------------------------------------------------------------


def test_follow_and_unfollow_a_focus_area_an_organisation_and_a_challenge(client, login_as, orgs, people):
    mobility = area("mobilitet")
    challenge = post(orgs[0], "challenge")
    login_as(people[1])
    for target_type, target_id in (("area", mobility.id), ("organisation", orgs[0].id), ("post", challenge.id)):
        response = client.post("/follow", data={"target_type": target_type, "target_id": target_id,
                                                 "next": "/somewhere"})
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/somewhere")
    assert _follows(people[1]) == [("area", mobility.id), ("organisation", orgs[0].id), ("post", challenge.id)]

    # Following twice is following once.
    client.post("/follow", data={"target_type": "area", "target_id": mobility.id})
    assert len(_follows(people[1])) == 3

    response = client.post("/unfollow", data={"target_type": "area", "target_id": mobility.id})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/focus-areas/mobilitet")
    assert ("area", mobility.id) not in _follows(people[1])


def test_the_follow_button_swaps_itself_with_htmx(client, login_as, orgs, people):
    login_as(people[1])
    response = client.post("/follow", data={"target_type": "organisation", "target_id": orgs[0].id,
                                            "next": "/organisations/kristianstads-kommun"}, headers=HTMX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert 'aria-pressed="true"' in html
    assert 'action="/unfollow"' in html
    assert 'value="/organisations/kristianstads-kommun"' in html
    assert "HX-Request" in response.headers["Vary"]

    back = client.post("/unfollow", data={"target_type": "organisation", "target_id": orgs[0].id}, headers=HTMX)
    assert 'aria-pressed="false"' in back.get_data(as_text=True)
    assert _follows(people[1]) == []


def test_a_follow_redirect_never_leaves_the_site(client, login_as, orgs, people):
    login_as(people[1])
    response = client.post("/follow", data={"target_type": "organisation", "target_id": orgs[0].id,
                                            "next": "https://evil.example/"})
    assert "evil.example" not in response.headers["Location"]
    assert response.headers["Location"].endswith("/organisations/kristianstads-kommun")


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"target_type": "user", "target_id": "1"},
        {"target_type": "area", "target_id": "abc"},
        {"target_type": "area", "target_id": "99999999999999999999"},
        {"target_type": "area", "target_id": "4242"},
        {"target_type": "post", "target_id": "draft"},
        {"target_type": "post", "target_id": "solution"},
    ],
)
def test_following_garbage_or_unfollowable_targets_is_404(client, login_as, orgs, people, data):
    draft = post(orgs[0], "challenge", state="draft")
    solution = post(orgs[0], "solution")
    data = {k: {"draft": str(draft.id), "solution": str(solution.id)}.get(v, v) for k, v in data.items()}
    login_as(people[1])
    assert client.post("/follow", data=data).status_code == 404
    assert _follows(people[1]) == []


def test_following_needs_a_login(client, orgs):
    response = client.post("/follow", data={"target_type": "organisation", "target_id": orgs[0].id})
    assert "/login" in response.headers["Location"]
    htmx = client.post("/follow", data={"target_type": "organisation", "target_id": orgs[0].id}, headers=HTMX)
    assert "/login" in htmx.headers["HX-Redirect"]
    assert db.session.scalar(sa.select(sa.func.count(Follow.id))) == 0


def test_a_new_public_post_notifies_followers_of_its_areas_and_organisation_once(
    client, login_as, orgs, people, make_user
):
    mobility, energy = area("mobilitet"), area("energi")
    area_fan, org_fan, both_fan = people[1], people[2], make_user("both@tkartor.se", org=orgs[1])
    colleague = make_user("colleague@kristianstad.se", org=orgs[0])
    db.session.add_all([
        Follow(user_id=area_fan.id, target_type="area", target_id=mobility.id),
        Follow(user_id=org_fan.id, target_type="organisation", target_id=orgs[0].id),
        Follow(user_id=both_fan.id, target_type="area", target_id=mobility.id),
        Follow(user_id=both_fan.id, target_type="area", target_id=energy.id),
        Follow(user_id=both_fan.id, target_type="organisation", target_id=orgs[0].id),
        # Members of the publishing organisation are not told about their own post.
        Follow(user_id=colleague.id, target_type="area", target_id=mobility.id),
    ])
    db.session.commit()
    post(orgs[0], "solution", "Ett tidigare godkänt inlägg")  # so publishing skips premoderation
    draft = post(orgs[0], "solution", "Cykelpool", areas=[mobility, energy], state="draft")
    assert notifications_for(area_fan) == []

    login_as(people[0])
    with StatementCounter() as counter:
        assert client.post(f"/posts/{draft.id}/publish").status_code == 303
    assert len(counter.matching("INSERT INTO notifications")) == 1
    for user in (area_fan, org_fan, both_fan):
        (note,) = notifications_for(user, "new_post")
        assert note.post_id == draft.id
    assert notifications_for(colleague) == []

    # Taken back and published again: no second round.
    client.post(f"/posts/{draft.id}/unpublish")
    client.post(f"/posts/{draft.id}/publish")
    assert len(notifications_for(area_fan, "new_post")) == 1


def test_a_post_approved_by_a_moderator_is_announced_then(app, orgs, people, make_user):
    from hub.moderation import service as moderation

    mobility = area("mobilitet")
    db.session.add(Follow(user_id=people[1].id, target_type="area", target_id=mobility.id))
    db.session.commit()
    waiting = post(orgs[0], "solution", "Första inlägget", areas=[mobility], approval="pending")
    assert notifications_for(people[1]) == []
    moderator = make_user("mod@boras.se", org=orgs[2], role="moderator")
    with app.test_request_context():
        moderation.approve_post(moderator, waiting)
    (note,) = notifications_for(people[1], "new_post")
    assert note.post_id == waiting.id


def test_drafts_are_never_announced(app, orgs, people):
    mobility = area("mobilitet")
    db.session.add(Follow(user_id=people[1].id, target_type="area", target_id=mobility.id))
    db.session.commit()
    post(orgs[0], "solution", areas=[mobility], state="draft")
    post(orgs[0], "solution", areas=[mobility], hidden=True)
    assert notifications_for(people[1]) == []


# --- messages -------------------------------------------------------------------------------


def _send(client, to="kristianstads-kommun", **data):
    payload = {"to": to, "subject": "Fråga om cykelpoolen", "body": "Hur bokar ni cyklarna?"}
    payload.update(data)
    return client.post("/messages/new", data=payload)


def test_contacting_an_organisation_about_a_post(client, login_as, orgs, people):
    solution = post(orgs[0], "solution", "Cykelpool för anställda")
    login_as(people[1])
    form = client.get(f"/messages/new?to=kristianstads-kommun&post={solution.id}")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert "Skriv till Kristianstads kommun" in page
    assert "Cykelpool för anställda" in page
    assert "asker@kristianstad.se" not in page

    response = _send(client, post=str(solution.id))
    assert response.status_code == 303
    message = db.session.scalar(sa.select(Message))
    assert response.headers["Location"].endswith(f"/messages/{message.id}")
    assert (message.sender_organisation_id, message.recipient_organisation_id) == (orgs[1].id, orgs[0].id)
    assert message.post_id == solution.id

    (note,) = notifications_for(people[0], "message")
    assert note.message_id == message.id
    assert note.actor_organisation_id == orgs[1].id
    assert notifications_for(people[1]) == []


def test_a_post_that_takes_no_questions_offers_no_contact_and_refuses_messages_about_it(
    client, login_as, orgs, people
):
    solution = post(orgs[0], "solution", "Cykelpool för anställda", contact_enabled=False)
    assert "Kontakta organisationen" not in client.get(f"/posts/{solution.id}").get_data(as_text=True)
    login_as(people[1])
    page = client.get(f"/posts/{solution.id}").get_data(as_text=True)
    assert "Organisationen tar inte emot frågor om åtgärden just nu." in page
    assert "Kontakta organisationen" not in page
    assert client.get(f"/messages/new?to=kristianstads-kommun&post={solution.id}").status_code == 403

    response = _send(client, post=str(solution.id))
    assert response.status_code == 422
    assert "Organisationen tar inte emot frågor om inlägget just nu." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0
    # Writing to the organisation without the post is still open.
    assert _send(client).status_code == 303


def test_a_conversation_the_organisation_began_about_its_post_goes_on(client, login_as, orgs, people):
    solution = post(orgs[0], "solution", "Cykelpool för anställda", contact_enabled=False)
    login_as(people[0])
    assert _send(client, to="t-kartor", post=str(solution.id), subject="Vill ni låna cyklar?").status_code == 303
    login_as(people[1])
    assert "Kontakta organisationen" in client.get(f"/posts/{solution.id}").get_data(as_text=True)
    reply = _send(client, post=str(solution.id), subject="Sv: Vill ni låna cyklar?", body="Gärna!")
    assert reply.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(Message.id)).where(Message.post_id == solution.id)) == 2


def test_messages_are_visible_only_to_the_two_organisations(client, login_as, orgs, people):
    login_as(people[1])
    _send(client)
    message = db.session.scalar(sa.select(Message))

    for user in (people[0], people[1]):
        login_as(user)
        listing = client.get("/messages").get_data(as_text=True)
        assert "Fråga om cykelpoolen" in listing
        page = client.get(f"/messages/{message.id}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "Hur bokar ni cyklarna?" in html
        assert "@" not in html.split('<main', 1)[1].split("</main>", 1)[0]  # no e-mail address anywhere

    login_as(people[2])
    assert "Fråga om cykelpoolen" not in client.get("/messages").get_data(as_text=True)
    assert client.get(f"/messages/{message.id}").status_code == 404


def test_replying_sends_a_new_message_back(client, login_as, orgs, people):
    login_as(people[1])
    _send(client)
    original = db.session.scalar(sa.select(Message))
    login_as(people[0])
    page = client.get(f"/messages/{original.id}").get_data(as_text=True)
    assert 'value="Sv: Fråga om cykelpoolen"' in page
    assert 'value="t-kartor"' in page
    response = _send(client, to="t-kartor", subject="Sv: Fråga om cykelpoolen", body="Via intranätet.")
    assert response.status_code == 303
    reply = db.session.scalars(sa.select(Message).order_by(Message.id.desc())).first()
    assert (reply.sender_organisation_id, reply.recipient_organisation_id) == (orgs[0].id, orgs[1].id)
    assert len(notifications_for(people[1], "message")) == 1
    prefilled = client.get(f"/messages/new?reply={original.id}").get_data(as_text=True)
    assert 'value="Sv: Fråga om cykelpoolen"' in prefilled


def test_a_new_message_starts_by_choosing_any_other_organisation(client, login_as, people):
    login_as(people[0])
    assert 'href="/messages/new">Nytt meddelande</a>' in client.get("/messages").get_data(as_text=True)
    page = client.get("/messages/new").get_data(as_text=True)
    assert page.index('value="boras-stad"') < page.index('value="t-kartor"')  # by name
    assert 'value="kristianstads-kommun"' not in page  # not its own
    chosen = client.get("/messages/new?to=t-kartor").get_data(as_text=True)
    assert "Skriv till T-Kartor" in chosen


def test_nobody_messages_their_own_organisation(client, login_as, people):
    login_as(people[0])
    assert client.get("/messages/new?to=kristianstads-kommun").status_code == 403
    assert _send(client).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0


def test_an_empty_message_is_refused_next_to_the_field(client, login_as, people):
    login_as(people[1])
    response = _send(client, subject="", body="")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Skriv en rubrik." in page and "Skriv ett meddelande." in page
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0


@pytest.mark.parametrize(
    "url", ["/messages/new?to=finns-inte", "/messages/new?to=" + "x" * 500,
            "/messages/4242", "/messages/99999999999999999999", "/messages/new?to=t-kartor&reply=abc",
            "/messages/new?to=t-kartor&reply=4242"],
)
def test_garbage_message_addresses_are_404(client, login_as, people, url):
    login_as(people[0])
    assert client.get(url).status_code == 404


def test_garbage_post_and_page_parameters_are_ignored(client, login_as, people):
    login_as(people[1])
    assert client.get("/messages/new?to=kristianstads-kommun&post=abc").status_code == 200
    assert _send(client, post="99999999999999999999").status_code == 303
    assert db.session.scalar(sa.select(Message.post_id)) is None
    for page in ("abc", "-3", "0", "99999"):
        assert client.get(f"/messages?page={page}").status_code == 200


def test_messages_need_a_login(client, people):
    for response in (client.get("/messages"), client.get("/messages/new?to=t-kartor"), _send(client)):
        assert "/login" in response.headers["Location"]


# --- the buttons on the pages ---------------------------------------------------------------


def test_follow_buttons_on_area_organisation_and_challenge_pages(client, login_as, orgs, people):
    mobility = area("mobilitet")
    challenge = post(orgs[0], "challenge", "Cykelparkering", areas=[mobility])
    anonymous = client.get("/focus-areas/mobilitet").get_data(as_text=True)
    assert "Logga in för att följa" in anonymous

    login_as(people[1])
    pages = {
        "/focus-areas/mobilitet": ("Följ fokusområdet", f'name="target_id" value="{mobility.id}"'),
        "/organisations/kristianstads-kommun": ("Följ organisationen", f'name="target_id" value="{orgs[0].id}"'),
        f"/posts/{challenge.id}": ("Följ utmaningen", f'name="target_id" value="{challenge.id}"'),
    }
    for url, (label, field) in pages.items():
        page = client.get(url).get_data(as_text=True)
        assert label in page and field in page, url
        assert 'aria-pressed="false"' in page
    client.post("/follow", data={"target_type": "area", "target_id": mobility.id})
    assert 'aria-pressed="true"' in client.get("/focus-areas/mobilitet").get_data(as_text=True)


def test_contact_buttons_lead_to_the_message_form_but_not_for_the_own_organisation(client, login_as, orgs, people):
    solution = post(orgs[0], "solution", "Cykelpool")
    login_as(people[1])
    contact = f'href="/messages/new?to=kristianstads-kommun&amp;post={solution.id}"'
    assert contact in client.get(f"/posts/{solution.id}").get_data(as_text=True)
    assert 'href="/messages/new?to=kristianstads-kommun"' in client.get(
        "/organisations/kristianstads-kommun").get_data(as_text=True)
    login_as(people[0])
    assert "Kontakta organisationen" not in client.get(f"/posts/{solution.id}").get_data(as_text=True)
    assert "Kontakta organisationen" not in client.get("/organisations/kristianstads-kommun").get_data(as_text=True)
