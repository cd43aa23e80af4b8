"""Results as Markdown tables for the README: one column per run, one row per page.

    .venv/bin/python bench/markdown.py bench/results/A.json bench/results/B.json ...

Each cell: requests/s · p50 ms · server CPU ms per request (+ PostgreSQL CPU ms) · the
page's share of the plain-string rate by CPU (plain's CPU ms / the page's), the measure
that other work on a shared machine disturbs least. A second table lists the targets.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _name(document: dict) -> str:
    sizes = document["database"]["sizes"]["posts"]
    size = f"{sizes // 1000} k" if sizes < 900_000 else f"{round(sizes / 1_000_000)} M"
    dialect = "SQLite" if document["database"]["dialect"] == "sqlite" else "PostgreSQL"
    return f"{dialect} {size}"


def _cell(result: dict, plain_cpu: float) -> str:
    cpu = result["cpu_ms_per_request"] or 0.0
    db = result.get("db_cpu_ms_per_request")
    cost = f"{cpu:.1f}" + (f"+{db:.1f}" if db else "")
    share = f"{100 * plain_cpu / (cpu + (db or 0)):.0f} %" if cpu else "-"
    errors = f" · **{result['errors']} errors**" if result["errors"] else ""
    busy = " ⚠" if result.get("other_cpu_cores", 0) > 0.3 else ""
    return f"{result['rps']:.0f} · {result['p50_ms']:.0f} · {cost} · {share}{errors}{busy}"


def main(paths: list[str]) -> None:
    documents = [json.loads(Path(p).read_text(encoding="utf-8")) for p in paths]
    rows: dict[tuple[str, str], dict[int, dict]] = {}
    plains = []
    for index, document in enumerate(documents):
        plain = next(r for r in document["results"] if r["name"] == "plain")
        plains.append(plain["cpu_ms_per_request"])
        for result in document["results"]:
            label = result["label"].split(" (")[0] if result["name"] != "plain" \
                else "plain string"
            rows.setdefault((label, result["audience"]), {})[index] = result
    print("| page | who | " + " | ".join(_name(d) for d in documents) + " |")
    print("|---|---|" + "---|" * len(documents))
    for (label, who), cells in rows.items():
        print(f"| {label} | {who} | " + " | ".join(
            _cell(cells[i], plains[i]) if i in cells else "" for i in range(len(documents)))
              + " |")
    print()
    print("| run | when (UTC) | other work, cores (mean) | worker RSS max / PSS max, MB |")
    print("|---|---|---|---|")
    for document in documents:
        results = document["results"]
        other = sum(r.get("other_cpu_cores", 0) for r in results) / len(results)
        rss = max(r["worker_rss_mb"] for r in results)
        pss = max(r.get("worker_pss_mb") or 0 for r in results)
        print(f"| {_name(document)} | {document['when'][:16]} | {other:.2f} | "
              f"{rss:.0f} / {pss:.0f} |")
    print()
    print("| target | " + " | ".join(_name(d) for d in documents) + " |")
    print("|---|" + "---|" * len(documents))
    targets: dict[str, dict[int, dict]] = {}
    for index, document in enumerate(documents):
        for target in document.get("targets", []):
            targets.setdefault(target["target"], {})[index] = target
    for name, cells in targets.items():
        def show(t: dict) -> str:
            by_cpu = f" (CPU {t['by_cpu']})" if t.get("by_cpu") is not None else ""
            return f"{'pass' if t['pass'] else 'MISS'} {t['value']}{by_cpu}"
        print(f"| {name} | " + " | ".join(show(cells[i]) if i in cells else ""
                                          for i in range(len(documents))) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
