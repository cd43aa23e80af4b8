"""Screenshots of pages at phone and desktop width, for people to look at.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:5000 / /c/siji-garden ...
    [--login USER:PASSWORD] [--out test-artifacts/shots]

Uses Debian's chromium (/usr/bin/chromium) through Playwright; no browser download.
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZES = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}


def main() -> None:
    """Take a full-page screenshot of every path at each size."""
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--login", help="USER:PASSWORD to log in first")
    parser.add_argument("--out", default="test-artifacts/shots")
    parser.add_argument("--prefix", default="")
    options = parser.parse_args()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size_name, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport, locale="zh-CN",
                                          device_scale_factor=1)
            page = context.new_page()
            if options.login:
                user, password = options.login.split(":", 1)
                page.goto(options.base + "/login")
                page.fill("#login", user)
                page.fill("#password", password)
                page.click("form.card button[type=submit]")
            for path in options.paths:
                page.goto(options.base + path)
                name = options.prefix + (re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
                                         or "home")
                target = out / f"{name}-{size_name}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
