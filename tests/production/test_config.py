"""Configuration from the environment only: APP_ENV picks the class, production refuses
to start without a real SECRET_KEY (with a message saying what to do)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from config import (ConfigError, DevelopmentConfig, ProductionConfig, TestingConfig,
                    config_for_env)

ROOT = Path(__file__).resolve().parents[2]


def _start(env: dict[str, str], code: str = "import wsgi; print(type(wsgi.app.config).__name__, "
           "wsgi.app.config['APP_ENV'], wsgi.app.config['TESTING'])") -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {
        "APP_ENV", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "BEHIND_PROXY"}}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60,
                          env={**clean, "DATABASE_URL": "sqlite://", **env})


def test_production_without_a_secret_key_refuses_to_start_and_says_why() -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY is not set.*secrets.token_hex"):
        create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY=None)


def test_production_refuses_the_published_development_key() -> None:
    with pytest.raises(ConfigError, match="development key"):
        create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://",
                   SECRET_KEY="dev-only-not-secret")


def test_the_wsgi_entry_point_refuses_production_without_a_key() -> None:
    result = _start({"APP_ENV": "production"})

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_wsgi_entry_point_starts_production_with_a_key() -> None:
    result = _start({"APP_ENV": "production", "SECRET_KEY": "k" * 40})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "production"


def test_app_env_picks_the_configuration_class() -> None:
    assert config_for_env("development") is DevelopmentConfig
    assert config_for_env("testing") is TestingConfig
    assert config_for_env(" Production ") is ProductionConfig
    with pytest.raises(ConfigError, match="APP_ENV='prod' is not one of"):
        config_for_env("prod")


def test_a_misspelt_app_env_refuses_to_start() -> None:
    result = _start({"APP_ENV": "prod", "SECRET_KEY": "k" * 40})

    assert result.returncode != 0 and "is not one of" in result.stderr


def test_settings_come_from_the_environment() -> None:
    code = ("from config import Config as C; print(C.SQLALCHEMY_DATABASE_URI, C.REDIS_URL, "
            "C.CACHE_REDIS_URL, C.LOG_LEVEL, C.UPLOAD_DIR, C.MAIL_BACKEND, C.BEHIND_PROXY, "
            "C.SQLALCHEMY_ENGINE_OPTIONS['connect_args'])")
    result = _start({"DATABASE_URL": "postgresql+psycopg://u@db/ov", "REDIS_URL": "redis://r/1",
                     "LOG_LEVEL": "WARNING", "UPLOAD_DIR": "/srv/uploads",
                     "MAIL_BACKEND": "file", "BEHIND_PROXY": "1"}, code)

    assert result.stdout.strip().split(maxsplit=7) == [
        "postgresql+psycopg://u@db/ov", "redis://r/1", "redis://r/1", "WARNING",
        "/srv/uploads", "file", "True", "{'connect_timeout': 5}"], result.stderr


def test_behind_a_proxy_the_forwarded_address_and_scheme_are_trusted() -> None:
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://", BEHIND_PROXY=True)
    seen = {}

    @app.get("/_seen")
    def _seen():  # noqa: ANN202
        from flask import request

        seen.update(addr=request.remote_addr, scheme=request.scheme)
        return "ok"

    app.test_client().get("/_seen", headers={"X-Forwarded-For": "203.0.113.9",
                                             "X-Forwarded-Proto": "https"})

    assert seen == {"addr": "203.0.113.9", "scheme": "https"}
