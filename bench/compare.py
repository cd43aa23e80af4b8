"""Compare two run.py results, e.g. 1 M posts against 10 k (issue 7: p50 ≤ 1.2×).

    .venv/bin/python bench/compare.py bench/results/A.json bench/results/B.json

For each page and audience in both: p50, rps and server CPU per request of each run and
their ratio (second / first). CPU per request is the steadier figure on a shared machine.
"""
from __future__ import annotations

import json
from pathlib import Path

import click

LIMIT = 1.2


@click.command()
@click.argument("first", type=click.Path(exists=True, path_type=Path))
@click.argument("second", type=click.Path(exists=True, path_type=Path))
def main(first: Path, second: Path) -> None:
    """Print the ratios of two results, page by page."""
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (first, second))
    sizes = [doc["database"]["sizes"]["posts"] for doc in (a, b)]
    click.echo(f"{first.name} ({sizes[0]:,} posts) → {second.name} ({sizes[1]:,} posts)")
    click.echo(f"{'page':<12} {'who':<8} {'p50 ms':>15} {'ratio':>6} {'cpu ms':>13} "
               f"{'ratio':>6} {'rps':>15}")
    earlier = {(r["name"], r["audience"]): r for r in a["results"]}
    for r in b["results"]:
        old = earlier.get((r["name"], r["audience"]))
        if old is None or not old["p50_ms"] or not old["cpu_ms_per_request"]:
            continue
        p50 = r["p50_ms"] / old["p50_ms"]
        cpu = r["cpu_ms_per_request"] / old["cpu_ms_per_request"]
        flag = "" if p50 <= LIMIT else "  p50 over 1.2×"
        click.echo(f"{r['name']:<12} {r['audience']:<8} {old['p50_ms']:7.1f}→{r['p50_ms']:7.1f} "
                   f"{p50:6.2f} {old['cpu_ms_per_request']:6.2f}→{r['cpu_ms_per_request']:6.2f} "
                   f"{cpu:6.2f} {old['rps']:7.1f}→{r['rps']:7.1f}{flag}")


if __name__ == "__main__":
    main()
