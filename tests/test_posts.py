"""Sharing posts: who may write what, what the public sees, forms that keep what was typed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.exceptions import Forbidden

from hub.extensions import db
from hub.models import Notification, Post, SubmissionKey
from hub.posts import service
from test_posts_fixtures import HX, form_fields, make_post, post_data, world  # noqa: F401


def page_text(response) -> str:
    return response.get_data(as_text=True)


# --- reading: what the public sees -----------------------------------------------------------


def test_anyone_reads_a_published_post_with_its_organisation_and_commitments(client, world):
    post = make_post(world, world.anna, commitments=[world.ks_commitments[3].id])
    response = client.get(f"/posts/{post.id}")
    assert response.status_code == 200
    page = page_text(response)
    assert "Klimatsmart upphandling av livsmedel" in page
    assert "Kristianstads kommun" in page
    assert "Lokalt klimatkontrakt Kristianstad" in page
    assert f"/contracts/{world.contract.id}#commitment-{world.ks_commitments[3].id}" in page
    assert "Efterfråga klimatsmarta lösningar i upphandling." in page
    assert "<strong>kött och mejeri</strong>" in page


def test_list_shows_published_posts_and_filters_by_kind_area_and_organisation(client, world):
    make_post(world, world.anna, title="Upphandling med klimatkrav")
    make_post(world, world.tove, kind="lesson", title="Lärdom om resepolicy", focus_areas=[world.areas[0].id])
    make_post(world, world.britt, kind="challenge", title="Laddplatser i bostadsrätter",
              focus_areas=[world.areas[2].id], status="oppen")

    everything = page_text(client.get("/posts/"))
    assert "Upphandling med klimatkrav" in everything
    assert "Lärdom om resepolicy" in everything
    assert "Laddplatser i bostadsrätter" in everything

    lessons = page_text(client.get("/posts/?kind=lesson"))
    assert "<h1>Lärdomar</h1>" in lessons
    assert "Lärdom om resepolicy" in lessons
    assert "Upphandling med klimatkrav" not in lessons

    energy = page_text(client.get("/posts/?area=energi&area=upphandling"))
    assert "Laddplatser i bostadsrätter" in energy
    assert "Upphandling med klimatkrav" in energy
    assert "Lärdom om resepolicy" not in energy

    borås = page_text(client.get("/posts/?org=boras-stad"))
    assert "Laddplatser i bostadsrätter" in borås
    assert "Upphandling med klimatkrav" not in borås


def test_list_pages_through_many_posts(client, world):
    for n in range(23):
        make_post(world, world.anna, title=f"Åtgärd nummer {n:02d}")
    first = page_text(client.get("/posts/"))
    assert "23 inlägg" in first
    assert "Åtgärd nummer 22" in first and "Åtgärd nummer 02" not in first
    assert 'rel="next"' in first
    second = page_text(client.get("/posts/?page=2"))
    assert "Åtgärd nummer 02" in second and "Åtgärd nummer 22" not in second
    # A page past the end shows the last page instead of nothing.
    assert "Åtgärd nummer 00" in page_text(client.get("/posts/?page=999"))


@pytest.mark.parametrize(
    "query",
    [
        "page=abc", "page=-1", "page=0", "page=99999999999999999999", "kind=xyz", "area=nope", "area=%00",
        "org=finns-inte", "org=%3Cscript%3E", "kind=solution&kind=solution&area=", "per_page=abc",
    ],
)
def test_garbage_list_parameters_never_break_the_list(client, world, query):
    make_post(world, world.anna)
    response = client.get(f"/posts/?{query}")
    assert response.status_code == 200
    assert "Klimatsmart upphandling av livsmedel" in page_text(response)


def test_unknown_post_and_unknown_kind_of_new_post(client, world):
    assert client.get("/posts/999999").status_code == 404
    assert client.get("/posts/abc").status_code == 404


@pytest.mark.parametrize("state", ["draft", "pending", "hidden", "archived", "rejected"])
def test_posts_that_are_not_public_appear_nowhere_public(client, world, state):
    post = make_post(world, world.anna, title="Hemligt utkast om fjärrvärme", publish=state != "draft")
    if state == "pending":
        post.approval = "pending"
    elif state == "hidden":
        post.hidden, post.hidden_reason = True, "Felaktiga siffror"
    elif state == "archived":
        service.archive_post(post, world.anna)
    elif state == "rejected":
        post.approval = "rejected"
    db.session.commit()

    assert "Hemligt utkast" not in page_text(client.get("/posts/"))
    assert "Hemligt utkast" not in page_text(client.get("/posts/?org=kristianstads-kommun"))
    assert client.get(f"/posts/{post.id}").status_code == 404
    assert client.get(f"/api/v1/posts/{post.id}").status_code == 404
    assert post.id not in [item["id"] for item in client.get("/api/v1/posts").get_json()["items"]]
    assert db.session.scalar(service.public_posts().where(Post.id == post.id)) is None


def test_members_see_their_own_non_public_posts_with_where_they_stand(client, world, login_as):
    post = make_post(world, world.anna, title="Utkast om solceller", publish=False)
    hidden = make_post(world, world.anna, title="Dolt inlägg om biogas")
    hidden.hidden, hidden.hidden_reason = True, "Innehåller personuppgifter"
    db.session.commit()

    login_as(world.karl)  # another member of the same organisation
    draft_page = page_text(client.get(f"/posts/{post.id}"))
    assert "Det här är ett utkast" in draft_page
    hidden_page = page_text(client.get(f"/posts/{hidden.id}"))
    assert "dolt av en moderator" in hidden_page
    assert "Innehåller personuppgifter" in hidden_page
    mine = page_text(client.get("/posts/mine"))
    assert "Utkast om solceller" in mine and "Dolt inlägg om biogas" in mine

    login_as(world.tove)  # another organisation
    assert client.get(f"/posts/{post.id}").status_code == 404
    assert client.get(f"/posts/{hidden.id}").status_code == 404
    assert "Utkast om solceller" not in page_text(client.get("/posts/mine"))


# --- premoderation ----------------------------------------------------------------------------


def test_first_post_of_an_organisation_waits_for_a_moderator(client, app, world, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "HUB_PREMODERATION", "first")
    first = make_post(world, world.anna, title="Vårt första inlägg")
    assert first.state == "published" and first.approval == "pending"
    assert not first.is_public
    queued = db.session.scalars(select(Notification).where(Notification.kind == "moderation")).all()
    assert [n.user_id for n in queued] == [world.moderator.id]
    assert queued[0].post_id == first.id

    login_as(world.anna)
    assert "väntar på granskning" in page_text(client.get(f"/posts/{first.id}"))
    login_as(world.tove)
    assert client.get(f"/posts/{first.id}").status_code == 404

    # Still waiting: the next one waits too. Once one is approved, later posts go straight out.
    second = make_post(world, world.anna, title="Vårt andra inlägg")
    assert second.approval == "pending"
    first.approval = "approved"
    db.session.commit()
    third = make_post(world, world.anna, title="Vårt tredje inlägg")
    assert third.approval == "approved" and third.is_public


def test_premoderation_off_and_all(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "HUB_PREMODERATION", "off")
    assert make_post(world, world.anna).approval == "approved"
    monkeypatch.setitem(app.config, "HUB_PREMODERATION", "all")
    assert make_post(world, world.anna).approval == "pending"
    assert make_post(world, world.tove).approval == "pending"


def test_publishing_from_the_form_says_when_the_post_waits(client, app, world, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "HUB_PREMODERATION", "first")
    login_as(world.anna)
    response = client.post("/posts/new?kind=solution", data=form_fields(world), follow_redirects=True)
    page = page_text(response)
    assert "väntar på granskning" in page


# --- creating ---------------------------------------------------------------------------------


def test_member_creates_and_publishes_a_solution_with_the_form(client, world, login_as):
    login_as(world.anna)
    form = page_text(client.get("/posts/new?kind=solution"))
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', form).group(1)
    fields = form_fields(world, submission_key=key, commitments=[str(world.ks_commitments[2].id)])
    response = client.post("/posts/new?kind=solution", data=fields)
    assert response.status_code == 303
    post = db.session.scalar(select(Post).where(Post.title == "Cykelpool för tjänsteresor"))
    assert response.headers["Location"].endswith(f"/posts/{post.id}")
    assert post.is_public and post.organisation_id == world.kristianstad.id and post.author_id == world.anna.id
    assert post.reduction_tonnes == 3.5 and post.start_year == 2022 and post.status == "genomford"
    assert post.tags == ["cykel", "tjänsteresor"]
    assert [c.id for c in post.commitments] == [world.ks_commitments[2].id]
    page = page_text(client.get(f"/posts/{post.id}"))
    assert "3,5 ton CO₂e per år" in page
    assert "Laddplatser och ett bokningssystem." in page


def test_save_as_draft_keeps_the_post_private(client, world, login_as):
    login_as(world.anna)
    response = client.post("/posts/new?kind=solution", data=form_fields(world, action="save"))
    assert response.status_code == 303
    post = db.session.scalar(select(Post))
    assert post.state == "draft"


@pytest.mark.parametrize(
    ("kind", "fields", "shown"),
    [
        ("lesson", {"lesson_type": "beteende", "do_differently": "Börja med cheferna."}, "Börja med cheferna."),
        ("challenge", {"status": "oppen", "tried": "Enkäter.", "help_wanted": "Erfarenhet av laddning."},
         "Erfarenhet av laddning."),
        ("offer", {"audience": ["foretag", "forening"]}, "Företag, Förening"),
    ],
)
def test_each_kind_saves_its_own_fields(client, world, login_as, kind, fields, shown):
    login_as(world.anna)
    data = {k: v for k, v in form_fields(world).items() if k in ("title", "summary", "body", "focus_areas", "action")}
    data.update(fields)
    response = client.post(f"/posts/new?kind={kind}", data=data)
    assert response.status_code == 303, page_text(response)
    post = db.session.scalar(select(Post))
    assert post.kind == kind and post.is_public
    assert shown in page_text(client.get(f"/posts/{post.id}"))


def test_new_without_a_known_kind_offers_the_kinds(client, world, login_as):
    login_as(world.anna)
    for url in ("/posts/new", "/posts/new?kind=xyz"):
        page = page_text(client.get(url))
        assert "Vad vill ni dela?" in page
        assert "/posts/new?kind=offer" in page


def test_double_submit_creates_one_post(client, world, login_as):
    login_as(world.anna)
    form = page_text(client.get("/posts/new?kind=solution"))
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', form).group(1)
    first = client.post("/posts/new?kind=solution", data=form_fields(world, submission_key=key))
    second = client.post("/posts/new?kind=solution", data=form_fields(world, submission_key=key))
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1
    assert db.session.get(SubmissionKey, key).user_id == world.anna.id
    # A fresh form gets a fresh key and makes a second post.
    form = page_text(client.get("/posts/new?kind=solution"))
    other = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', form).group(1)
    assert other != key
    client.post("/posts/new?kind=solution", data=form_fields(world, submission_key=other))
    assert db.session.scalar(select(func.count()).select_from(Post)) == 2


def test_another_users_submission_key_is_refused(client, world, login_as):
    key = service.new_submission_key()
    service.create_post(world.karl, "solution", post_data(world), submission_key=key)
    login_as(world.anna)
    response = client.post("/posts/new?kind=solution", data=form_fields(world, submission_key=key),
                           follow_redirects=True)
    assert "Formuläret har redan använts" in page_text(response)
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_validation_errors_are_swedish_next_to_the_fields_and_keep_the_input(client, world, login_as):
    login_as(world.anna)
    fields = form_fields(
        world,
        title="",
        summary="Min sammanfattning som ska finnas kvar",
        body="Brödtext som ska finnas kvar",
        focus_areas=[str(a.id) for a in world.areas],  # four: one too many
        start_year="2030",
        end_year="2020",
        reduction_tonnes="mycket",
        commitments=[str(world.tk_commitments[0].id)],  # another organisation's commitment
    )
    response = client.post("/posts/new?kind=solution", data=fields)
    assert response.status_code == 422
    page = page_text(response)
    assert re.search(r'id="title-error">Skriv en rubrik\.', page)
    assert re.search(r'id="end_year-error">Slutåret kan inte vara före startåret\.', page)
    assert "Välj ett till tre fokusområden." in page
    assert "Ange ett tal, till exempel 12,5." in page
    assert re.search(r'id="commitments-error">Välj bland alternativen', page)
    assert "Min sammanfattning som ska finnas kvar" in page
    assert "Brödtext som ska finnas kvar" in page
    assert 'value="mycket"' in page
    assert db.session.scalar(select(func.count()).select_from(Post)) == 0


def test_invalid_form_with_htmx_is_swapped_in_with_status_200(client, world, login_as):
    login_as(world.anna)
    response = client.post("/posts/new?kind=solution", data=form_fields(world, title=""), headers=HX)
    assert response.status_code == 200
    assert response.headers["HX-Reswap"] == "outerHTML"
    page = page_text(response)
    assert "<html" not in page and "Skriv en rubrik." in page


def test_service_refuses_another_organisations_commitments_and_bad_values(world):
    with pytest.raises(service.InvalidPost) as refused:
        service.create_post(world.anna, "solution", post_data(world, commitments=[world.tk_commitments[0].id]))
    assert "commitments" in refused.value.errors
    with pytest.raises(service.InvalidPost) as refused:
        service.create_post(world.anna, "solution", post_data(world, focus_areas=[]))
    assert "focus_areas" in refused.value.errors
    with pytest.raises(service.InvalidPost) as refused:
        service.create_post(world.anna, "offer", post_data(world, audience=["aliens"]))
    assert "audience" in refused.value.errors
    with pytest.raises(service.InvalidPost):
        service.create_post(world.anna, "poem", post_data(world))
    post, _ = service.create_post(world.anna, "solution", post_data(world, commitments=[world.ks_commitments[0].id]))
    assert [c.id for c in post.commitments] == [world.ks_commitments[0].id]


def test_a_lesson_links_only_to_its_own_organisations_solution_or_challenge(client, world):
    own = make_post(world, world.anna, title="Vår åtgärd")
    other = make_post(world, world.tove, title="Deras åtgärd")
    with pytest.raises(service.InvalidPost):
        service.create_post(world.anna, "lesson", post_data(world, related_post=other.id))
    lesson, _ = service.create_post(world.anna, "lesson", post_data(world, related_post=own.id, title="Vår lärdom"))
    service.publish_post(lesson, world.anna)
    assert "Vår åtgärd" in page_text(client.get(f"/posts/{lesson.id}"))
    assert "Vår lärdom" in page_text(client.get(f"/posts/{own.id}"))


# --- permissions: the allowed and the refused actor --------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_for_every_write(client, world):
    post = make_post(world, world.anna)
    for method, url in [
        ("get", "/posts/new?kind=solution"),
        ("post", "/posts/new?kind=solution"),
        ("get", f"/posts/{post.id}/edit"),
        ("post", f"/posts/{post.id}/edit"),
        ("post", f"/posts/{post.id}/publish"),
        ("post", f"/posts/{post.id}/unpublish"),
        ("post", f"/posts/{post.id}/archive"),
        ("post", f"/posts/{post.id}/copy"),
        ("get", "/posts/mine"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"]
        htmx = getattr(client, method)(url, headers=HX)
        assert htmx.status_code == 401 and "/login" in htmx.headers["HX-Redirect"]


@pytest.mark.parametrize("action", ["edit", "publish", "unpublish", "archive"])
def test_only_members_of_the_posts_organisation_manage_it(client, world, login_as, action):
    post = make_post(world, world.anna, publish=action != "publish")
    url = f"/posts/{post.id}/{action}"
    fields = form_fields(world, title="Ändrad rubrik", version=str(post.version))

    login_as(world.tove)  # another organisation: refused, nothing changes
    refused = client.post(url, data=fields)
    # A draft is not even shown to other organisations; a public post is, but not to manage.
    assert refused.status_code == (404 if action == "publish" else 403)
    if action == "edit":
        assert client.get(url).status_code == 403
    db.session.refresh(post)
    assert post.title == "Klimatsmart upphandling av livsmedel"
    before = post.state

    login_as(world.karl)  # a colleague of the author: allowed
    allowed = client.post(url, data=fields)
    assert allowed.status_code == 303
    db.session.refresh(post)
    expected = {"edit": before, "publish": "published", "unpublish": "draft", "archive": "archived"}[action]
    assert post.state == expected
    if action == "edit":
        assert post.title == "Ändrad rubrik"


def test_moderators_do_not_edit_other_organisations_posts(client, world, login_as):
    post = make_post(world, world.anna)
    login_as(world.moderator)
    assert client.get(f"/posts/{post.id}/edit").status_code == 403


def test_service_checks_permissions_itself(world):
    post = make_post(world, world.anna, publish=False)
    for call in (
        lambda: service.update_post(post, world.tove, post_data(world), version=post.version),
        lambda: service.publish_post(post, world.tove),
        lambda: service.unpublish_post(post, world.tove),
        lambda: service.archive_post(post, world.tove),
    ):
        with pytest.raises(Forbidden):
            call()
    assert service.publish_post(post, world.karl).state == "published"
    assert service.unpublish_post(post, world.karl).state == "draft"
    assert service.archive_post(post, world.karl).state == "archived"
    world.karl.active = False
    db.session.commit()
    with pytest.raises(Forbidden):
        service.publish_post(post, world.karl)


def test_the_page_offers_management_only_to_members(client, world, login_as):
    post = make_post(world, world.anna)
    assert "Redigera" not in page_text(client.get(f"/posts/{post.id}"))
    login_as(world.tove)
    assert f"/posts/{post.id}/edit" not in page_text(client.get(f"/posts/{post.id}"))
    login_as(world.karl)
    page = page_text(client.get(f"/posts/{post.id}"))
    assert f"/posts/{post.id}/edit" in page and f"/posts/{post.id}/unpublish" in page
    assert f"/posts/{post.id}/copy" not in page


# --- editing and lost updates -----------------------------------------------------------------


def test_edit_form_is_prefilled_and_saves(client, world, login_as):
    post = make_post(world, world.anna, commitments=[world.ks_commitments[3].id], reduction_tonnes=12.5,
                     reduction_period="one_off")
    login_as(world.anna)
    form = page_text(client.get(f"/posts/{post.id}/edit"))
    assert 'value="Klimatsmart upphandling av livsmedel"' in form
    assert 'value="12,5"' in form
    assert f'name="version" type="hidden" value="{post.version}"' in form
    response = client.post(
        f"/posts/{post.id}/edit",
        data=form_fields(world, title="Ny rubrik", version=str(post.version), action="save"),
    )
    assert response.status_code == 303
    db.session.refresh(post)
    assert post.title == "Ny rubrik" and post.state == "published"


def test_a_stale_edit_is_refused_and_keeps_the_typed_text(client, world, login_as):
    post = make_post(world, world.anna)
    opened_version = post.version
    service.update_post(post, world.karl, post_data(world, title="Karls rubrik"), version=opened_version)

    login_as(world.anna)
    response = client.post(
        f"/posts/{post.id}/edit",
        data=form_fields(world, title="Annas rubrik", body="Annas långa text", version=str(opened_version)),
    )
    assert response.status_code == 422
    page = page_text(response)
    assert "Någon annan har sparat inlägget medan du redigerade det" in page
    assert 'value="Annas rubrik"' in page and "Annas långa text" in page
    assert "Karls rubrik" in page  # the saved version, to compare with
    db.session.refresh(post)
    assert post.title == "Karls rubrik"

    # Saving again after seeing the warning goes through, knowingly.
    new_version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    again = client.post(f"/posts/{post.id}/edit",
                        data=form_fields(world, title="Annas rubrik", version=new_version))
    assert again.status_code == 303
    db.session.refresh(post)
    assert post.title == "Annas rubrik"


def test_a_concurrent_commit_between_load_and_save_is_a_stale_edit(world):
    post = make_post(world, world.anna)
    loaded_version = post.version
    service.update_post(post, world.karl, post_data(world, title="Någon annans rubrik"), version=loaded_version)
    # This editor's copy of the row still carries the version it loaded: the UPDATE at commit
    # matches no row (SQLAlchemy's version check), which must read as a stale edit, not a 500.
    set_committed_value(post, "version", loaded_version)
    with pytest.raises(service.StaleEdit) as stale:
        service.update_post(post, world.anna, post_data(world, title="Min rubrik"), version=loaded_version)
    assert stale.value.current.title == "Någon annans rubrik"
    assert db.session.get(Post, post.id).title == "Någon annans rubrik"


def test_every_save_renders_the_body_again(world):
    post = make_post(world, world.anna, body="Första *versionen*")
    assert "<em>versionen</em>" in post.body_html
    service.update_post(post, world.anna, post_data(world, body="Andra **versionen**"), version=post.version)
    assert "<strong>versionen</strong>" in post.body_html and "Första" not in post.body_html


# --- sanitising -------------------------------------------------------------------------------

HOSTILE_TITLE = '<script>alert("titel")</script><img src=x onerror=alert(1)>'
HOSTILE_BODY = """
<script>alert("body")</script>
<img src="https://evil.example/track.png" alt="spår">
<img src="/static/img/favicon.svg" alt="lokal">
<a href="javascript:alert(1)">klicka</a>
<p onclick="alert(2)" onmouseover="alert(3)">text</p>
[vanlig länk](https://example.org/sida)
<iframe src="https://evil.example"></iframe>
"""


def test_hostile_text_stays_inert_in_the_page_the_list_and_json(client, world, login_as):
    post = make_post(
        world,
        world.anna,
        title=HOSTILE_TITLE,
        summary='<svg onload=alert(1)>"sammanfattning"',
        tags='<b onmouseover=alert(1)>tagg</b>, "><script>alert(4)</script>',
        body=HOSTILE_BODY,
    )
    for url in (f"/posts/{post.id}", "/posts/"):
        page = page_text(client.get(url))
        assert "<script>alert" not in page
        assert "onerror=" not in page.replace("onerror=alert(1)&gt;", "")
        assert "&lt;script&gt;alert(&#34;titel&#34;)&lt;/script&gt;" in page or "&lt;script&gt;" in page
        assert "<svg" not in page and "<b onmouseover" not in page
    show = page_text(client.get(f"/posts/{post.id}"))
    assert "javascript:" not in show
    assert "evil.example" not in show
    assert "<iframe" not in show
    assert 'onclick="' not in show and "onmouseover=\"" not in show
    assert '<img src="/static/img/favicon.svg" alt="lokal">' in show
    assert '<img alt="spår">' in show  # the remote image lost its source
    assert '<a href="https://example.org/sida" rel="nofollow ugc noopener">vanlig länk</a>' in show

    response = client.get(f"/api/v1/posts/{post.id}")
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["title"] == HOSTILE_TITLE  # plain text, never HTML: inert as JSON
    assert "<script" not in data["body_html"] and "javascript:" not in data["body_html"]
    assert "evil.example" not in data["body_html"] and "onclick" not in data["body_html"]
    assert 'rel="nofollow ugc noopener"' in data["body_html"]
    assert data["tags"][0] == "<b onmouseover=alert(1)>tagg</b>"


@pytest.mark.parametrize(
    "image",
    [
        "![bild](/\\evil.example/x.png)",
        '<img src="/\\evil.example/x.png" alt="bild">',
        '<img src="\\\\evil.example/x.png" alt="bild">',
        '<img src="//evil.example/x.png" alt="bild">',
        '<img src=" //evil.example/x.png" alt="bild">',
        '<img src="/&#92;evil.example/x.png" alt="bild">',
        '<img src="/&#9;/evil.example/x.png" alt="bild">',
        '<img src="/&#10;/evil.example/x.png" alt="bild">',
        '<img src="https://evil.example/x.png" alt="bild">',
        '<img src="/static/../\\evil.example/x.png" alt="bild">',
    ],
)
def test_images_from_other_sites_lose_their_source_however_the_address_is_written(client, world, image):
    post = make_post(world, world.anna, body=f"Se bilden: {image}")
    page = page_text(client.get(f"/posts/{post.id}"))
    assert "evil.example" not in page
    assert '<img alt="bild">' in page


def test_text_is_nfc_normalised_and_tags_cleaned(world):
    decomposed = "Återbruk i förskolan".replace("Å", "A\u030a").replace("ö", "o\u0308")
    post = make_post(world, world.anna, title=decomposed, tags="#cykel, Cykel,  laddning ,, ")
    assert post.title == "Återbruk i förskolan"
    assert post.tags == ["cykel", "laddning"]


# --- htmx: every endpoint plain and as a fragment ---------------------------------------------


def test_list_is_a_page_plain_and_the_results_with_htmx(client, world):
    make_post(world, world.anna)
    plain = client.get("/posts/?kind=solution")
    assert "<html" in page_text(plain) and 'id="results"' in page_text(plain)
    assert "HX-Request" in plain.headers["Vary"]
    fragment = client.get("/posts/?kind=solution", headers=HX)
    assert fragment.status_code == 200
    assert "<html" not in page_text(fragment)
    assert "Klimatsmart upphandling av livsmedel" in page_text(fragment)
    assert "HX-Request" in fragment.headers["Vary"]
    boosted = client.get("/posts/", headers=HX | {"HX-Boosted": "true"})
    assert "<html" in page_text(boosted)


def test_post_page_plain_and_with_htmx(client, world):
    post = make_post(world, world.anna)
    assert "<html" in page_text(client.get(f"/posts/{post.id}"))
    fragment = page_text(client.get(f"/posts/{post.id}", headers=HX))
    assert "<html" not in fragment and "Klimatsmart upphandling av livsmedel" in fragment


def test_forms_plain_and_with_htmx(client, world, login_as):
    post = make_post(world, world.anna)
    login_as(world.anna)
    for url in ("/posts/new?kind=solution", f"/posts/{post.id}/edit"):
        assert "<html" in page_text(client.get(url))
        fragment = client.get(url, headers=HX)
        assert fragment.status_code == 200 and "<html" not in page_text(fragment)
        assert 'name="title"' in page_text(fragment)


@pytest.mark.parametrize("action", ["unpublish", "publish", "archive"])
def test_state_changes_redirect_plain_and_with_htmx(client, world, login_as, action):
    post = make_post(world, world.anna, publish=action != "publish")
    login_as(world.anna)
    headers = HX if action != "unpublish" else {}
    response = client.post(f"/posts/{post.id}/{action}", headers=headers)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/posts/{post.id}")


def test_mine_and_the_header_search_and_nav(client, world, login_as):
    login_as(world.anna)
    page = page_text(client.get("/posts/mine"))
    assert 'role="search"' in page and 'action="/posts/"' in page
    assert ">Åtgärder<" in page and ">Lärdomar<" in page and ">Utmaningar<" in page and ">Stöd<" in page
