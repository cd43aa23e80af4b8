"""WSGI entry point: `gunicorn -c gunicorn.conf.py wsgi:app`, `flask --app wsgi ...`.

APP_ENV (development, testing, production) picks the configuration class; everything
else comes from the environment through config.py (README, "Configuration").
"""
import gc

from app import create_app
from config import config_for_env

app = create_app(config_for_env())
# Keep the objects made at start-up out of the cyclic collector: fewer collections, and
# with `gunicorn --preload` the forked workers stop copying those pages (issue 7).
gc.freeze()
