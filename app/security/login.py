"""Flask-Login wiring: users are loaded by session token, visitors are AnonymousUser."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..auth import services
from ..auth.models import AnonymousUser, User
from ..extensions import login_manager


def init_login() -> None:
    """Configure the login manager (called once by create_app)."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.anonymous_user = AnonymousUser
    login_manager.session_protection = "basic"
    login_manager.refresh_view = "auth.login"
    login_manager.needs_refresh_message = _l("Please log in again to open the staff pages.")
    login_manager.needs_refresh_message_category = "info"

    @login_manager.user_loader
    def _load(token: str) -> User | None:
        return services.load_session_user(token)
