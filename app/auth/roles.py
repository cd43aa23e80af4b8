"""Roles and what each one includes; pure data, no database."""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    MEMBER = "member"
    OWNER = "owner"          # verified owner: a member whose unit staff confirmed
    HANDLER = "handler"      # staff of a department
    STAFF = "staff"          # customer-relations centre
    MODERATOR = "moderator"  # staff with moderation rights
    ADMIN = "admin"


# What each role counts as: an admin is also a moderator, staff and member, etc.
IMPLIES: dict[Role, frozenset[Role]] = {
    Role.MEMBER: frozenset({Role.MEMBER}),
    Role.OWNER: frozenset({Role.MEMBER, Role.OWNER}),
    Role.HANDLER: frozenset({Role.MEMBER, Role.HANDLER}),
    Role.STAFF: frozenset({Role.MEMBER, Role.HANDLER, Role.STAFF}),
    Role.MODERATOR: frozenset({Role.MEMBER, Role.HANDLER, Role.STAFF, Role.MODERATOR}),
    Role.ADMIN: frozenset(Role),
}
STAFF_ROLES = frozenset({Role.HANDLER, Role.STAFF, Role.MODERATOR, Role.ADMIN})
