"""GET /api/v1/posts and /api/v1/posts/<id>: public posts only, the documented fields and pages."""

from __future__ import annotations

import pytest

from hub.posts import service
from test_posts_fixtures import make_post, world  # noqa: F401


def test_a_post_as_json_has_the_documented_fields(client, world):
    post = make_post(
        world, world.anna, commitments=[world.ks_commitments[3].id], focus_areas=[world.areas[1].id, world.areas[0].id],
        reduction_tonnes=12.5, reduction_period="per_year", estimation_method="measured", start_year=2022,
    )
    response = client.get(f"/api/v1/posts/{post.id}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["id"] == post.id
    assert data["kind"] == "solution" and data["status"] == "pagaende"
    assert data["title"] == "Klimatsmart upphandling av livsmedel"
    assert data["summary"].startswith("Vi ställer klimatkrav")
    assert data["body_html"] == "<p>Vi började med <strong>kött och mejeri</strong>.</p>"
    assert data["tags"] == ["upphandling", "livsmedel"]
    assert data["organisation"] == {"slug": "kristianstads-kommun", "name": "Kristianstads kommun"}
    assert data["focus_areas"] == ["transporter", "upphandling"]  # in the areas' own order
    assert data["commitments"] == [world.ks_commitments[3].id]
    assert data["copied_from"] is None and data["copies"] == [] and data["copy_count"] == 0
    assert data["published_at"].startswith(str(post.published_at.year)) and "T" in data["updated_at"]
    assert data["reduction_tonnes"] == 12.5 and data["reduction_period"] == "per_year"
    assert data["estimation_method"] == "measured" and data["start_year"] == 2022 and data["end_year"] is None
    assert data["url"].endswith(f"/posts/{post.id}")


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("lesson", {"lesson_type", "do_differently", "related_post"}),
        ("challenge", {"tried", "help_wanted"}),
        ("offer", {"audience", "contact_enabled"}),
    ],
)
def test_each_kind_carries_its_own_fields(client, world, kind, fields):
    post = make_post(world, world.anna, kind=kind, status="oppen")
    data = client.get(f"/api/v1/posts/{post.id}").get_json()
    assert fields <= set(data)
    assert "reduction_tonnes" not in data
    if kind == "offer":
        assert data["audience"] == ["kommun"]
    if kind == "challenge":
        assert data["status"] == "oppen"


def test_the_list_pages_and_filters_like_the_html_list(client, world):
    for n in range(5):
        make_post(world, world.anna, title=f"Åtgärd {n}")
    make_post(world, world.tove, kind="lesson", title="Lärdom", focus_areas=[world.areas[0].id])
    make_post(world, world.anna, publish=False, title="Utkast")

    everything = client.get("/api/v1/posts").get_json()
    assert set(everything) >= {"items", "total", "page", "per_page"}
    assert everything["total"] == 6 and everything["page"] == 1 and everything["per_page"] == 20
    assert "Utkast" not in [item["title"] for item in everything["items"]]

    page = client.get("/api/v1/posts?per_page=2&page=2").get_json()
    assert page["total"] == 6 and page["page"] == 2 and len(page["items"]) == 2

    assert [i["title"] for i in client.get("/api/v1/posts?kind=lesson").get_json()["items"]] == ["Lärdom"]
    assert client.get("/api/v1/posts?area=transporter").get_json()["total"] == 1
    assert client.get("/api/v1/posts?area=transporter&area=upphandling").get_json()["total"] == 6
    assert client.get("/api/v1/posts?org=t-kartor").get_json()["total"] == 1
    assert client.get("/api/v1/posts?page=99").get_json()["items"] == []


@pytest.mark.parametrize(
    "query", ["page=abc", "per_page=0", "per_page=1000", "kind=xyz", "area=nope", "org=finns-inte", "page=-1"]
)
def test_garbage_parameters_answer_400_in_json(client, world, query):
    response = client.get(f"/api/v1/posts?{query}")
    assert response.status_code == 400
    assert response.get_json()["status"] == 400


def test_unknown_posts_answer_404_in_json(client, world):
    assert client.get("/api/v1/posts/123456").get_json()["status"] == 404
    assert client.get("/api/v1/posts/abc").status_code == 404


def test_the_public_select_is_what_every_listing_uses(world):
    public = make_post(world, world.anna, title="Syns")
    make_post(world, world.anna, title="Syns inte", publish=False)
    from hub.extensions import db

    assert [p.id for p in db.session.scalars(service.public_posts())] == [public.id]
