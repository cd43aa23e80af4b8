"""Moderation (issue 4): flags, hiding, locking, moving, redaction, suspensions."""
