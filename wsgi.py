"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
import gc

from app import create_app

app = create_app()
# Keep the objects made at start-up out of the cyclic collector: fewer collections, and
# with `gunicorn --preload` the forked workers stop copying those pages (issue 7).
gc.freeze()
