"""What account actions change: registration, sessions, passwords, profiles."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..core import clock
from ..core.database import commit_or_raise
from ..core.errors import Invalid
from ..extensions import db
from .models import PasswordReset, User, UserSession, hash_token, new_token
from .roles import Role

# Compared against when no account matches, so a wrong username costs the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def hash_password(password: str) -> str:
    """A salted hash by the configured scheme (scrypt unless configured otherwise)."""
    return generate_password_hash(
        password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    )


def find_user(username: str) -> User | None:
    """The account with this username (any case), or None."""
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))


def _check_free(username: str, email: str) -> None:
    taken = db.session.execute(
        select(User.username, User.email).where(or_(User.username == username,
                                                    User.email == email))
    ).all()
    for row in taken:
        if row.username == username:
            raise Invalid(_l("This username is taken."), field="username")
        raise Invalid(_l("An account with this email exists already."), field="email")


def create_account(username: str, email: str, password: str, *,
                   display_name: str | None = None, role: Role = Role.MEMBER) -> User:
    """Create an account (registration, the CLI, demo data). Input is already shape-checked."""
    username = username.strip().lower()
    email = email.strip().lower()
    _check_free(username, email)
    user = User(username=username, email=email, display_name=(display_name or username).strip(),
                password_hash=hash_password(password), role=Role(role).value)
    db.session.add(user)
    commit_or_raise(Invalid, _l("This username or email is taken."))
    return user


def authenticate(login: str, password: str) -> User | None:
    """The account for this username or email and password, or None."""
    login = login.strip().lower()
    user = db.session.scalar(select(User).where(or_(User.username == login,
                                                    User.email == login)))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def start_session(user: User, *, remember: bool, user_agent: str = "") -> str:
    """Record a new logged-in device and return its token (what the cookie carries)."""
    days = current_app.config["REMEMBER_DAYS" if remember else "SESSION_DAYS"]
    token = new_token()
    db.session.add(UserSession(user_id=user.id, token_hash=hash_token(token),
                               expires_at=clock.now() + timedelta(days=days),
                               user_agent=user_agent[:200]))
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id,
                                                 UserSession.expires_at < clock.now()))
    db.session.commit()
    user.session_token = token
    return token


def load_session_user(token: str) -> User | None:
    """The user a session token belongs to, if that session still exists and is current."""
    row = db.session.execute(
        select(User).join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == hash_token(token),
               UserSession.expires_at > clock.now())
    ).scalar_one_or_none()
    if row is not None:
        row.session_token = token
    return row


def end_session(token: str | None) -> None:
    """Log one device out: its token no longer works, even from a copied cookie."""
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == hash_token(token)))
        db.session.commit()


def change_password(user: User, current: str, new: str, *, user_agent: str = "") -> str:
    """Set a new password, end every session of the user, and return a fresh token."""
    if not check_password_hash(user.password_hash, current):
        raise Invalid(_l("The current password is wrong."), field="current_password")
    user.password_hash = hash_password(new)
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.commit()
    return start_session(user, remember=False, user_agent=user_agent)


def update_profile(user: User, *, display_name: str) -> None:
    """Change what others see of the user."""
    user.display_name = display_name.strip()
    db.session.commit()


def set_language(user: User, language: str) -> None:
    """Remember the language a logged-in person chose, for what we send them later (e-mail)."""
    if user.language != language:
        user.language = language
        db.session.commit()


def user_count() -> int:
    """How many accounts exist (the CLI and demo loader ask)."""
    return db.session.scalar(select(func.count()).select_from(User)) or 0


# --- Password reset links (issue 4): an admin makes one, the person uses it once ------

RESET_HOURS = 24


def make_reset_link_token(user: User, *, created_by: User | None) -> str:
    """A new one-time token for `user` (earlier unused ones stop working); only its hash is
    stored, so the caller shows the token once. No commit: part of the caller's unit of work."""
    now = clock.now()
    db.session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id,
                                                   PasswordReset.used_at.is_(None))
                       .values(used_at=now), execution_options={"synchronize_session": False})
    token = new_token()
    db.session.add(PasswordReset(user_id=user.id, token_hash=hash_token(token), created_at=now,
                                 expires_at=now + timedelta(hours=RESET_HOURS),
                                 created_by_id=created_by.id if created_by else None))
    return token


def reset_for_token(token: str) -> PasswordReset | None:
    """The unused, unexpired reset a token belongs to, or None."""
    return db.session.scalar(select(PasswordReset).where(
        PasswordReset.token_hash == hash_token(token or ""), PasswordReset.used_at.is_(None),
        PasswordReset.expires_at > clock.now()))


def reset_password(token: str, new: str) -> User:
    """Set a new password with a reset link: the link is spent and every session ends."""
    reset = reset_for_token(token)
    if reset is None:
        raise Invalid(_l("This link is not valid any more. Ask an administrator for a new one."))
    spent = db.session.execute(update(PasswordReset).where(PasswordReset.id == reset.id,
                                                           PasswordReset.used_at.is_(None))
                               .values(used_at=clock.now()),
                               execution_options={"synchronize_session": False})
    if spent.rowcount != 1:  # the same link used twice at once: one wins
        db.session.rollback()
        raise Invalid(_l("This link is not valid any more. Ask an administrator for a new one."))
    user = reset.user
    user.password_hash = hash_password(new)
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.commit()
    return user
