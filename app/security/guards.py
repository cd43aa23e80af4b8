"""Blueprint-wide guards: staff routes demand a staff role and a fresh login."""
from __future__ import annotations

from flask import Blueprint
from flask_login import current_user, login_fresh

from ..auth.roles import Role
from ..core.errors import NotAllowed
from ..extensions import login_manager


def _require_role(bp: Blueprint, role: Role) -> None:
    """Every route of `bp` needs `role` (or one that includes it), logged in by password this
    session (a remembered login must sign in again), on top of each action's own rule."""

    @bp.before_request
    def _guard():  # noqa: ANN202
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not login_fresh():
            return login_manager.needs_refresh()
        if not current_user.has_role(role) or current_user.is_banned:
            raise NotAllowed(role.value)
        return None


def require_staff(bp: Blueprint) -> None:
    """Staff blueprints: a handler-or-above role and a fresh login."""
    _require_role(bp, Role.HANDLER)


def require_admin(bp: Blueprint) -> None:
    """Administration: the admin role and a fresh login."""
    _require_role(bp, Role.ADMIN)
