"""Moderation: reports, the queue, decisions, the audit log and the balance panel."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import moderation_helpers as h
import pytest
import sqlalchemy as sa

from hub.extensions import db
from hub.models import AuditEntry, Report, User, utcnow
from hub.moderation.audit import AuditLogIsAppendOnly

HX = {"HX-Request": "true"}


def _user(email, org, name, role="member"):
    # No password: these tests log in by session, and hashing one costs more than the test.
    user = User(email=email, name=name, organisation=org, role=role)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def people(make_org):
    author_org = make_org("kristianstads-kommun", "Kristianstads kommun")
    other_org = make_org("t-kartor", "T-Kartor", kind="foretag")
    hub_org = make_org("klimathubben", "Klimathubben", kind="forening", municipality="Stockholm")
    return SimpleNamespace(
        author_org=author_org,
        other_org=other_org,
        author=_user("karin@kristianstad.se", author_org, "Karin"),
        colleague=_user("olle@kristianstad.se", author_org, "Olle"),
        reporter=_user("rapport@t-kartor.se", other_org, "Rut"),
        second_reporter=_user("sven@t-kartor.se", other_org, "Sven"),
        moderator=_user("moderator@klimathubben.se", hub_org, "Mona Moderator", role="moderator"),
        admin=_user("admin@klimathubben.se", hub_org, "Adam Admin", role="admin"),
    )


def report(client, login_as, user, target, reason="felaktig", comment="Siffrorna stämmer inte.", headers=None,
           kind="posts"):
    login_as(user)
    return client.post(f"/{kind}/{target.id}/report", data={"reason": reason, "comment": comment},
                       headers=headers or {})


# --- reports ------------------------------------------------------------------------------------


def test_a_member_reports_a_post_and_the_moderators_hear_of_it(client, login_as, people):
    post = h.post(people.author_org)
    response = report(client, login_as, people.reporter, post)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/posts/{post.id}")
    page = client.get("/examples/").get_data(as_text=True)  # the next page shows the flash
    assert "Tack! Din anmälan har skickats till moderatorerna." in page

    [entry] = h.reports_for("post", post.id)
    assert (entry.user_id, entry.reason, entry.comment) == (people.reporter.id, "felaktig", "Siffrorna stämmer inte.")
    assert [n.post_id for n in h.notifications_for(people.moderator, "moderation")] == [post.id]
    assert [n.post_id for n in h.notifications_for(people.admin, "moderation")] == [post.id]
    assert h.notifications_for(people.author) == []


def test_one_report_per_user_and_item(client, login_as, people):
    post = h.post(people.author_org)
    report(client, login_as, people.reporter, post)
    again = report(client, login_as, people.reporter, post, reason="spam")
    assert again.status_code == 303
    assert "Du har redan anmält det här." in client.get("/examples/").get_data(as_text=True)
    assert len(h.reports_for("post", post.id)) == 1

    # The form page says so too, and an htmx post gets the same answer as a fragment.
    assert "Du har redan anmält det här" in client.get(f"/posts/{post.id}/report").get_data(as_text=True)
    fragment = client.post(f"/posts/{post.id}/report", data={"reason": "spam"}, headers=HX)
    assert fragment.status_code == 200
    assert "Du har redan anmält det här" in fragment.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)
    assert len(h.reports_for("post", post.id)) == 1


def test_the_queue_grows_once_per_item_not_once_per_report(client, login_as, people):
    post = h.post(people.author_org)
    report(client, login_as, people.reporter, post)
    report(client, login_as, people.second_reporter, post, reason="spam", comment="")
    assert len(h.reports_for("post", post.id)) == 2
    assert len(h.notifications_for(people.moderator, "moderation")) == 1


def test_report_form_page_and_its_errors(client, login_as, people):
    post = h.post(people.author_org)
    login_as(people.reporter)
    page = client.get(f"/posts/{post.id}/report").get_data(as_text=True)
    for label in ("Felaktig information", "Olämpligt", "Reklam/spam", "Personuppgifter", "Annat"):
        assert label in page
    assert "Skicka anmälan" in page

    invalid = client.post(f"/posts/{post.id}/report", data={"reason": "tråkigt", "comment": "Min kommentar"})
    assert invalid.status_code == 422
    body = invalid.get_data(as_text=True)
    assert "Välj ett skäl" in body or "Not a valid choice" not in body
    assert "Min kommentar" in body
    missing = client.post(f"/posts/{post.id}/report", data={"comment": "Utan skäl"})
    assert missing.status_code == 422
    assert "Välj ett skäl." in missing.get_data(as_text=True)

    fragment = client.post(f"/posts/{post.id}/report", data={"comment": "Utan skäl"}, headers=HX)
    assert fragment.status_code == 200
    assert fragment.headers["HX-Reswap"] == "outerHTML"
    assert "Välj ett skäl." in fragment.get_data(as_text=True)
    assert h.reports_for("post", post.id) == []


def test_report_with_htmx_swaps_the_form_for_thanks(client, login_as, people):
    post = h.post(people.author_org)
    response = report(client, login_as, people.reporter, post, headers=HX)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    body = response.get_data(as_text=True)
    assert "Tack! Din anmälan har skickats till moderatorerna." in body
    assert "<html" not in body
    assert len(h.reports_for("post", post.id)) == 1


def test_anonymous_visitors_log_in_before_reporting(client, people):
    post = h.post(people.author_org)
    response = client.post(f"/posts/{post.id}/report", data={"reason": "spam"})
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
    htmx = client.post(f"/posts/{post.id}/report", data={"reason": "spam"}, headers=HX)
    assert "/login" in htmx.headers["HX-Redirect"]
    assert h.reports_for("post", post.id) == []


@pytest.mark.parametrize("state", ["draft", "hidden", "pending", "missing"])
def test_only_public_posts_can_be_reported(client, login_as, people, state):
    post = h.post(people.author_org, state="draft" if state == "draft" else "published",
                  hidden=state == "hidden", approval="pending" if state == "pending" else "approved")
    target = post.id if state != "missing" else 999999
    login_as(people.reporter)
    assert client.post(f"/posts/{target}/report", data={"reason": "spam"}).status_code == 404
    assert client.get(f"/posts/{target}/report").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 0


def test_answers_are_reported_the_same_way(client, login_as, people):
    challenge = h.post(people.author_org, "Hur når vi hyresgästerna?", kind="challenge")
    answer = h.answer(challenge, people.other_org, "Köp våra konsulttjänster! Ring nu!")
    response = report(client, login_as, people.author, answer, reason="spam", comment="Reklam", kind="answers")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/posts/{challenge.id}#answer-{answer.id}")
    [entry] = h.reports_for("answer", answer.id)
    assert entry.reason == "spam"
    assert len(h.notifications_for(people.moderator, "moderation")) == 1
    again = report(client, login_as, people.author, answer, kind="answers")
    assert again.status_code == 303
    assert len(h.reports_for("answer", answer.id)) == 1


# --- the queue ----------------------------------------------------------------------------------


def test_the_queue_lists_reports_with_reasons_comments_and_counts(client, login_as, people):
    reported = h.post(people.author_org, "Laddinfrastruktur för bostadsrättsföreningar")
    quiet = h.post(people.author_org, "Cykelpool för personalen")
    challenge = h.post(people.author_org, "Hur når vi hyresgästerna?", kind="challenge")
    answer = h.answer(challenge, people.other_org, "Köp våra konsulttjänster!")
    waiting = h.post(people.other_org, "Vårt första inlägg om tjänsteresor", approval="pending")
    report(client, login_as, people.reporter, reported, comment="Fel årtal i texten.")
    report(client, login_as, people.second_reporter, reported, reason="spam", comment="")
    report(client, login_as, people.author, answer, reason="spam", comment="Ren reklam", kind="answers")

    login_as(people.moderator)
    page = client.get("/moderation/").get_data(as_text=True)
    assert "Laddinfrastruktur för bostadsrättsföreningar" in page
    assert "Cykelpool för personalen" not in page
    assert "2 anmälningar" in page
    assert "Felaktig information (1)" in page and "Reklam/spam (1)" in page
    assert "Fel årtal i texten." in page and "Ren reklam" in page
    assert "Svar på: Hur når vi hyresgästerna?" in page
    assert "Vårt första inlägg om tjänsteresor" in page
    assert "Väntar på granskning" in page
    counts = page[page.index('id="queue-counts"'):page.index("</dl>", page.index('id="queue-counts"'))]
    assert "<dt>Anmälda inlägg</dt><dd>1</dd>" in counts.replace("\n", "").replace("  ", "")
    assert "<dt>Anmälda svar</dt><dd>1</dd>" in counts.replace("\n", "").replace("  ", "")
    assert "<dt>Väntar på godkännande</dt><dd>1</dd>" in counts.replace("\n", "").replace("  ", "")
    assert "<dt>Totalt att granska</dt><dd>3</dd>" in counts.replace("\n", "").replace("  ", "")
    assert quiet.id  # listed nowhere: it was never reported
    assert waiting.id


def test_an_empty_queue_says_so(client, login_as, people):
    login_as(people.moderator)
    page = client.get("/moderation/").get_data(as_text=True)
    assert "Inga anmälda inlägg." in page
    assert "Inga inlägg väntar på godkännande." in page


# --- decisions ------------------------------------------------------------------------------------


def test_hiding_a_reported_post_from_the_queue(client, login_as, people):
    post = h.post(people.author_org)
    report(client, login_as, people.reporter, post)
    login_as(people.moderator)
    response = client.post(f"/moderation/posts/{post.id}/hide",
                           data={"reason": "Innehåller personuppgifter.", "next": "/moderation/"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/moderation/")
    page = client.get("/moderation/").get_data(as_text=True)
    assert "Inlägget är dolt." in page
    assert "Inga anmälda inlägg." in page
    assert "Innehåller personuppgifter." in page  # listed under hidden content, with a restore button

    post = h.fresh(post)
    assert post.hidden and post.hidden_reason == "Innehåller personuppgifter."
    assert not post.is_public
    [entry] = h.reports_for("post", post.id)
    assert entry.resolution == "hidden" and entry.resolved_at is not None
    [logged] = h.audit_entries("hide")
    assert (logged.actor_id, logged.target_type, logged.target_id, logged.reason) == (
        people.moderator.id, "post", post.id, "Innehåller personuppgifter.")
    for member in (people.author, people.colleague):
        [note] = h.notifications_for(member, "hidden")
        assert note.post_id == post.id and "Innehåller personuppgifter." in note.text


def test_hiding_with_htmx_swaps_the_queue_row_and_the_counts(client, login_as, people):
    post = h.post(people.author_org)
    report(client, login_as, people.reporter, post)
    login_as(people.moderator)
    response = client.post(f"/moderation/posts/{post.id}/hide", data={"reason": "Reklam."}, headers=HX)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith(f'<li class="card queue-item" id="queue-post-{post.id}"')
    assert "Inlägget är dolt." in body
    assert "Återställ" in body  # undo is one click away
    assert 'id="queue-counts" hx-swap-oob="true"' in body
    assert "<html" not in body
    assert h.fresh(post).hidden


def test_a_reason_is_required_to_hide(client, login_as, people):
    post = h.post(people.author_org)
    report(client, login_as, people.reporter, post)
    login_as(people.moderator)
    plain = client.post(f"/moderation/posts/{post.id}/hide", data={"reason": "  "})
    assert plain.status_code == 422
    assert "Skriv ett skäl." in plain.get_data(as_text=True)
    assert "Dölj inlägget" in plain.get_data(as_text=True)

    fragment = client.post(f"/moderation/posts/{post.id}/hide", data={"reason": ""}, headers=HX)
    assert fragment.status_code == 200
    assert fragment.headers["HX-Reswap"] == "outerHTML"
    body = fragment.get_data(as_text=True)
    assert "Skriv ett skäl." in body and 'aria-invalid="true"' in body
    assert not h.fresh(post).hidden
    assert h.audit_entries() == []


def test_the_decision_page_works_without_javascript(client, login_as, people):
    post = h.post(people.author_org)
    login_as(people.moderator)
    page = client.get(f"/moderation/posts/{post.id}/hide?next=/posts/{post.id}").get_data(as_text=True)
    assert "Dölj inlägget" in page and post.title in page
    assert f'value="/posts/{post.id}"' in page
    response = client.post(f"/moderation/posts/{post.id}/hide", data={"reason": "Dubblett.", "next": f"/posts/{post.id}"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/posts/{post.id}")
    # next is only ever a path on this site
    other = h.post(people.author_org, "Annat inlägg")
    evil = client.post(f"/moderation/posts/{other.id}/hide", data={"reason": "x", "next": "https://evil.example/"})
    assert evil.headers["Location"].endswith("/moderation/")


def test_restoring_a_hidden_post(client, login_as, people):
    post = h.post(people.author_org, hidden=True, hidden_reason="Misstag")
    login_as(people.moderator)
    response = client.post(f"/moderation/posts/{post.id}/restore", data={"reason": "Efter dialog med kommunen."})
    assert response.status_code == 303
    post = h.fresh(post)
    assert not post.hidden and post.hidden_reason == "" and post.is_public
    [entry] = h.audit_entries("restore")
    assert entry.reason == "Efter dialog med kommunen."
    assert len(h.notifications_for(people.author, "restored")) == 1
    # Twice is refused politely, and not logged again.
    again = client.post(f"/moderation/posts/{post.id}/restore", data={})
    assert again.status_code == 303
    assert "Inlägget är inte dolt." in client.get("/moderation/").get_data(as_text=True)
    assert len(h.audit_entries("restore")) == 1


def test_dismissing_reports_keeps_the_post_public(client, login_as, people):
    post = h.post(people.author_org)
    report(client, login_as, people.reporter, post)
    report(client, login_as, people.second_reporter, post)
    login_as(people.moderator)
    response = client.post(f"/moderation/posts/{post.id}/dismiss", data={"reason": "Uppgifterna stämmer."}, headers=HX)
    assert response.status_code == 200
    assert "2 anmälningar avfärdades." in response.get_data(as_text=True)
    assert all(r.resolution == "dismissed" for r in h.reports_for("post", post.id))
    assert h.fresh(post).is_public
    [entry] = h.audit_entries("dismiss")
    assert (entry.target_type, entry.target_id, entry.reason) == ("post", post.id, "Uppgifterna stämmer.")
    assert "Inga anmälda inlägg." in client.get("/moderation/").get_data(as_text=True)

    nothing_left = client.post(f"/moderation/posts/{post.id}/dismiss")
    assert nothing_left.status_code == 303
    assert len(h.audit_entries("dismiss")) == 1


def test_approving_a_first_post(client, login_as, people):
    post = h.post(people.other_org, "Vårt första inlägg", approval="pending")
    login_as(people.moderator)
    response = client.post(f"/moderation/posts/{post.id}/approve", data={}, headers=HX)
    assert response.status_code == 200
    assert "Inlägget är godkänt och publicerat." in response.get_data(as_text=True)
    assert h.fresh(post).approval == "approved" and h.fresh(post).is_public
    assert h.audit_entries("approve")[0].target_id == post.id
    assert len(h.notifications_for(people.reporter, "approved")) == 1
    assert "Inga inlägg väntar på godkännande." in client.get("/moderation/").get_data(as_text=True)


def test_rejecting_needs_a_reason_the_organisation_gets(client, login_as, people):
    post = h.post(people.other_org, "Köp vår produkt", approval="pending")
    login_as(people.moderator)
    assert client.post(f"/moderation/posts/{post.id}/reject", data={"reason": ""}).status_code == 422
    assert h.fresh(post).approval == "pending"
    response = client.post(f"/moderation/posts/{post.id}/reject", data={"reason": "Reklam för en produkt."})
    assert response.status_code == 303
    assert h.fresh(post).approval == "rejected"
    assert h.audit_entries("reject")[0].reason == "Reklam för en produkt."
    [note] = h.notifications_for(people.reporter, "rejected")
    assert "Reklam för en produkt." in note.text and "Köp vår produkt" in note.text
    # Approving or rejecting what does not wait is refused.
    client.post(f"/moderation/posts/{post.id}/approve", data={})
    assert h.fresh(post).approval == "rejected"
    assert h.audit_entries("approve") == []


def test_hiding_and_restoring_an_answer(client, login_as, people):
    challenge = h.post(people.author_org, "Hur når vi hyresgästerna?", kind="challenge")
    answer = h.answer(challenge, people.other_org, "Köp våra konsulttjänster!")
    report(client, login_as, people.author, answer, reason="spam", kind="answers")
    login_as(people.moderator)
    page = client.get("/moderation/").get_data(as_text=True)
    assert "Köp våra konsulttjänster!" in page
    response = client.post(f"/moderation/answers/{answer.id}/hide", data={"reason": "Reklam."}, headers=HX)
    assert response.status_code == 200
    assert f'id="queue-answer-{answer.id}"' in response.get_data(as_text=True)
    assert h.fresh(answer).hidden and h.fresh(answer).hidden_reason == "Reklam."
    assert [n.text for n in h.notifications_for(people.reporter, "answer_hidden")][0].endswith("Reklam.")
    client.post(f"/moderation/answers/{answer.id}/restore", data={})
    assert not h.fresh(answer).hidden
    assert [(e.action, e.target_type) for e in h.audit_entries()] == [("hide", "answer"), ("restore", "answer")]


def test_dismissing_reports_on_an_answer(client, login_as, people):
    challenge = h.post(people.author_org, "Hur når vi hyresgästerna?", kind="challenge")
    answer = h.answer(challenge, people.other_org)
    report(client, login_as, people.author, answer, kind="answers")
    login_as(people.moderator)
    assert client.post(f"/moderation/answers/{answer.id}/dismiss").status_code == 303
    assert h.reports_for("answer", answer.id)[0].resolution == "dismissed"
    assert not h.fresh(answer).hidden


def test_unknown_targets_are_404_not_500(client, login_as, people):
    login_as(people.moderator)
    assert client.post("/moderation/posts/999999/hide", data={"reason": "x"}).status_code == 404
    assert client.post("/moderation/answers/999999/hide", data={"reason": "x"}).status_code == 404
    assert client.post("/moderation/posts/999999/dismiss").status_code == 404
    assert client.post("/moderation/posts/1/explode").status_code == 404
    assert client.post("/moderation/posts/999999/feature", data={"reason": "x"}).status_code == 404
    assert client.post("/moderation/posts/999999/request-update").status_code == 404


# --- who may moderate ---------------------------------------------------------------------------

MODERATION_ACTIONS = [
    ("GET", "/moderation/"),
    ("GET", "/moderation/log"),
    ("GET", "/moderation/balance"),
    ("GET", "/moderation/posts/{post}/hide"),
    ("POST", "/moderation/posts/{post}/hide"),
    ("POST", "/moderation/posts/{post}/restore"),
    ("POST", "/moderation/posts/{pending}/approve"),
    ("POST", "/moderation/posts/{pending}/reject"),
    ("POST", "/moderation/posts/{post}/dismiss"),
    ("GET", "/moderation/posts/{post}/feature"),
    ("POST", "/moderation/posts/{post}/feature"),
    ("POST", "/moderation/posts/{post}/unfeature"),
    ("POST", "/moderation/posts/{post}/request-update"),
    ("POST", "/moderation/answers/{answer}/hide"),
    ("POST", "/moderation/answers/{answer}/restore"),
    ("POST", "/moderation/answers/{answer}/dismiss"),
    ("GET", "/examples/monthly/choose?post={post}"),
    ("POST", "/examples/monthly/choose"),
]


@pytest.fixture
def targets(people):
    post = h.post(people.author_org, featured=True, featured_reason="Lätt att kopiera.", featured_at=utcnow())
    challenge = h.post(people.author_org, "Hur når vi hyresgästerna?", kind="challenge")
    return {
        "post": post.id,
        "pending": h.post(people.other_org, "Väntar", approval="pending").id,
        "answer": h.answer(challenge, people.other_org).id,
    }


def _call(client, method, url, targets):
    url = url.format(**targets)
    data = {"reason": "Ett skäl", "post_id": str(targets["post"]), "month": "2025-05", "citation": "Bra!"}
    return client.get(url) if method == "GET" else client.post(url, data=data)


@pytest.mark.parametrize(("method", "url"), MODERATION_ACTIONS)
def test_members_get_403_on_every_moderation_action(client, login_as, people, targets, method, url):
    login_as(people.author)
    response = _call(client, method, url, targets)
    assert response.status_code == 403
    assert "Du har inte behörighet" in response.get_data(as_text=True)
    login_as(people.reporter)
    assert _call(client, method, url, targets).status_code == 403
    assert h.audit_entries() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("monthly_examples"))) == 0


@pytest.mark.parametrize(("method", "url"), MODERATION_ACTIONS)
def test_anonymous_visitors_are_sent_to_log_in(client, people, targets, method, url):
    response = _call(client, method, url, targets)
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
    assert h.audit_entries() == []


@pytest.mark.parametrize(("method", "url"), MODERATION_ACTIONS)
def test_moderators_without_their_second_factor_go_to_the_code_step(client, people, targets, method, url):
    with client.session_transaction() as session:
        session["_user_id"] = people.moderator.get_id()
        session["_fresh"] = True
    response = _call(client, method, url, targets)
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
    assert h.audit_entries() == []


def test_services_refuse_non_moderators_too(people):
    from werkzeug.exceptions import Forbidden

    from hub.moderation import service

    post = h.post(people.author_org)
    for call in (
        lambda: service.hide_post(people.author, post, "x"),
        lambda: service.restore_post(people.author, post),
        lambda: service.approve_post(people.author, post),
        lambda: service.reject_post(people.author, post, "x"),
        lambda: service.dismiss_reports(people.author, "post", post.id),
        lambda: service.feature_post(people.author, post, "x"),
        lambda: service.unfeature_post(people.author, post),
        lambda: service.request_update(people.author, post),
    ):
        with pytest.raises(Forbidden):
            call()
    assert not h.fresh(post).hidden


# --- the audit log --------------------------------------------------------------------------------


def test_every_decision_is_in_the_log(client, login_as, people):
    post = h.post(people.author_org, "Solceller på kommunens tak")
    waiting = h.post(people.other_org, "Första inlägget", approval="pending")
    rejected = h.post(people.other_org, "Andra försöket", approval="pending")
    challenge = h.post(people.author_org, "Hur når vi hyresgästerna?", kind="challenge")
    answer = h.answer(challenge, people.other_org)
    stale = h.age(h.post(people.author_org, "Gammal åtgärd"), 20)
    report(client, login_as, people.reporter, post)
    login_as(people.moderator)
    steps = [
        (f"/moderation/posts/{post.id}/dismiss", {"reason": "Stämmer"}, "dismiss"),
        (f"/moderation/posts/{post.id}/hide", {"reason": "Personuppgifter"}, "hide"),
        (f"/moderation/posts/{post.id}/restore", {"reason": ""}, "restore"),
        (f"/moderation/posts/{post.id}/feature", {"reason": "Går att kopiera rakt av."}, "feature"),
        (f"/moderation/posts/{post.id}/unfeature", {"reason": "Inaktuell"}, "unfeature"),
        (f"/moderation/posts/{waiting.id}/approve", {}, "approve"),
        (f"/moderation/posts/{rejected.id}/reject", {"reason": "Reklam"}, "reject"),
        (f"/moderation/answers/{answer.id}/hide", {"reason": "Off topic"}, "hide"),
        (f"/moderation/answers/{answer.id}/restore", {}, "restore"),
        (f"/moderation/posts/{stale.id}/request-update", {}, "request_update"),
    ]
    for url, data, action in steps:
        assert client.post(url, data=data).status_code == 303, url
        assert h.audit_entries()[-1].action == action
        assert h.audit_entries()[-1].actor_id == people.moderator.id
    assert len(h.audit_entries()) == len(steps)

    page = client.get("/moderation/log").get_data(as_text=True)
    assert "10 beslut" in page
    for text in ("Dold", "Återställd", "Anmälningar avfärdade", "Godkänd", "Avvisad", "Vald som Bra exempel",
                 "Inte längre Bra exempel", "Ombedd att uppdatera", "Personuppgifter", "Mona Moderator",
                 "Solceller på kommunens tak"):
        assert text in page, text


def test_the_log_is_filtered_and_paginated(client, login_as, people):
    post = h.post(people.author_org, "Solceller på kommunens tak")
    from hub.moderation import audit

    for i in range(55):
        audit.record(people.moderator, "hide", "post", post.id, f"skäl {i}")
    audit.record(people.admin, "restore", "answer", 4242, "adminens beslut")
    old = AuditEntry(actor_id=people.admin.id, action="approve", target_type="post", target_id=post.id,
                     reason="förra året", created_at=utcnow() - timedelta(days=400))
    db.session.add(old)
    db.session.commit()

    login_as(people.moderator)
    first = client.get("/moderation/log").get_data(as_text=True)
    assert "57 beslut" in first and "Sida 1 av 2" in first
    assert "skäl 54" in first and "förra året" not in first
    second = client.get("/moderation/log?page=2").get_data(as_text=True)
    assert "förra året" in second

    by_action = client.get("/moderation/log?action=restore").get_data(as_text=True)
    assert "1 beslut" in by_action and "adminens beslut" in by_action
    by_type = client.get("/moderation/log?target_type=answer").get_data(as_text=True)
    assert "1 beslut" in by_type
    by_actor = client.get(f"/moderation/log?actor={people.admin.id}").get_data(as_text=True)
    assert "2 beslut" in by_actor
    last_year = (utcnow() - timedelta(days=400)).date()
    ranged = client.get(f"/moderation/log?since={last_year - timedelta(days=1)}&until={last_year + timedelta(days=1)}")
    assert "1 beslut" in ranged.get_data(as_text=True) and "förra året" in ranged.get_data(as_text=True)

    fragment = client.get("/moderation/log?action=restore", headers=HX)
    assert fragment.get_data(as_text=True).lstrip().startswith('<div id="log-results"')
    assert "HX-Request" in fragment.headers["Vary"]

    # Garbage filters are ignored, never a 500.
    for query in ("action=%00drop", "target_type=x", "actor=abc", "actor=99999", "since=igår", "until=2025-13-45",
                  "page=-3", "page=abc", "page=9999"):
        assert client.get(f"/moderation/log?{query}").status_code == 200, query


def test_the_log_shows_the_people_admins_decisions_too(client, login_as, people):
    from hub.moderation import audit

    audit.record(people.admin, "grant_moderator", "user", people.colleague.id, "Ny i moderatorsgruppen")
    db.session.commit()
    login_as(people.moderator)
    page = client.get("/moderation/log?target_type=user").get_data(as_text=True)
    assert "Gav moderatorsroll" in page and "Olle" in page and "Ny i moderatorsgruppen" in page
    assert "Gav moderatorsroll" in client.get("/moderation/log?action=grant_moderator").get_data(as_text=True)


def test_audit_entries_are_never_edited_or_deleted(people):
    from hub.moderation import audit

    entry = audit.record(people.moderator, "hide", "post", 1, "skäl")
    db.session.commit()
    entry.reason = "ändrat i efterhand"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).reason == "skäl"


# --- balance and freshness ------------------------------------------------------------------------


def test_the_balance_panel_counts_featured_examples(client, login_as, people, make_org):
    boras = make_org("boras-stad", "Borås Stad", municipality="Borås")
    mobility = h.area("mobilitet", "Hållbar mobilitet")
    energy = h.area("energi", "Energi")
    now = utcnow()
    h.post(people.author_org, "A", areas=[mobility], featured=True, featured_reason="x", featured_at=now)
    h.post(people.author_org, "B", areas=[mobility, energy], featured=True, featured_reason="x", featured_at=now)
    h.post(boras, "C", areas=[energy])
    h.post(people.other_org, "D", areas=[mobility])
    h.post(people.other_org, "E", state="draft", featured=True)  # not public: not counted
    login_as(people.moderator)
    page = client.get("/moderation/balance").get_data(as_text=True)
    flat = " ".join(page.split())
    assert '<th scope="row"> Kommun </th> <td>2</td> <td>3</td>' in flat
    assert '<th scope="row"> Företag </th> <td>0</td> <td>1</td>' in flat
    assert '<th scope="row"> Kristianstad </th> <td>2</td> <td>3</td>' in flat or \
        '<th scope="row"> Kristianstad </th> <td>2</td> <td>2</td>' in flat
    assert '<th scope="row"> Borås </th> <td>0</td> <td>1</td>' in flat
    assert '<th scope="row"> Hållbar mobilitet </th> <td>2</td> <td>3</td>' in flat
    assert '<th scope="row"> Energi </th> <td>1</td> <td>2</td>' in flat
    assert "Kristianstads kommun: 2" in flat


def test_stale_solutions_and_asking_for_an_update(client, login_as, people):
    old = h.age(h.post(people.author_org, "Gammal åtgärd om belysning"), 19)
    h.age(h.post(people.author_org, "Ganska ny åtgärd"), 10)
    h.age(h.post(people.author_org, "Gammal lärdom", kind="lesson"), 30)
    h.age(h.post(people.author_org, "Gammalt dolt", hidden=True), 30)
    login_as(people.moderator)
    page = client.get("/moderation/balance").get_data(as_text=True)
    assert "Gammal åtgärd om belysning" in page
    assert "Ganska ny åtgärd" not in page and "Gammal lärdom" not in page and "Gammalt dolt" not in page
    assert "Be organisationen uppdatera" in page

    response = client.post(f"/moderation/posts/{old.id}/request-update", headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith(f'<tr id="stale-{old.id}"')
    assert "Organisationen har ombetts att uppdatera inlägget." in body
    for member in (people.author, people.colleague):
        [note] = h.notifications_for(member, "update_request")
        assert note.post_id == old.id and "Gammal åtgärd om belysning" in note.text
    [entry] = h.audit_entries("request_update")
    assert (entry.target_type, entry.target_id, entry.actor_id) == ("post", old.id, people.moderator.id)

    again = client.post(f"/moderation/posts/{old.id}/request-update", data={"next": "/moderation/balance"})
    assert again.status_code == 303
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "redan ombetts" in page and "Ombedd" in page
    assert len(h.notifications_for(people.author, "update_request")) == 1
    assert len(h.audit_entries("request_update")) == 1


def test_months_before_handles_month_ends():
    from datetime import UTC, datetime

    from hub.moderation.service import months_before

    assert months_before(datetime(2026, 8, 31, tzinfo=UTC), 18) == datetime(2025, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 18) == datetime(2024, 7, 15, tzinfo=UTC)


# --- on the post page -----------------------------------------------------------------------------


def test_the_post_page_offers_report_to_others_and_tools_to_moderators(client, login_as, people):
    post = h.post(people.author_org, "Solceller på kommunens tak")
    login_as(people.reporter)
    page = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert f'href="/posts/{post.id}/report"' in page
    report(client, login_as, people.reporter, post)
    page = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "Du har anmält det här inlägget." in page

    login_as(people.author)  # one's own post is not reported from its page
    assert f'href="/posts/{post.id}/report"' not in client.get(f"/posts/{post.id}").get_data(as_text=True)

    login_as(people.moderator)
    page = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "Dölj inlägget" in page and "Välj som Bra exempel" in page
    assert f"/moderation/posts/{post.id}/hide?next=/posts/{post.id}" in page.replace("%2F", "/")


def test_the_organisation_sees_why_its_post_was_rejected(client, login_as, people):
    post = h.post(people.other_org, "Köp vår produkt", approval="pending")
    login_as(people.reporter)
    assert "väntar på granskning" in client.get(f"/posts/{post.id}").get_data(as_text=True)
    login_as(people.moderator)
    page = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "Godkänn" in page and "Avvisa" in page
    client.post(f"/moderation/posts/{post.id}/reject", data={"reason": "Reklam för en produkt."})
    login_as(people.reporter)
    page = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "Moderatorns skäl: Reklam för en produkt." in page


def test_the_answer_report_link_and_the_moderators_hide_link(client, login_as, people):
    challenge = h.post(people.author_org, "Hur når vi hyresgästerna?", kind="challenge")
    answer = h.answer(challenge, people.other_org, "Vi knackade dörr i alla trapphus.")
    login_as(people.author)
    page = client.get(f"/posts/{challenge.id}").get_data(as_text=True)
    assert f"/answers/{answer.id}/report" in page
    login_as(people.moderator)
    page = client.get(f"/posts/{challenge.id}").get_data(as_text=True)
    assert f"/moderation/answers/{answer.id}/hide" in page
    login_as(people.colleague)
    client.post(f"/answers/{answer.id}/report", data={"reason": "annat"})
    assert "Du har anmält svaret." in client.get(f"/posts/{challenge.id}").get_data(as_text=True)


def test_a_first_post_waits_in_the_queue_until_approved(client, login_as, people):
    draft = h.post(people.other_org, "T-Kartors resepolicy", state="draft")
    login_as(people.reporter)
    assert client.post(f"/posts/{draft.id}/publish").status_code == 303
    draft = h.fresh(draft)
    assert (draft.state, draft.approval) == ("published", "pending")
    assert "väntar på granskning" in client.get(f"/posts/{draft.id}").get_data(as_text=True)
    assert len(h.notifications_for(people.moderator, "moderation")) == 1

    login_as(people.moderator)
    queue = client.get("/moderation/").get_data(as_text=True)
    assert "T-Kartors resepolicy" in queue
    client.post(f"/moderation/posts/{draft.id}/approve", data={})
    assert h.fresh(draft).is_public
    login_as(people.second_reporter)  # a colleague sees it published
    assert "väntar på granskning" not in client.get(f"/posts/{draft.id}").get_data(as_text=True)
    assert client.get(f"/api/v1/posts/{draft.id}").status_code == 200


def test_next_is_never_a_link_off_site_or_a_script(client, login_as, people):
    post = h.post(people.author_org)
    login_as(people.moderator)
    for evil in ("javascript:alert(1)", "https://evil.example/", "//evil.example/"):
        page = client.post(f"/moderation/posts/{post.id}/hide", data={"reason": "", "next": evil}).get_data(as_text=True)
        assert f'href="{evil}' not in page and f'value="{evil}' not in page
        page = client.get(f"/moderation/posts/{post.id}/feature?next={evil}").get_data(as_text=True)
        assert f'href="{evil}' not in page and f'value="{evil}' not in page
    login_as(people.reporter)
    page = client.post(f"/posts/{post.id}/report", data={"next": "javascript:alert(1)"}).get_data(as_text=True)
    assert 'href="javascript:' not in page and 'value="javascript:' not in page
