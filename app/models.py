"""Imports every domain's models so all tables register in one place."""
from .auth.models import User, UserSession  # noqa: F401
from .communities.models import Board, Community  # noqa: F401
from .forum.models import Post, PostRevision, Thread  # noqa: F401
