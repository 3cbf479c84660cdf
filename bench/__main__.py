"""`python -m bench`: measure the demo's web geometry, its build, the analysis per filter, and a filter change.

Prints a Markdown table with the machine and versions; `--write` puts it into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from analysis.districts import district_table
from analysis.filters import Filter
from analysis.priority import default_method, rank
from app import create_app
from bench.endpoint import update_payload
from data.build import build_dataset
from data.dataset import load_dataset
from data.demo import raw_folder
from data.demo_files import write_demo_files
from layouts import ids
from layouts.view import View
from settings import ROOT, Settings


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(repeats: int) -> list[tuple[str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "demo"
        start = time.perf_counter()
        files = write_demo_files(raw_folder(out))
        rows.append(("demo raw files written (4,000 facilities, 4 rounds)", f"{time.perf_counter() - start:.1f} s"))
        builds = []
        for _ in range(3):
            start = time.perf_counter()
            manifest = build_dataset(out, files.boundaries, files.population, files.facilities, files.partners,
                                     files.needs, files.report_dates)
            builds.append(time.perf_counter() - start)
        build = statistics.median(builds)
        rows.append(("demo dataset build from the raw files, median of 3", f"{build:.1f} s"))
        services = manifest["tables"]["services"]
        rows.append(("  service rows written (all rounds) per second of build", f"{services:,} rows, {services / build:,.0f}/s"))
        for level, entry in manifest["geometry"].items():
            rows.append((f"web geometry {level}: features, vertices", f"{entry['features']}, {entry['vertices']:,}"))
            rows.append((f"web geometry {level}: raw / gzip -9", f"{entry['bytes'] / 1024:,.0f} KB / "
                         f"{entry['gzip_bytes'] / 1024:,.0f} KB"))
        rows += _analysis_timings(out, repeats)
        client = create_app(Settings(dataset=out)).server.test_client()
        dependencies = client.get("/_dash-dependencies").get_json()
        timings, sizes = [], []
        for i in range(repeats):
            indicator = ("population", "population_density")[i % 2]
            view = View(indicator=indicator, admin1=() if i % 4 < 2 else ("AF27",))
            payload = update_payload(dependencies, f"{ids.MAP}.figure", {"view.data": view.to_dict()}, "view.data")
            start = time.perf_counter()
            response = client.post("/_dash-update-component", json=payload, headers={"Accept-Encoding": "gzip"})
            timings.append((time.perf_counter() - start) * 1000)
            sizes.append(len(response.data))
        rows.append((f"overview view change (indicator, province), server time (median / p95 of {repeats})",
                     f"{statistics.median(timings):.1f} ms / {_percentile(timings, 0.95):.1f} ms"))
        rows.append(("overview view change, response on the wire (gzip; all 395 districts / one province)",
                     f"{max(sizes) / 1024:.1f} KB / {min(sizes) / 1024:.1f} KB"))
    return rows


FILTERS = {  # one filter of each kind a user sets on the overview
    "whole country, latest round": Filter(),
    "one province (Kandahar)": Filter(admin1=("AF27",)),
    "one service domain (child health)": Filter(domain="child_health"),
    "primary facilities, earlier round": Filter(round="2026-06-30", tiers=("primary",)),
}


def _analysis_timings(dataset: Path, repeats: int) -> list[tuple[str, str]]:
    """The full district table (facility, service and partner indicators) and the ranking, per filter."""
    loaded = load_dataset(dataset)
    rows = []
    for name, chosen in FILTERS.items():
        timings = []
        for _ in range(max(5, repeats // 5)):
            start = time.perf_counter()
            district_table(loaded, chosen)
            timings.append((time.perf_counter() - start) * 1000)
        rows.append((f"district table, every indicator: {name} (median / p95)",
                     f"{statistics.median(timings):.0f} ms / {_percentile(timings, 0.95):.0f} ms"))
    table = district_table(loaded, Filter())
    start = time.perf_counter()
    rank(table, default_method())
    rows.append(("priority ranking, default weights, 1,000 stability draws, 395 districts",
                 f"{(time.perf_counter() - start) * 1000:.0f} ms"))
    return rows


def report(rows: list[tuple[str, str]], command: str) -> str:
    machine = f"{platform.system()} {platform.release()}, {platform.machine()}, Python {platform.python_version()}"
    versions = ", ".join(f"{p} {version(p)}" for p in ("dash", "plotly", "pandas", "shapely", "geopandas"))
    lines = ["| measure | value |", "|---|---|"] + [f"| {name} | {value} |" for name, value in rows]
    return "\n".join([f"Machine: {machine}; {__import__('os').cpu_count()} cores.", f"Versions: {versions}.",
                      f"Command: `{command}`, {time.strftime('%Y-%m-%d')}.", "", *lines, ""])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--write", action="store_true", help="write the table into BENCHMARKS.md")
    args = parser.parse_args()
    text = report(measure(args.repeats), f"python -m bench --repeats {args.repeats}")
    print(text)
    if args.write:
        (ROOT / "BENCHMARKS.md").write_text("# Benchmarks\n\nMade by `python -m bench --write` (see bench/).\n\n" + text)


if __name__ == "__main__":
    main()
