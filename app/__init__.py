"""OwnerVoice (业主之声): the application factory. Assembly only."""
from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, ProductionConfig, config_for_env

from .core.database import configure_sqlite, write_intent
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
    app.config.from_object(config)
    app.config.update(overrides)
    if issubclass(config, ProductionConfig) and not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production (APP_ENV=production)")
    if app.config["BEHIND_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))

    from . import models  # noqa: F401  (registers every table)
    from .auth.views import bp as auth_bp
    from .cli import register_cli
    from .complaints.transparency_views import bp as transparency_bp
    from .complaints.views import bp as complaints_bp
    from .errors import register_error_handlers
    from .feeds.views import bp as feeds_bp
    from .forum.views import bp as forum_bp
    from .notifications.listeners import register_listeners
    from .notifications.views import bp as notifications_bp
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
    register_listeners()
    init_login()
    register_error_handlers(app)
    register_template_helpers(app)
    register_cli(app)
    return app
