"""Chinese first, English second: switching, formatting, and complete catalogues."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from app.extensions import db
from tests.factories import make_board, make_thread

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "app" / "translations"


def test_the_site_speaks_chinese_by_default(client) -> None:
    page = client.get("/login").get_data(as_text=True)

    assert '<html lang="zh-Hans">' in page
    assert "登录" in page


def test_switching_to_english_sticks_and_returns_to_the_page(client) -> None:
    response = client.post("/lang", data={"lang": "en", "next": "/login"})

    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log in" in page


def test_switching_back_to_chinese(client) -> None:
    client.post("/lang", data={"lang": "en", "next": "/"})
    client.post("/lang", data={"lang": "zh", "next": "/"})

    assert "登录" in client.get("/login").get_data(as_text=True)


def test_an_unknown_language_changes_nothing(client) -> None:
    client.post("/lang", data={"lang": "xx", "next": "/"})

    assert '<html lang="zh-Hans">' in client.get("/").get_data(as_text=True)


def test_an_english_browser_gets_english_until_it_chooses(client) -> None:
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})

    assert '<html lang="en">' in page.get_data(as_text=True)


def test_times_show_in_shanghai_time(client) -> None:
    thread = make_thread(make_board())
    local = thread.created_at.astimezone(ZoneInfo("Asia/Shanghai"))

    page = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert f"{local.hour:02d}:{local.minute:02d}" in page or \
        f"{local.hour}:{local.minute:02d}" in page


def test_counts_are_formatted_for_the_locale(app, client) -> None:
    board = make_board()
    board.thread_count = 12345
    db.session.commit()
    client.post("/lang", data={"lang": "en", "next": "/"})

    assert "12,345" in client.get(f"/c/{board.community.slug}").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_message_has_a_translation(lang: str) -> None:
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalogue = read_po(fh)

    missing = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy or (
        isinstance(m.string, tuple) and not all(m.string)))]
    assert missing == []


def test_the_catalogue_holds_every_string_in_the_code(tmp_path: Path) -> None:
    pot = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract",
                    "--ignore-dirs=.* .venv node_modules",
                    "-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext",
                    "-o", str(pot), str(ROOT)], check=True, cwd=ROOT)
    with open(pot, "rb") as fh:
        wanted = {m.id for m in read_po(fh) if m.id}
    with open(CATALOGUES / "zh" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        have = {m.id for m in read_po(fh) if m.id}

    assert sorted(wanted - have, key=str) == []
