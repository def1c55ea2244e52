"""Fixtures: a migrated throw-away database per backend, an app, a client, and users to log in as.

Every test runs against SQLite (with the Whoosh search backend). When HUB_TEST_DATABASE_URL is
set, every test runs a second time against a throw-away PostgreSQL database created on that
server (with the PostgreSQL full-text search backend), which is dropped at the end.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient

from hub import create_app
from hub.extensions import db, limiter

PG_URL = os.environ.get("HUB_TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])


def _pg_admin_engine():
    parts = urlsplit(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    return sa.create_engine(urlunsplit(parts), isolation_level="AUTOCOMMIT"), parts


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request, tmp_path_factory):
    """(name, database URL, search backend) for one throw-away database."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "hub.sqlite3"
        yield "sqlite", f"sqlite:///{path}", "whoosh"
        return
    engine, parts = _pg_admin_engine()
    name = f"hub_test_{uuid.uuid4().hex[:12]}"
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield "postgres", url, "postgres"
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()


class FreshRequestClient(FlaskClient):
    """A test client whose every request starts with an empty `g`, as it does in production.

    The `app` fixture keeps one app context pushed for the whole test (so tests can use
    db.session directly), and a request inside it reuses that context; without this, what one
    request cached on `g` (Flask-Login's user, the locale) would leak into the next.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def _app(backend, tmp_path_factory):
    _name, url, search_backend = backend
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}
            if url.startswith("postgresql")
            else {"connect_args": {"timeout": 15}},
            "WTF_CSRF_ENABLED": False,
            "HUB_SEARCH_BACKEND": search_backend,
            "HUB_INDEX_DIR": str(instance / "index"),
            # No retry timers firing into later tests; the test of the timer sets its own.
            "HUB_SEARCH_RETRY_SECONDS": 0,
            "RATELIMIT_STORAGE_URI": "memory://",
            "SERVER_NAME": None,
            # One PBKDF2 round instead of scrypt (~0.3 s a hash here); one test checks real hashes.
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        }
    )
    app.test_client_class = FreshRequestClient
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def _empty_database() -> None:
    # DELETE, not TRUNCATE: on PostgreSQL a TRUNCATE of every table costs 0.3-0.45 s a test (new
    # files, fsync); deleting a test's few rows and resetting the sequences costs about 0.02 s.
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            sa.text(
                "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
                "WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"
            )
        )
    db.session.commit()


@pytest.fixture
def app(_app):
    with _app.app_context():
        yield _app
        db.session.rollback()
        _empty_database()
        db.session.remove()
        limiter.reset()
        for reset in _app.extensions.get("hub_test_resets", []):
            reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_org(app):
    from hub.models import Organisation

    def make(slug: str = "kristianstads-kommun", name: str | None = None, **fields):
        org = Organisation(
            slug=slug,
            name=name or slug.replace("-", " ").title(),
            kind=fields.pop("kind", "kommun"),
            municipality=fields.pop("municipality", "Kristianstad"),
            **fields,
        )
        db.session.add(org)
        db.session.commit()
        return org

    return make


@pytest.fixture
def make_user(app, make_org):
    from hub.models import Organisation, User

    def make(email: str = "anna@example.se", org=None, role: str = "member", password: str = "lösenord-123", **fields):
        if org is None:
            org = db.session.scalar(sa.select(Organisation).order_by(Organisation.id)) or make_org()
        user = User(email=email.lower(), name=fields.pop("name", email.split("@")[0].title()), role=role, organisation=org, **fields)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login_as(client):
    """Log a user in by session (the second factor counts as done); the login form has its own tests."""

    def login(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session["second_factor_done"] = True
        return user

    return login
