"""The migrations and the models cannot drift apart: every migration runs on an empty database,
the result matches the models exactly, and downgrading to base leaves nothing behind.

Runs on SQLite, and on PostgreSQL too when HUB_TEST_DATABASE_URL is set, in a schema of its own
on that database (created and dropped here: unlike CREATE/DROP DATABASE that costs no checkpoint).
"""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import current_app
from flask_migrate import downgrade, upgrade

from hub import create_app
from hub.extensions import db

PG_URL = os.environ.get("HUB_TEST_DATABASE_URL", "").strip()


@pytest.fixture(params=["sqlite"] + (["postgres"] if PG_URL else []))
def empty_database(request, tmp_path):
    """(SQLAlchemy URL, engine options) of an empty database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}", {"connect_args": {"timeout": 15}}
        return
    url = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    schema = f"hub_migrations_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield url, {"pool_pre_ping": True, "connect_args": {"options": f"-c search_path={schema}"}}
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def migration_app(empty_database, tmp_path):
    url, engine_options = empty_database
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
            "HUB_INDEX_DIR": str(tmp_path / "index"),
        }
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _schema_differences() -> list:
    migrate_config = current_app.extensions["migrate"].configure_args
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": False,
                # The same object filter the migration environment uses, if any.
                **{key: migrate_config[key] for key in ("include_object", "include_name") if key in migrate_config},
            },
        )
        return compare_metadata(context, db.metadata)


def _tables() -> set[str]:
    with db.engine.connect() as conn:
        return set(sa.inspect(conn).get_table_names())


def test_migrations_build_exactly_the_schema_the_models_describe(migration_app):
    assert _tables() == set()
    upgrade()
    assert set(db.metadata.tables) <= _tables()
    differences = _schema_differences()
    assert differences == [], "migrations and hub/models.py differ; add a migration:\n" + "\n".join(
        map(repr, differences)
    )


def test_downgrade_to_base_removes_every_table(migration_app):
    upgrade()
    downgrade(revision="base")
    assert _tables() <= {"alembic_version"}
    # And up again, as a deploy that rolls back and forward would.
    upgrade()
    assert _schema_differences() == []
