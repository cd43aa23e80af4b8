"""Accessibility and quality audit of pages: axe-core in chromium, and Lighthouse (mobile).

    .venv/bin/python scripts/audit.py http://127.0.0.1:5000 / /c/siji-garden ... \
        [--axe-js PATH/axe.min.js] [--lighthouse PATH/node_modules/.bin/lighthouse]
        [--login USER:PASSWORD]

Install the tools in a scratch folder first (offline-capable, from the npm registry):
    mkdir -p /tmp/audit && cd /tmp/audit && npm install lighthouse axe-core
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def axe(base: str, paths: list[str], axe_js: str, login: str | None) -> dict[str, list]:
    """Violations per page, as axe-core reports them, at phone width."""
    found: dict[str, list] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 812})
        if login:
            user, password = login.split(":", 1)
            page.goto(base + "/login")
            page.fill("#login", user)
            page.fill("#password", password)
            page.click("form.card button[type=submit]")
        source = Path(axe_js).read_text()
        for path in paths:
            page.goto(base + path)
            page.evaluate(source)
            result = page.evaluate("async () => await axe.run()")
            found[path] = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                            "nodes": [n["target"] for n in v["nodes"]][:5]}
                           for v in result["violations"]]
        browser.close()
    return found


def lighthouse(base: str, path: str, binary: str) -> dict[str, int]:
    """Lighthouse category scores (0–100) for one page, mobile form factor."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run([binary, base + path, "--form-factor=mobile", "--quiet",
                        "--only-categories=performance,accessibility,best-practices,seo",
                        "--output=json", f"--output-path={out}",
                        "--chrome-flags=--headless=new " + " ".join(ARGS)],
                       check=True, env={**os.environ, "CHROME_PATH": CHROMIUM},
                       capture_output=True, timeout=120)
        report = json.loads(out.read_text())
    scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
    failing = [a["id"] for a in report["audits"].values()
               if a.get("score") is not None and a["score"] < 0.9
               and a.get("scoreDisplayMode") in ("binary", "numeric")]
    scores["failing"] = failing  # type: ignore[assignment]
    return scores


def main() -> None:
    """Print axe violations and Lighthouse scores for each page."""
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--axe-js", default="/tmp/audit/node_modules/axe-core/axe.min.js")
    parser.add_argument("--lighthouse", default="/tmp/audit/node_modules/.bin/lighthouse")
    parser.add_argument("--login")
    parser.add_argument("--no-lighthouse", action="store_true")
    options = parser.parse_args()
    for path, violations in axe(options.base, options.paths, options.axe_js,
                                options.login).items():
        print(f"axe {path}: {len(violations)} violations")
        for v in violations:
            print(f"   {v['impact']:9} {v['id']}: {v['help']} {v['nodes']}")
    if not options.no_lighthouse and not options.login:
        for path in options.paths:
            print(f"lighthouse {path}: {lighthouse(options.base, path, options.lighthouse)}")


if __name__ == "__main__":
    main()
