"""Klimathubben: a hub where the parties of local climate contracts share and copy what works."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from . import config as hub_config


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    app.config.update(hub_config.load(app.instance_path))
    if config:
        app.config.update(config)

    from .urls import IdConverter

    # Before any blueprint adds its rules: every <int:...> in a route then stops at MAX_ID.
    app.url_map.converters["int"] = IdConverter

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Alembic announces each of its plugins at INFO on every start; the migrations themselves still log.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    from . import db as hub_db
    from . import models  # noqa: F401  (registers every table with the metadata)
    from . import errors, i18n, security
    from .extensions import csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    hub_db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from . import templating

    templating.init_app(app)

    from .auth import init_app as init_auth
    from .main import bp as main_bp

    init_auth(app)
    app.register_blueprint(main_bp)

    from .api import bp as api_bp
    from .areas import bp as areas_bp
    from .contracts import bp as contracts_bp
    from .organisations import bp as organisations_bp

    app.register_blueprint(organisations_bp)
    app.register_blueprint(contracts_bp)
    app.register_blueprint(areas_bp)
    app.register_blueprint(api_bp)

    from .notifications.routes import bp as notifications_bp
    from .posts import bp as posts_bp

    app.register_blueprint(posts_bp)
    app.register_blueprint(notifications_bp)

    from .challenges import init_app as init_challenges
    from .notifications.hooks import init_app as init_notification_hooks
    from .social import init_app as init_social

    init_challenges(app)
    init_social(app)
    init_notification_hooks(app)

    from .examples import bp as examples_bp
    from .followup import bp as followup_bp
    from .moderation import bp as moderation_bp

    app.register_blueprint(moderation_bp)
    app.register_blueprint(examples_bp)
    app.register_blueprint(followup_bp)

    from .search import init_app as init_search

    init_search(app)

    from .seed import seed_demo_command

    app.cli.add_command(seed_demo_command)
    return app
