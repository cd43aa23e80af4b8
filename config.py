"""Configuration: the one reader of the environment (12-factor)."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class ConfigError(RuntimeError):
    """The environment does not describe a site this app may start (e.g. no SECRET_KEY)."""


APP_ENVS = ("development", "testing", "production")


def _engine_options(url: str) -> dict:
    """Pool checks everywhere; on PostgreSQL a connect timeout, so /readyz answers quickly."""
    options: dict = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": int(os.environ.get("DB_CONNECT_TIMEOUT", 5))}
    return options


class Config:
    """Production-shaped defaults; development and tests override a few."""

    APP_ENV = (os.environ.get("APP_ENV") or "development").strip().lower()
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'ownervoice.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = _engine_options(SQLALCHEMY_DATABASE_URI)
    REDIS_URL = os.environ.get("REDIS_URL") or None

    # Requests: anything larger is refused with 413 (the routes that take photos allow
    # more: app/photos/http.py).
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 16 * 1024 * 1024))
    MAX_FORM_MEMORY_SIZE = 1024 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _env_bool("SECURE_COOKIES")
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600
    SESSION_DAYS = 7
    REMEMBER_DAYS = 30
    BEHIND_PROXY = _env_bool("BEHIND_PROXY")

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh", "en")

    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    # Keys in the shared Redis start with this (two sites on one Redis keep apart).
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "ownervoice")
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "5 per hour")
    POST_RATE_LIMIT = os.environ.get("POST_RATE_LIMIT", "20 per minute")
    FILE_RATE_LIMIT = os.environ.get("FILE_RATE_LIMIT", "10 per hour")

    # Complaints (admin-editable later; these are the defaults).
    AUTO_CLOSE_DAYS = int(os.environ.get("AUTO_CLOSE_DAYS", 7))
    REOPEN_WINDOW_DAYS = int(os.environ.get("REOPEN_WINDOW_DAYS", 30))
    GROUP_MIN_JOINS = int(os.environ.get("GROUP_MIN_JOINS", 5))
    GROUP_WINDOW_DAYS = int(os.environ.get("GROUP_WINDOW_DAYS", 7))
    PUBLIC_HANDLER_NAMES = _env_bool("PUBLIC_HANDLER_NAMES")

    # Transparency: a rate, mean or median over fewer cases than this shows "too few cases",
    # so no public figure points at one person; scorecards are cached this many seconds.
    SCORECARD_MIN_SAMPLE = int(os.environ.get("SCORECARD_MIN_SAMPLE", 5))
    SCORECARD_CACHE_SECONDS = int(os.environ.get("SCORECARD_CACHE_SECONDS", 60))
    ARCHIVE_PER_PAGE = 20
    FEED_ENTRIES = 30

    # Photos (issue 9): limits per file, per post and per member per day; where they are kept.
    # A directory every app server sees (a shared volume in production).
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(BASE_DIR / "instance" / "uploads"))
    PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", 10 * 1024 * 1024))
    PHOTO_MAX_PER_POST = int(os.environ.get("PHOTO_MAX_PER_POST", 9))
    PHOTO_DAILY_LIMIT = int(os.environ.get("PHOTO_DAILY_LIMIT", 60))
    PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", 60_000_000))
    PHOTO_MAX_EDGE = int(os.environ.get("PHOTO_MAX_EDGE", 2560))
    PHOTO_THUMB_EDGE = int(os.environ.get("PHOTO_THUMB_EDGE", 480))
    PHOTO_PENDING_HOURS = int(os.environ.get("PHOTO_PENDING_HOURS", 24))
    PHOTO_CACHE_SECONDS = int(os.environ.get("PHOTO_CACHE_SECONDS", 86400))
    # Set (e.g. "/_photos/") to let nginx send the files: an internal location on UPLOAD_DIR.
    PHOTO_X_ACCEL_PREFIX = os.environ.get("PHOTO_X_ACCEL_PREFIX") or None
    # Visitors' pages are cached whole for this long at most (0: off), invalidated at once
    # by every change they show (app/core/pagecache.py); in Redis when REDIS_URL is set.
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 60))
    PAGE_CACHE_MAX_BYTES = int(os.environ.get("PAGE_CACHE_MAX_BYTES", 16 * 1024 * 1024))
    PAGE_CACHE_GEN_FILE = os.environ.get("PAGE_CACHE_GEN_FILE") or None

    THREADS_PER_PAGE = 30
    POSTS_PER_PAGE = 20
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    # E-mail: sent by SMTP when MAIL_SERVER is set; otherwise kept in the outbox table.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 587))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_FROM = os.environ.get("MAIL_FROM", "OwnerVoice <noreply@localhost>")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", 20))
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", 8))
    # The site's public address, for links in e-mails sent from cron (no request to ask).
    SITE_URL = os.environ.get("SITE_URL") or None
    # How e-mails leave: "smtp" (when MAIL_SERVER is set) or "file" (each message an .eml
    # file in MAIL_FILE_DIR: development, staging, the multi-server proof).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp").strip().lower()
    MAIL_FILE_DIR = os.environ.get("MAIL_FILE_DIR", str(BASE_DIR / "instance" / "mail"))

    # Background jobs: on RQ workers when REDIS_URL is set, inline after commit otherwise.
    JOB_QUEUE = os.environ.get("JOB_QUEUE", "ownervoice")
    JOB_RETRIES = int(os.environ.get("JOB_RETRIES", 3))
    JOB_RETRY_INTERVALS = tuple(int(s) for s in os.environ.get(
        "JOB_RETRY_INTERVALS", "10,60,300").split(","))
    JOB_TIMEOUT = int(os.environ.get("JOB_TIMEOUT", 300))
    # Cache: in Redis (shared by every server) when REDIS_URL is set, else in each process.
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL") or REDIS_URL
    # Logs: one JSON object per line on stderr.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json").strip().lower()


def local_site_url(environ: Mapping[str, str]) -> str:
    """Where `make run` / `flask run` serves: its HOST and PORT (as the Makefile passes
    them, or Flask's own FLASK_RUN_* variables), so e-mail links reach the running site."""
    host = environ.get("HOST") or environ.get("FLASK_RUN_HOST") or "127.0.0.1"
    port = environ.get("PORT") or environ.get("FLASK_RUN_PORT") or "5000"
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    return f"http://{host}:{port}"


class DevelopmentConfig(Config):
    """`make run`: a local SQLite site with a fixed development key."""

    SECRET_KEY = Config.SECRET_KEY or "dev-only-not-secret"
    SITE_URL = Config.SITE_URL or local_site_url(os.environ)  # where `make run` serves


class ProductionConfig(Config):
    """Refuses to start without a real SECRET_KEY (checked in create_app)."""


class TestingConfig(Config):
    """pytest: CSRF off except where a test turns it on, fast password hashing."""

    TESTING = True
    SECRET_KEY = "testing-key"
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    MAIL_SERVER = None  # tests that send set their own (with smtplib faked)
    SITE_URL = "http://ownervoice.test"
    SCORECARD_CACHE_SECONDS = 0  # every request computes afresh (and is counted)
    PAGE_CACHE_SECONDS = 0  # tests of the page cache turn it on
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    REDIS_URL = None  # tests that want Redis set it (TEST_REDIS_URL)
    CACHE_REDIS_URL = None
    MAIL_BACKEND = "smtp"
    UPLOAD_DIR = os.path.join(tempfile.gettempdir(), "ownervoice-test-uploads")


def config_for_env(app_env: str | None = None) -> type[Config]:
    """Pick the configuration class named by APP_ENV (a misspelt name refuses to start,
    rather than running a production site on the development key)."""
    name = Config.APP_ENV if app_env is None else app_env.strip().lower()
    classes = {"development": DevelopmentConfig, "testing": TestingConfig,
               "production": ProductionConfig}
    if name not in classes:
        raise ConfigError(f"APP_ENV={name!r} is not one of {', '.join(APP_ENVS)}.")
    return classes[name]
