"""Notification fan-out and e-mail: immediate mails, the daily digest, and nothing without mail."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from challenge_helpers import (
    StatementCounter,
    area,
    notifications_for,
    post,
)

from hub.extensions import db
from hub.models import Follow, Notification, utcnow
from hub.notifications import service


@pytest.fixture
def orgs(make_org):
    return make_org("kristianstads-kommun", "Kristianstads kommun"), make_org("t-kartor", "T-Kartor", kind="foretag")


@pytest.fixture
def outbox(app, monkeypatch):
    """Mail configured, and every mail caught instead of sent."""
    sent: list[tuple[str, str, str]] = []

    def fake_send(to, subject, body):
        sent.append((to, subject, body))
        return True

    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.se")
    monkeypatch.setitem(app.config, "HUB_BASE_URL", "https://hub.example.se")
    monkeypatch.setattr("hub.mail.send_mail", fake_send)
    return sent


# --- fan-out --------------------------------------------------------------------------------


def test_notify_unions_recipients_into_one_statement_and_one_row_each(app, orgs, make_user):
    members = [make_user(f"m{i}@kristianstad.se", org=orgs[0]) for i in range(3)]
    fans = [make_user(f"f{i}@tkartor.se", org=orgs[1]) for i in range(3)]
    mobility = area("mobilitet")
    db.session.add_all(Follow(user_id=u.id, target_type="area", target_id=mobility.id) for u in fans + members[:1])
    db.session.add(Follow(user_id=fans[0].id, target_type="organisation", target_id=orgs[0].id))
    db.session.commit()
    with StatementCounter() as counter:
        service.notify(
            [service.members(orgs[0].id), service.followers({"area": [mobility.id], "organisation": [orgs[0].id]})],
            "new_post", actor_organisation_id=orgs[0].id, text="Hej", exclude_user_id=members[2].id,
        )
        db.session.commit()
    assert len(counter.matching("INSERT INTO notifications")) == 1
    assert [len(notifications_for(u)) for u in members] == [1, 1, 0]
    assert [len(notifications_for(u)) for u in fans] == [1, 1, 1]
    note = notifications_for(fans[0])[0]
    assert (note.kind, note.post_id, note.message_id, note.text) == ("new_post", None, None, "Hej")


def test_inactive_users_are_not_notified(app, orgs, make_user):
    gone = make_user("gone@kristianstad.se", org=orgs[0], active=False)
    service.notify_organisation(orgs[0].id, "copied")
    db.session.commit()
    assert notifications_for(gone) == []


def test_notify_with_no_recipients_does_nothing(app, orgs):
    with StatementCounter() as counter:
        service.notify([service.followers({"area": []})], "new_post")
    assert counter.statements == []


# --- e-mail ---------------------------------------------------------------------------------


def _note(user, kind="answer", post_id=None, **fields):
    note = Notification(user_id=user.id, kind=kind, post_id=post_id, **fields)
    db.session.add(note)
    db.session.commit()
    return note


def test_immediate_users_get_one_mail_per_notification_once(app, orgs, make_user, outbox):
    from hub.notifications.mail import send_immediate

    challenge = post(orgs[0], "challenge", "Hur minskar vi matsvinnet?")
    eager = make_user("eager@kristianstad.se", org=orgs[0], email_mode="immediate")
    quiet = make_user("quiet@kristianstad.se", org=orgs[0], email_mode="off")
    daily = make_user("daily@kristianstad.se", org=orgs[0], email_mode="daily")
    service.notify_organisation(orgs[0].id, "answer", post_id=challenge.id, actor_organisation_id=orgs[1].id)
    db.session.commit()

    assert send_immediate() == 1
    ((to, subject, body),) = outbox
    assert to == "eager@kristianstad.se"
    assert "T-Kartor" in subject and "Hur minskar vi matsvinnet?" in subject
    assert f"https://hub.example.se/posts/{challenge.id}#answers" in body
    assert send_immediate() == 0  # never twice
    assert notifications_for(eager)[0].emailed_at is not None
    assert notifications_for(quiet)[0].emailed_at is None
    assert notifications_for(daily)[0].emailed_at is None


def test_read_and_old_notifications_are_not_mailed_immediately(app, orgs, make_user, outbox):
    from hub.notifications.mail import send_immediate

    user = make_user("eager@kristianstad.se", org=orgs[0], email_mode="immediate")
    _note(user, read_at=utcnow())
    _note(user, created_at=utcnow() - timedelta(days=3))
    assert send_immediate() == 0
    assert outbox == []


def test_a_failed_send_is_retried_later(app, orgs, make_user, outbox, monkeypatch):
    from hub.notifications.mail import send_immediate

    user = make_user("eager@kristianstad.se", org=orgs[0], email_mode="immediate")
    _note(user)
    monkeypatch.setattr("hub.mail.send_mail", lambda *a: False)
    assert send_immediate() == 0
    assert notifications_for(user)[0].emailed_at is None
    monkeypatch.setattr("hub.mail.send_mail", lambda *a: outbox.append(a) or True)
    assert send_immediate() == 1


def test_daily_digest_lists_new_notifications_in_one_mail(app, orgs, make_user, outbox):
    challenge = post(orgs[0], "challenge", "Hur minskar vi matsvinnet?")
    daily = make_user("daily@kristianstad.se", org=orgs[0], email_mode="daily")
    make_user("eager@kristianstad.se", org=orgs[0], email_mode="immediate")
    _note(daily, "answer", challenge.id, actor_organisation_id=orgs[1].id)
    _note(daily, "copied", challenge.id, actor_organisation_id=orgs[1].id)

    result = app.test_cli_runner().invoke(args=["notifications", "send-digest"])
    assert result.exit_code == 0, result.output
    assert "1" in result.output
    ((to, subject, body),) = outbox
    assert to == "daily@kristianstad.se"
    assert "2 nya notiser" in subject
    assert body.count("Hur minskar vi matsvinnet?") == 2
    assert "https://hub.example.se/notifications\n" in body

    app.test_cli_runner().invoke(args=["notifications", "send-digest"])
    assert len(outbox) == 1


def test_without_mail_nothing_is_sent_or_marked(app, orgs, make_user, monkeypatch):
    from hub.notifications.mail import send_digest, send_immediate

    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    calls = []
    monkeypatch.setattr("hub.mail.send_mail", lambda *a: calls.append(a) or True)
    user = make_user("eager@kristianstad.se", org=orgs[0], email_mode="immediate")
    make_user("daily@kristianstad.se", org=orgs[0], email_mode="daily")
    service.notify_organisation(orgs[0].id, "copied")
    db.session.commit()
    assert send_immediate() == 0 and send_digest() == 0
    result = app.test_cli_runner().invoke(args=["notifications", "send-digest"])
    assert result.exit_code == 0 and "MAIL_SERVER" in result.output
    assert calls == []
    assert notifications_for(user)[0].emailed_at is None


def test_a_request_that_notifies_mails_immediate_users_after_the_response(
    app, client, orgs, make_user, login_as, outbox
):
    challenge = post(orgs[0], "challenge", "Hur minskar vi matsvinnet?")
    make_user("eager@kristianstad.se", org=orgs[0], email_mode="immediate")
    helper = make_user("helper@tkartor.se", org=orgs[1])
    login_as(helper)
    url = f"/posts/{challenge.id}/answers"
    db.session.commit()
    # As under a real server: the request in its own thread gets its own app context, which ends
    # (releasing its database session) before the response is closed and the mail goes out.
    responses = []
    worker = threading.Thread(
        target=lambda: responses.append(client.post(url, data={"body": "Så här"}))
    )
    worker.start()
    worker.join()
    assert responses[0].status_code == 303
    responses[0].close()
    assert [to for to, _s, _b in outbox] == ["eager@kristianstad.se"]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(Notification.emailed_at.is_not(None))) == 1
