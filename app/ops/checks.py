"""Start-up checks: production refuses to run on a configuration that would be unsafe."""
from __future__ import annotations

import logging
from typing import Any

from config import ConfigError

log = logging.getLogger(__name__)

# Keys that are in this repository, so known to everyone.
KNOWN_KEYS = frozenset({"dev-only-not-secret", "testing-key", "change-me", "secret"})
SHORT_KEY = 32


def check_production_config(config: Any) -> None:
    """Raise ConfigError, with what to do, when production lacks a real SECRET_KEY."""
    key = config.get("SECRET_KEY")
    if not key or not str(key).strip():
        raise ConfigError(
            "SECRET_KEY is not set. APP_ENV=production refuses to start without one: it signs "
            "sessions, CSRF tokens and unsubscribe links, and must be the same on every "
            "server. Make one with: python3 -c 'import secrets; print(secrets.token_hex(32))' "
            "and set it in the environment.")
    if str(key) in KNOWN_KEYS:
        raise ConfigError(f"SECRET_KEY is the published development key {key!r}. "
                          "Set a secret one for production (see README, Deploy).")
    if len(str(key)) < SHORT_KEY:
        log.warning("SECRET_KEY is shorter than %s characters; use a longer random one",
                    SHORT_KEY)
