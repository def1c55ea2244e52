import pytest

from hub.extensions import db


def test_healthz_answers_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_security_headers_forbid_inline_scripts(client):
    response = client.get("/healthz")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_page_is_a_swedish_404_in_the_layout(client):
    response = client.get("/finns-inte")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Sidan finns inte" in page
    assert 'lang="sv"' in page


def test_sqlite_connections_use_wal_and_a_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


def test_lost_database_answers_a_swedish_503_with_retry_after(tmp_path):
    from hub import create_app

    broken = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/hub.sqlite3",
            "HUB_INDEX_DIR": str(tmp_path / "index"),
        }
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Databasen svarar inte" in response.get_data(as_text=True)


def test_concurrent_read_then_write_transactions_never_hit_database_is_locked(app):
    """Each worker reads, then writes; deferred SQLite transactions would fail with SQLITE_BUSY."""
    import threading

    from sqlalchemy import func, select

    from hub.models import Organisation

    if db.engine.dialect.name != "sqlite":
        return
    errors: list[Exception] = []

    def worker(n: int) -> None:
        with app.app_context():
            try:
                for i in range(15):
                    existing = db.session.scalar(select(func.count()).select_from(Organisation))
                    db.session.add(
                        Organisation(slug=f"org-{n}-{i}", name=f"Org {existing}", kind="foretag", municipality="Borås")
                    )
                    db.session.commit()
            except Exception as exc:  # collected and asserted below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 90


def test_text_fields_are_nfc_normalised_by_every_form(app):
    import unicodedata

    from wtforms import StringField

    from hub.forms import HubForm

    class Probe(HubForm):
        name = StringField()

    decomposed = unicodedata.normalize("NFD", "Återbruksgalleria i Borås")
    with app.test_request_context(method="POST", data={"name": decomposed}):
        form = Probe(meta={"csrf": False})
        form.validate()
        assert form.name.data == unicodedata.normalize("NFC", decomposed)
        assert form.name.data != decomposed


TOO_LARGE_IDS = ["99999999999999999999", "3000000000", str(2**31)]


@pytest.mark.parametrize("too_large", TOO_LARGE_IDS)
@pytest.mark.parametrize(
    "method, url",
    [
        ("GET", "/posts/{id}"),
        ("GET", "/posts/{id}/edit"),
        ("GET", "/api/v1/posts/{id}"),
        ("POST", "/moderation/posts/{id}/hide"),
        ("GET", "/answers/{id}/report"),
        ("POST", "/posts/{id}/answers"),
        ("GET", "/examples/monthly/choose?post={id}"),
        ("GET", "/messages/new?reply={id}"),
    ],
)
def test_ids_too_large_for_the_database_are_not_found(client, make_user, login_as, method, url, too_large):
    login_as(make_user("mod@hub.example", role="moderator"))
    response = client.open(url.format(id=too_large), method=method, data={"reason": "Spam", "body": "Hej"})
    assert response.status_code == 404


def test_template_addresses_are_kept_per_script_root_and_value(app):
    """Templates build each address once (hub/templating.py); what the cache returns must be what
    url_for builds for that script root and those values."""
    from html import unescape

    from flask import render_template_string, url_for

    template = "{{ url_for('posts.index', kind=kinds) }}|{{ url_for('areas.show', slug=slug) }}"
    for script_root in ("", "/hubben", ""):
        for kinds, slug in ((["solution"], "energi"), (["lesson", "offer"], "mobilitet"), (["solution"], "energi")):
            with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": script_root}):
                rendered = unescape(render_template_string(template, kinds=kinds, slug=slug))
                assert rendered == f"{url_for('posts.index', kind=kinds)}|{url_for('areas.show', slug=slug)}"
                assert rendered.startswith(f"{script_root}/posts/?kind={kinds[0]}")
    with app.test_request_context("/"):  # a value that cannot be a key is built all the same
        assert render_template_string("{{ url_for('posts.index', q={'a': 1}) }}").startswith("/posts/?q=")
        assert render_template_string("{{ url_for('posts.index', _external=True) }}").startswith("http")


NUL_ADDRESSES = [
    "/posts/?q=a%00b&area=%00&org=a%00b&kind=%00&municipality=%00&org_kind=%00&status=%00&year=%00&sort=%00",
    "/posts.csv?q=%00&area=%00&org=%00&municipality=%00",
    "/posts.atom?q=%00&area=%00&org=%00&municipality=%00",
    "/posts/similar?title=%00&summary=a%00b",
    "/api/v1/posts?q=%00", "/api/v1/posts?area=%00", "/api/v1/posts?org=a%00b", "/api/v1/posts?kind=%00",
    "/api/v1/posts?municipality=%00", "/api/v1/posts?org_kind=%00&status=%00&year=%00&sort=%00&featured=%00",
    "/api/v1/posts?page=%00&per_page=%00",
    "/api/v1/organisations?municipality=%00", "/api/v1/contracts?city=%00", "/api/v1/organisations/a%00b",
    "/organisations/?q=%00&kind=%00&municipality=%00&area=%00", "/organisations/a%00b",
    "/focus-areas/a%00b", "/focus-areas/energi?kind=%00&org=%00", "/examples/?area=%00&kind=%00&page=%00",
    "/contracts/?city=%00", "/login?next=%00",
]


@pytest.mark.parametrize("address", NUL_ADDRESSES)
def test_a_nul_byte_in_any_parameter_is_an_answer_not_a_500(client, make_org, address):
    """PostgreSQL refuses text with NUL in it; SQLite does not, so this is the test that tells."""
    make_org("energi-ab")
    response = client.get(address)
    assert response.status_code in (200, 400, 404), response.status_code
