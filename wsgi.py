"""WSGI entry point: `gunicorn -c gunicorn.conf.py wsgi:app`, `flask --app wsgi ...`.

APP_ENV (development, testing, production) picks the configuration class; everything
else comes from the environment through config.py (README, "Configuration").
"""
from app import create_app
from config import config_for_env

app = create_app(config_for_env())
