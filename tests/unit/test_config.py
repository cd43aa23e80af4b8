"""Configuration read from the environment."""
from __future__ import annotations

from config import local_site_url


def test_email_links_follow_the_port_the_site_runs_on():
    assert local_site_url({"PORT": "5050"}) == "http://127.0.0.1:5050"
    assert local_site_url({"FLASK_RUN_PORT": "8001", "FLASK_RUN_HOST": "10.0.0.2"}) \
        == "http://10.0.0.2:8001"


def test_a_site_listening_everywhere_is_linked_on_this_machine():
    assert local_site_url({"HOST": "0.0.0.0", "PORT": "8080"}) == "http://127.0.0.1:8080"
    assert local_site_url({}) == "http://127.0.0.1:5000"
