"""OwnerVoice (业主之声): the application factory. Assembly only."""
from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, ProductionConfig, config_for_env

from .core.logs import init_request_logging
from .ops.checks import check_production_config

from .core.database import configure_sqlite, write_intent
from .core.ids import IdConverter
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .security.headers import add_security_headers
from .security.input import refuse_nul_bytes

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def select_locale() -> str:
    """The reader's language: their choice (cookie), else their browser's, else Chinese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return languages[0]
    chosen = request.cookies.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def create_app(config: type[Config] | None = None, **overrides) -> Flask:  # noqa: ANN003
    """Build the app: configuration, extensions, blueprints, handlers."""
    config = config or config_for_env()
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.url_map.converters["int"] = IdConverter  # ids past the column range are a 404
    app.config.from_object(config)
    app.config.update(overrides)
    if issubclass(config, ProductionConfig):
        check_production_config(app.config)
    init_request_logging(app)
    if app.config["BEHIND_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))

    from . import models  # noqa: F401  (registers every table)
    from .admin.views import bp as admin_bp
    from .auth.views import bp as auth_bp
    from .cli import register_cli
    from .complaints.transparency_views import bp as transparency_bp
    from .complaints.views import bp as complaints_bp
    from .errors import register_error_handlers
    from .feeds.views import bp as feeds_bp
    from .forum.views import bp as forum_bp
    from .jobs.cli import register_jobs_cli
    from .jobs.views import bp as jobs_bp
    from .moderation.views import bp as moderation_bp
    from .moderation.views import flags_bp
    from .notifications.listeners import register_listeners
    from .notifications.views import bp as notifications_bp
    from .ops.health import bp as ops_bp
    from .owners.views import bp as owners_bp
    from .owners.views import staff_bp as verifications_bp
    from .photos.cli import register_photo_cli
    from .photos.http import PhotoAwareRequest
    from .photos.views import bp as photos_bp
    from .photos.views import moderation as photo_moderation_bp
    from .search.views import bp as search_bp
    from .security.login import init_login
    from .staff.defect_views import bp as defects_bp
    from .staff.views import bp as staff_bp
    from .templating import register_template_helpers

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)

    @app.before_request
    def _mark_write_intent() -> None:
        write_intent.set(request.method not in READ_METHODS)

    app.after_request(add_security_headers)
    app.before_request(refuse_nul_bytes)
    for bp in (forum_bp, auth_bp, complaints_bp, staff_bp, search_bp, notifications_bp):
        app.register_blueprint(bp)
    for bp in (transparency_bp, feeds_bp, defects_bp):
        app.register_blueprint(bp)
    for bp in (ops_bp, jobs_bp, moderation_bp, flags_bp):
        app.register_blueprint(bp)
    for bp in (owners_bp, verifications_bp, admin_bp):  # issue 4: verification, administration
        app.register_blueprint(bp)
    app.register_blueprint(photos_bp)
    app.register_blueprint(photo_moderation_bp)
    app.request_class = PhotoAwareRequest  # photo routes take larger bodies
    register_listeners()
    init_login()
    register_error_handlers(app)
    register_template_helpers(app)
    register_cli(app)
    register_jobs_cli(app)
    register_photo_cli(app)
    from .core import pagecache, speedups  # issue 7: visitor page cache, render costs
    speedups.init_app(app)
    pagecache.init_app(app)
    return app
