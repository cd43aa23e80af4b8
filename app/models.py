"""Imports every domain's models so all tables register in one place."""
from .audit.models import AuditEntry  # noqa: F401
from .auth.models import PasswordReset, User, UserSession  # noqa: F401
from .communities.models import Board, Category, Community, Department  # noqa: F401
from .complaints.models import (Case, CaseDefect, CaseEvent, CaseNote, MeToo,  # noqa: F401
                                 Rating)
from .jobs.models import JobFailure  # noqa: F401
from .forum.models import Post, PostRevision, Thread, Watch  # noqa: F401
from .photos.models import Photo  # noqa: F401
from .notifications.models import EmailOptOut, Notification, OutboxEmail  # noqa: F401
from .search.models import SearchDoc  # noqa: F401
from .moderation.models import Flag  # noqa: F401
from .owners.models import Unit, UnitMembership, VerificationRequest  # noqa: F401
from .sitesettings.models import CalendarDay, SiteSetting  # noqa: F401
