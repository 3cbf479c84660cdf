"""In-process figures of a dataset: its web geometry, the district table per kind of filter and the ranking
(no server: the cost of the analysis alone), and a profile of the overview's callback."""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import time
from pathlib import Path

from analysis import disclosure
from analysis.districts import district_table
from analysis.filters import Filter
from analysis.indicators import province_indicators
from analysis.priority import default_method, rank
from analysis.services import service_answers
from bench.report import median, percentile
from data.dataset import load_dataset
from settings import ROOT

FILTERS = {  # one filter of each kind a user sets on the overview
    "whole country, latest round": lambda rounds, province: Filter(),
    "one province": lambda rounds, province: Filter(admin1=(province,)),
    "one service domain (child health)": lambda rounds, province: Filter(domain="child_health"),
    "primary facilities, earlier round": lambda rounds, province: Filter(round=rounds[-2] if len(rounds) > 1 else None,
                                                                         tiers=("primary",)),
}


def geometry(manifest: dict) -> list[tuple[str, str]]:
    """The web geometry the build wrote, per level: features, vertices, raw and gzip -9 sizes."""
    rows = []
    for level, entry in manifest.get("geometry", {}).items():
        rows.append((f"web geometry {level}: features, vertices", f"{entry['features']}, {entry['vertices']:,}"))
        rows.append((f"web geometry {level}: raw / gzip -9",
                     f"{entry['bytes'] / 1024:,.0f} KB / {entry['gzip_bytes'] / 1024:,.0f} KB"))
    return rows


def timings(dataset: Path, repeats: int) -> list[tuple[str, str]]:
    """The full district table (facility, service and partner indicators) per filter, and the ranking."""
    loaded = load_dataset(dataset)
    rounds = loaded.rounds["round"].astype(str).tolist()
    province = str(loaded.provinces["adm1_pcode"].iloc[0])
    rows = []
    for name, make in FILTERS.items():
        chosen = make(rounds, province)
        samples = []
        for _ in range(repeats):
            start = time.perf_counter()
            district_table(loaded, chosen)
            samples.append((time.perf_counter() - start) * 1000)
        rows.append((f"district table, every indicator: {name} (median / p95 of {repeats})",
                     f"{median(samples):,.0f} ms / {percentile(samples, 95):,.0f} ms"))
    table = district_table(loaded, Filter())
    start = time.perf_counter()
    rank(table, default_method())
    rows.append((f"priority ranking, default weights, 1,000 stability draws, {len(table)} districts",
                 f"{(time.perf_counter() - start) * 1000:,.0f} ms"))
    return rows + protection_costs(dataset, repeats)


def protection_costs(dataset: Path, repeats: int) -> list[tuple[str, str]]:
    """What the public view's protection adds to a request (analysis/disclosure.py): each public answer timed
    against the coordinator's same answer, alternately, per kind of filter; median and p95 of the difference."""
    loaded = load_dataset(dataset)
    province = str(loaded.provinces["adm1_pcode"].iloc[0])
    chosen = {"whole country": Filter(), "one province": Filter(admin1=(province,)),
              "one service domain": Filter(domain="child_health")}
    tables = {f: disclosure.public_districts(loaded, f) for f in chosen.values()}  # the page's, kept (ctx)
    answers = {
        "district table": (lambda f: disclosure.public_districts(loaded, f), lambda f: district_table(loaded, f)),
        "services answers": (lambda f: disclosure.public_service_answers(loaded, f, tables[f]),
                             lambda f: service_answers(loaded, f)),
        "province rows": (lambda f: disclosure.published_provinces(loaded, f, tables[f]),
                          lambda f: province_indicators(loaded, f)),
    }
    rows = []
    for answer, (public, coordinator) in answers.items():
        for name, filter_ in chosen.items():
            added = []
            for _ in range(repeats):
                added.append(_ms(public, filter_) - _ms(coordinator, filter_))
            rows.append((f"public protection, {answer}: {name} (added ms, median / p95 of {repeats})",
                         f"{median(added):+,.1f} ms / {percentile(added, 95):+,.1f} ms"))
    return rows


def _ms(function, argument) -> float:
    start = time.perf_counter()
    function(argument)
    return (time.perf_counter() - start) * 1000


def profile_overview(dataset: Path, count: int = 5, top: int = 10) -> str:
    """cProfile of `count` first-time filter changes (one province each) on the overview, sent through
    Flask's test client to the callback endpoint: the top functions by cumulative and by own time."""
    from app import create_app
    from bench.requests import callback, payload
    from settings import Settings
    from view import View

    client = create_app(Settings(dataset=Path(dataset))).server.test_client()
    overview = callback(client.get("/_dash-dependencies").get_json(), "..map.figure...")
    provinces = load_dataset(dataset).provinces["adm1_pcode"].astype(str).tolist()
    bodies = [payload(overview, {"view.data": View(admin1=(p,)).to_dict()}, "view.data") for p in provinces[:count]]
    client.post("/_dash-update-component", json=payload(overview, {"view.data": View().to_dict()}, "view.data"))
    profiler = cProfile.Profile()
    for body in bodies:
        profiler.enable()
        response = client.post("/_dash-update-component", json=body)
        profiler.disable()
        assert response.status_code == 200, response.status_code
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    lines = [f"{count} first-time province changes on the overview (callback endpoint, Flask test client), "
             f"{total:.2f} s of profiled time, {total / count * 1000:,.0f} ms per change.", "",
             f"Top {top} project functions by cumulative time (the Flask and Dash dispatch above them left out):", "",
             _top(stats, "cumulative", top, ours=True), "",
             f"Top {top} by own time:", "", _top(stats, "tottime", top)]
    return "\n".join(lines)


def _top(stats: pstats.Stats, key: str, top: int, ours: bool = False) -> str:
    stats.stream = io.StringIO()  # sort_stats fills fcn_list; nothing is printed
    stats.sort_stats(key)
    rows = []
    functions = [f for f in stats.fcn_list if not ours or _ours(f[0])]
    for function in functions[:top]:
        calls, _, own, cumulative, _ = stats.stats[function]
        rows.append((f"`{_name(function)}`", f"{calls:,}", f"{own:.3f}", f"{cumulative:.3f}"))
    from bench.report import simple_table

    return simple_table(("function", "calls", "own s", "cumulative s"), rows)


def _ours(path: str) -> bool:
    return path.startswith(str(ROOT)) and "site-packages" not in path and "/bench/" not in path


def _name(function: tuple[str, int, str]) -> str:
    """file:line(function), the file relative to the project or to site-packages."""
    path, line, name = function
    path = re.sub(r".*/site-packages/", "", path)
    path = path.removeprefix(str(ROOT) + "/")
    return f"{path}:{line}({name})" if path != "~" else name
