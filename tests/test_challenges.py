"""Challenges: answering, accepting, turning an answer into a solution, matching offers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from challenge_helpers import (
    StatementCounter,
    answer,
    area,
    notifications_for,
    orgs,  # noqa: F401  (fixture)
    people,  # noqa: F401  (fixture)
    post,
)

from hub.extensions import db
from hub.models import Answer, Follow, Post
from hub.posts import service as posts

HTMX = {"HX-Request": "true", "HX-Target": "answers"}
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}


@pytest.fixture
def challenge(orgs):
    return post(orgs[0], "challenge", "Hur får vi fler att cykla till jobbet?", areas=[area("mobilitet")])


def _answers(challenge) -> list[Answer]:
    return list(db.session.scalars(sa.select(Answer).where(Answer.post_id == challenge.id)))


# --- answering ------------------------------------------------------------------------------


def test_another_organisation_answers_and_the_answer_is_listed_with_it(client, login_as, people, challenge):
    login_as(people[1])
    response = client.post(f"/posts/{challenge.id}/answers", data={"body": "Vi gav **alla** cykelförmån."})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/posts/{challenge.id}#answers")

    page = client.get(f"/posts/{challenge.id}").get_data(as_text=True)
    assert "T-Kartor" in page
    assert "<strong>alla</strong>" in page


def test_nobody_answers_their_own_organisations_challenge(client, login_as, people, challenge):
    login_as(people[0])
    response = client.post(f"/posts/{challenge.id}/answers", data={"body": "Svar till oss själva"})
    assert response.status_code == 403
    assert _answers(challenge) == []


def test_the_own_organisation_sees_no_answer_form(client, login_as, people, challenge):
    login_as(people[0])
    page = client.get(f"/posts/{challenge.id}/answers").get_data(as_text=True)
    assert "Skicka svaret" not in page
    login_as(people[1])
    assert "Skicka svaret" in client.get(f"/posts/{challenge.id}/answers").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_saved(client, people, challenge):
    response = client.post(f"/posts/{challenge.id}/answers", data={"body": "Hej"})
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
    htmx = client.post(f"/posts/{challenge.id}/answers", data={"body": "Hej"}, headers=HTMX)
    assert "/login" in htmx.headers["HX-Redirect"]
    assert _answers(challenge) == []


def test_answering_with_htmx_returns_the_updated_answer_list(client, login_as, people, challenge):
    login_as(people[1])
    response = client.post(f"/posts/{challenge.id}/answers", data={"body": "Cykelgarage vid stationen"},
                           headers=HTMX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert 'id="answers"' in html
    assert "Cykelgarage vid stationen" in html
    assert "Ert svar är publicerat." in html
    assert "HX-Request" in response.headers["Vary"]


def test_a_boosted_answer_gets_the_redirect_like_a_plain_form(client, login_as, people, challenge):
    login_as(people[1])
    response = client.post(f"/posts/{challenge.id}/answers", data={"body": "Med boost"}, headers=BOOSTED)
    assert response.status_code == 303


def test_an_empty_answer_is_refused_next_to_the_field(client, login_as, people, challenge):
    login_as(people[1])
    plain = client.post(f"/posts/{challenge.id}/answers", data={"body": "   "})
    assert plain.status_code == 422
    assert "Skriv ett svar." in plain.get_data(as_text=True)
    htmx = client.post(f"/posts/{challenge.id}/answers", data={"body": ""}, headers=HTMX)
    assert htmx.status_code == 200
    assert htmx.headers["HX-Reswap"] == "outerHTML"
    assert "Skriv ett svar." in htmx.get_data(as_text=True)
    assert _answers(challenge) == []


def test_an_answer_links_any_published_solution(client, login_as, orgs, people, challenge):
    theirs = post(orgs[2], "solution", "Cykelvänlig arbetsplats i Borås")
    login_as(people[1])
    client.post(f"/posts/{challenge.id}/answers", data={"body": "Se Borås", "solution_id": str(theirs.id)})
    (saved,) = _answers(challenge)
    assert saved.solution_id == theirs.id
    page = client.get(f"/posts/{challenge.id}/answers").get_data(as_text=True)
    assert f'href="/posts/{theirs.id}"' in page


@pytest.mark.parametrize("bad", ["draft", "challenge", "abc", "-1", "99999999999999999999", "0", "١٢"])
def test_a_solution_link_must_be_a_published_solution(client, login_as, orgs, people, challenge, bad):
    draft = post(orgs[1], "solution", "Utkast", state="draft")
    other_challenge = post(orgs[2], "challenge", "En annan utmaning")
    value = {"draft": str(draft.id), "challenge": str(other_challenge.id)}.get(bad, bad)
    login_as(people[1])
    response = client.post(f"/posts/{challenge.id}/answers", data={"body": "Svar", "solution_id": value})
    assert response.status_code == 422
    assert "Välj en publicerad åtgärd." in response.get_data(as_text=True)
    assert _answers(challenge) == []


@pytest.mark.parametrize("kind_or_state", ["draft", "solution", "missing", "huge"])
def test_only_published_challenges_take_answers(client, login_as, orgs, people, kind_or_state):
    target = {
        "draft": lambda: post(orgs[0], "challenge", state="draft").id,
        "solution": lambda: post(orgs[0], "solution").id,
        "missing": lambda: 4242,
        "huge": lambda: 10**30,
    }[kind_or_state]()
    login_as(people[1])
    assert client.post(f"/posts/{target}/answers", data={"body": "Hej"}).status_code == 404
    assert client.get(f"/posts/{target}/answers").status_code == 404


def test_an_answer_notifies_the_challenge_organisation_and_followers_once_each(
    client, login_as, orgs, people, challenge, make_user
):
    asker, helper, third = people
    colleague = make_user("kollega@kristianstad.se", org=orgs[0])
    db.session.add_all([
        Follow(user_id=third.id, target_type="post", target_id=challenge.id),
        Follow(user_id=colleague.id, target_type="post", target_id=challenge.id),  # member and follower
    ])
    db.session.commit()
    login_as(helper)
    client.post(f"/posts/{challenge.id}/answers", data={"body": "Så här gjorde vi"})

    for user in (asker, colleague, third):
        (note,) = notifications_for(user, "answer")
        assert note.post_id == challenge.id
        assert note.actor_organisation_id == orgs[1].id
    assert notifications_for(helper) == []


def test_answer_fan_out_is_one_statement_however_many_follow(app, orgs, people, challenge, make_user):
    from hub.challenges import service

    followers = [make_user(f"f{i}@boras.se", org=orgs[2]) for i in range(25)]
    db.session.add_all(Follow(user_id=u.id, target_type="post", target_id=challenge.id) for u in followers)
    db.session.commit()
    with StatementCounter() as counter:
        service.add_answer(challenge, people[1], "Ett svar")
    assert len(counter.matching("INSERT INTO notifications")) == 1
    assert sum(len(notifications_for(u, "answer")) for u in followers) == 25


# --- accepting ------------------------------------------------------------------------------


def test_the_challenge_organisation_accepts_an_answer_and_the_challenge_is_solved(
    client, login_as, orgs, people, challenge
):
    first = answer(challenge, orgs[2], "Ett tidigt svar")
    chosen = answer(challenge, orgs[1], "Svaret som löste det")
    login_as(people[0])
    response = client.post(f"/answers/{chosen.id}/accept")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/posts/{challenge.id}#answer-{chosen.id}")
    db.session.expire_all()
    assert chosen.accepted and not first.accepted
    assert db.session.get(Post, challenge.id).status == "lost"

    page = client.get(f"/posts/{challenge.id}/answers").get_data(as_text=True)
    assert page.index("Svaret som löste det") < page.index("Ett tidigt svar")
    assert "Löste utmaningen" in page
    assert "Ångra markeringen som lösning" in page
    (note,) = notifications_for(people[1], "accepted")
    assert note.post_id == challenge.id


@pytest.mark.parametrize("who", ["answerer", "third"])
def test_only_the_challenge_organisation_accepts_or_unaccepts(client, login_as, orgs, people, challenge, who):
    given = answer(challenge, orgs[1])
    login_as(people[1] if who == "answerer" else people[2])
    assert client.post(f"/answers/{given.id}/accept").status_code == 403
    db.session.expire_all()
    assert not given.accepted and challenge.status == "oppen"
    given.accepted = True
    db.session.commit()
    assert client.post(f"/answers/{given.id}/unaccept").status_code == 403
    db.session.expire_all()
    assert given.accepted


def test_anonymous_accept_goes_to_login(client, orgs, people, challenge):
    given = answer(challenge, orgs[1])
    response = client.post(f"/answers/{given.id}/accept")
    assert "/login" in response.headers["Location"]
    db.session.expire_all()
    assert not given.accepted


def test_accepting_another_answer_moves_the_mark_and_unaccepting_reopens(client, login_as, orgs, people, challenge):
    one = answer(challenge, orgs[1], "Ett")
    two = answer(challenge, orgs[2], "Två")
    login_as(people[0])
    client.post(f"/answers/{one.id}/accept")
    client.post(f"/answers/{two.id}/accept", headers=BOOSTED)
    db.session.expire_all()
    assert (one.accepted, two.accepted) == (False, True)

    response = client.post(f"/answers/{two.id}/unaccept", headers=BOOSTED)
    assert response.status_code == 303
    db.session.expire_all()
    assert not two.accepted
    assert db.session.get(Post, challenge.id).status == "oppen"


def test_accepting_twice_notifies_once(client, login_as, orgs, people, challenge):
    given = answer(challenge, orgs[1])
    login_as(people[0])
    client.post(f"/answers/{given.id}/accept")
    client.post(f"/answers/{given.id}/accept")
    assert len(notifications_for(people[1], "accepted")) == 1


@pytest.mark.parametrize("action", ["accept", "unaccept", "to-solution"])
@pytest.mark.parametrize("ident", ["4242", "99999999999999999999"])
def test_unknown_answers_are_404(client, login_as, people, action, ident):
    login_as(people[0])
    assert client.post(f"/answers/{ident}/{action}").status_code == 404


def test_a_hidden_answer_cannot_be_accepted_and_shows_only_to_its_organisation(
    client, login_as, orgs, people, challenge
):
    hidden = answer(challenge, orgs[1], "Dold reklam", hidden=True, hidden_reason="Reklam")
    login_as(people[0])
    assert client.post(f"/answers/{hidden.id}/accept").status_code == 404
    assert "Dold reklam" not in client.get(f"/posts/{challenge.id}/answers").get_data(as_text=True)
    login_as(people[1])
    page = client.get(f"/posts/{challenge.id}/answers").get_data(as_text=True)
    assert "Dold reklam" in page and "Reklam" in page


# --- from answer to solution ----------------------------------------------------------------


def test_the_answering_organisation_turns_its_accepted_answer_into_a_draft_solution(
    client, login_as, orgs, people, challenge
):
    given = answer(challenge, orgs[1], "Vi köpte lådcyklar.\n\nMer detaljer här.", accepted=True)
    login_as(people[1])
    response = client.post(f"/answers/{given.id}/to-solution")
    assert response.status_code == 303
    db.session.expire_all()
    solution = db.session.get(Post, given.resulting_post_id)
    assert response.headers["Location"].endswith(f"/posts/{solution.id}/edit")
    assert solution.kind == "solution" and solution.state == "draft"
    assert solution.organisation_id == orgs[1].id
    assert solution.related_post_id == challenge.id
    assert solution.summary == "Vi köpte lådcyklar."
    assert [a.slug for a in solution.focus_areas] == ["mobilitet"]

    # Published, it is linked from the answer under the challenge.
    solution.state = "published"
    solution.published_at = solution.created_at
    db.session.commit()
    page = client.get(f"/posts/{challenge.id}").get_data(as_text=True)
    assert "Svaret blev åtgärden" in page and f'href="/posts/{solution.id}"' in page

    again = client.post(f"/answers/{given.id}/to-solution")
    assert again.headers["Location"] == response.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count(Post.id)).where(Post.kind == "solution")) == 1


def test_a_solution_made_from_an_answer_links_its_challenge_and_the_answer_links_the_solution(
    client, login_as, orgs, people, challenge
):
    given = answer(challenge, orgs[1], "Vi köpte lådcyklar.", accepted=True)
    login_as(people[1])
    client.post(f"/answers/{given.id}/to-solution")
    db.session.expire_all()
    solution = db.session.get(Post, given.resulting_post_id)
    draft = client.get(f"/posts/{solution.id}").get_data(as_text=True)
    assert "Från utmaningen" in draft
    assert draft.count(f'href="/posts/{challenge.id}"') == 1  # on the page once, not again in the text

    # Completing the draft keeps the link.
    posts.update_post(solution, people[1], {"title": "Lådcyklar i hemtjänsten", "summary": "Vi köpte lådcyklar.",
                                            "focus_areas": [a.id for a in solution.focus_areas]}, version=None)
    solution.state = "published"
    solution.published_at = solution.created_at
    db.session.commit()
    client.post("/logout")
    page = client.get(f"/posts/{solution.id}").get_data(as_text=True)
    link = page.split("Från utmaningen", 1)[1]
    assert link.split("</dd>", 1)[0].count(f'href="/posts/{challenge.id}"') == 1
    assert challenge.title in link
    thread = client.get(f"/posts/{challenge.id}").get_data(as_text=True)
    assert "Svaret blev åtgärden" in thread and f'href="/posts/{solution.id}"' in thread


@pytest.mark.parametrize("who", ["asker", "third", "not-accepted"])
def test_only_the_answering_organisation_turns_an_accepted_answer_into_a_solution(
    client, login_as, orgs, people, challenge, who
):
    given = answer(challenge, orgs[1], accepted=who != "not-accepted")
    login_as({"asker": people[0], "third": people[2], "not-accepted": people[1]}[who])
    assert client.post(f"/answers/{given.id}/to-solution").status_code == 403
    db.session.expire_all()
    assert given.resulting_post_id is None


# --- offers ---------------------------------------------------------------------------------


def test_a_challenge_lists_matching_published_offers(client, orgs, challenge):
    energi = area("energi")
    post(orgs[1], "offer", "Cykelcoachning för kommuner", areas=[area("mobilitet")], audience=["kommun"])
    post(orgs[1], "offer", "Stöd för alla", areas=[area("mobilitet")], audience=[])
    post(orgs[1], "offer", "Bara för företag", areas=[area("mobilitet")], audience=["foretag"])
    post(orgs[1], "offer", "Energirådgivning", areas=[energi], audience=["kommun"])
    post(orgs[1], "offer", "Opublicerat stöd", areas=[area("mobilitet")], audience=["kommun"], state="draft")

    page = client.get(f"/posts/{challenge.id}").get_data(as_text=True)
    assert "Stöd som kan hjälpa" in page
    offers = page.split('aria-labelledby="offers-heading"', 1)[1].split("</section>", 1)[0]
    assert "Cykelcoachning för kommuner" in offers
    assert "Stöd för alla" in offers
    for absent in ("Bara för företag", "Energirådgivning", "Opublicerat stöd"):
        assert absent not in offers


def test_fitting_offers_are_found_past_newer_ones_for_others_good_examples_first(client, orgs, challenge):
    """Candidates come from the search a page at a time: offers for other kinds of actor fill
    the first page, and the fitting ones behind them still show, the good example first."""
    mobility = area("mobilitet")
    post(orgs[1], "offer", "Utvalt stöd för kommuner", areas=[mobility], audience=["kommun"], featured=True)
    post(orgs[1], "offer", "Nyare stöd för kommuner", areas=[mobility], audience=["kommun"])
    for n in range(30):
        post(orgs[1], "offer", f"Stöd för företag {n}", areas=[mobility], audience=["foretag"])

    page = client.get(f"/posts/{challenge.id}").get_data(as_text=True)
    offers = page.split('aria-labelledby="offers-heading"', 1)[1].split("</section>", 1)[0]
    assert "Stöd för företag" not in offers
    assert offers.index("Utvalt stöd för kommuner") < offers.index("Nyare stöd för kommuner")


def test_accepting_reaches_the_search_index_and_the_solved_filter(client, login_as, orgs, people, challenge):
    from hub import search
    from hub.search import SearchQuery

    given = answer(challenge, orgs[1])
    solved = SearchQuery.from_args({"status": "lost", "kind": "challenge"})
    assert challenge.id not in [h.post_id for h in search.query(solved).hits]
    login_as(people[0])
    client.post(f"/answers/{given.id}/accept")
    assert [h.post_id for h in search.query(solved).hits] == [challenge.id]
    client.post(f"/answers/{given.id}/unaccept")
    assert search.query(solved).hits == []


# --- search before posting ------------------------------------------------------------------


@pytest.fixture
def existing(orgs):
    return [
        post(orgs[1], "solution", "Cykelförmån för alla anställda", summary="Förmånscyklar minskade bilpendlingen."),
        post(orgs[2], "lesson", "Lärdomar från cykelpendling i Borås", summary="Cykelparkering avgör."),
        post(orgs[2], "offer", "Cykelcoachning", summary="Vi coachar cykelpendlare."),
        post(orgs[1], "solution", "Solceller på taket", summary="Egen el."),
    ]


def test_similar_posts_appear_for_the_typed_text(client, existing):
    url = "/posts/similar?title=Cykelpendling&body=Hur+får+vi+anställda+att+cykla"
    fragment = client.get(url, headers={"HX-Request": "true", "HX-Target": "similar-suggestions"})
    assert fragment.status_code == 200
    html = fragment.get_data(as_text=True)
    assert "<html" not in html
    assert "Lärdomar från cykelpendling i Borås" in html
    assert "Solceller på taket" not in html
    assert "Cykelcoachning" not in html  # offers are not what a challenge asks for
    assert "HX-Request" in fragment.headers["Vary"]

    page = client.get(url)
    assert page.status_code == 200
    assert "<html" in page.get_data(as_text=True)
    assert "Lärdomar från cykelpendling i Borås" in page.get_data(as_text=True)


@pytest.mark.parametrize("query", ["", "?title=", "?title=((", "?title=" + "å" * 20000, "?body=%00%00",
                                   "?title=AND+OR+NOT"])
def test_similar_never_fails_on_odd_input(client, existing, query):
    response = client.get("/posts/similar" + query, headers={"HX-Request": "true"})
    assert response.status_code == 200


def test_visa_liknande_without_javascript_keeps_the_typed_challenge(client, login_as, people, existing):
    login_as(people[0])
    form = client.get("/posts/new?kind=challenge").get_data(as_text=True)
    assert "Visa liknande" in form
    assert 'formaction="/posts/similar"' in form
    response = client.post("/posts/similar", data={
        "title": "Cykelpendling", "summary": "Vi vill att fler cyklar", "body": "Hur får vi anställda att cykla?",
        "tried": "Kampanjer", "help_wanted": "Erfarenheter",
    })
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'value="Cykelpendling"' in page
    assert "Hur får vi anställda att cykla?" in page
    assert "Kampanjer" in page
    assert "Lärdomar från cykelpendling i Borås" in page
    assert db.session.scalar(sa.select(sa.func.count(Post.id)).where(Post.title == "Cykelpendling")) == 0


# --- JSON -----------------------------------------------------------------------------------


def test_challenges_in_the_api_carry_their_status_and_answers(client, orgs, challenge):
    theirs = post(orgs[2], "solution", "Cykelvänlig arbetsplats")
    early = answer(challenge, orgs[2], "Tidigt svar", solution_id=theirs.id)
    chosen = answer(challenge, orgs[1], "Valt svar", accepted=True)
    answer(challenge, orgs[1], "Dolt svar", hidden=True, hidden_reason="Reklam")
    challenge.status = "lost"
    db.session.commit()

    data = client.get(f"/api/v1/posts/{challenge.id}").get_json()
    assert data["status"] == "lost"
    assert [a["id"] for a in data["answers"]] == [chosen.id, early.id]
    first, second = data["answers"]
    assert first["accepted"] is True and second["accepted"] is False
    assert first["organisation"] == {"slug": "t-kartor", "name": "T-Kartor"}
    assert second["solution_id"] == theirs.id and first["solution_id"] is None
    assert set(first) == {"id", "organisation", "body_html", "solution_id", "accepted", "created_at"}
    assert "Dolt svar" not in str(data)

    listed = client.get("/api/v1/posts?kind=challenge").get_json()["items"]
    assert [a["id"] for a in listed[0]["answers"]] == [chosen.id, early.id]
    solution = client.get(f"/api/v1/posts/{theirs.id}").get_json()
    assert "answers" not in solution


def test_answer_bodies_are_sanitised(client, login_as, people, challenge):
    login_as(people[1])
    client.post(f"/posts/{challenge.id}/answers",
                data={"body": '<script>alert(1)</script><img src=x onerror=alert(2)> [länk](javascript:alert(3))'})
    (saved,) = _answers(challenge)
    for html in (saved.body_html, client.get(f"/posts/{challenge.id}").get_data(as_text=True).split("<main", 1)[1],
                 str(client.get(f"/api/v1/posts/{challenge.id}").get_json()["answers"])):
        assert "<script>alert" not in html and "onerror" not in html and "javascript:" not in html
