"""`python -m bench [--scales S,M,L] [--repeats N] [--write]`: the app's speed at scale.

For each scale a generated dataset (bench/datasets.py, kept under var/bench/<scale>/) is served by gunicorn
as `make run` serves it (bench/server.py); a filter change on the overview, a weight change on the priorities
page and the opening of a district profile are sent to the callback endpoint as the browser sends them
(bench/requests.py), the first load is made in Chromium (bench/browser.py), and a worker's memory is read.
Then the analysis is timed in process and the overview's callback profiled (bench/analysis.py). Prints
Markdown; `--write` merges it into BENCHMARKS.md (bench/report.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
import traceback
from importlib.metadata import version
from pathlib import Path

from bench import analysis, browser, datasets, report, requests
from bench.report import TARGETS, Row
from bench.server import memory_kb, serving
from settings import ROOT

KINDS = {"province": "a province", "round": "another round or service domain (whole country)",
         "indicator": "another indicator"}
WHEN = {"first": "first asked", "again": "asked again"}


def machine() -> str:
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    versions = ", ".join(f"{p} {version(p)}" for p in ("dash", "plotly", "pandas", "pyarrow", "gunicorn"))
    return (f"Machine: {platform.system()} {platform.release()} {platform.machine()}, {cpu}, {os.cpu_count()} CPUs, "
            f"{memory / 2**20:.1f} GB RAM; Python {platform.python_version()}.\nVersions: {versions}.")


def _target(scale: str, figure: str):
    return TARGETS.get((scale, figure))


def interaction_rows(scale: str, name: str, samples: requests.Samples, time_target: str | None,
                     size_target: str | None) -> list[Row]:
    """One row per first asked / asked again (one row when they cannot differ), the page callback alone noted."""
    rows = []
    for when in ("first", "again"):
        if not samples.times[when]:
            continue
        alone = samples.page_times[when]
        rows.append(Row(f"{name}, {WHEN[when]} (page callback alone: {report.median(alone):,.0f} / "
                        f"{report.percentile(alone, 95):,.0f} ms)", samples.times[when], samples.sizes[when],
                        time_target=_target(scale, time_target) if time_target else None,
                        size_target=_target(scale, size_target) if size_target else None))
    return rows


def build_row(scale: str, record: dict) -> Row:
    rate = record["service_rows"] / record["build_seconds"] if record["build_seconds"] else 0.0
    when = f"reused, built {record['built']}" if record.get("reused") else f"built {record['built']}"
    return Row(f"dataset build: {record['service_rows']:,} service rows, {record['facility_rows']:,} facility rows",
               value=f"{record['build_seconds']:,.0f} s, {rate:,.0f} service rows/s (raw files written in "
                     f"{record['raw_seconds']:,.0f} s; peak {record['peak_rss_mb']:,} MB; {record['dataset_mb']:,} MB "
                     f"on disk; {when})", judged=rate, value_target=_target(scale, "build_rows"))


def measure_scale(scale: datasets.Scale, repeats: int, loads: int, rebuild: bool) -> tuple[str, str]:
    """(the scale's block, its in-process analysis block)."""
    load_before = os.getloadavg()[0]
    record = datasets.ensure(scale, rebuild)
    manifest = json.loads((scale.dataset / "manifest.json").read_text())
    rows = [build_row(scale.name, record)]
    started = time.perf_counter()
    with serving(scale.dataset, scale.folder / "gunicorn.log") as server:
        ready = time.perf_counter() - started
        import pandas as pd

        districts = pd.read_parquet(scale.dataset / "districts.parquet", columns=["adm2_pcode", "adm1_pcode"])
        session = requests.Session(server, [str(r) for r in manifest["rounds"]],
                                   list(zip(districts["adm2_pcode"].astype(str), districts["adm1_pcode"].astype(str))))
        for kind, name in KINDS.items():
            rows += interaction_rows(scale.name, f"filter change on the overview: {name}",
                                     requests.filter_change(session, kind, repeats), "filter_ms", "filter_kb")
        rows += interaction_rows(scale.name, "weight change on the priorities page",
                                 requests.weight_change(session, repeats), "weight_ms", None)
        rows += interaction_rows(scale.name, "district profile opened from the overview map",
                                 requests.district_open(session, repeats), None, None)
        first = browser.first_loads(server.url + "/", loads)
        rows.append(Row(f"first load of the overview in Chromium: bytes received, {first[0].requests} responses",
                        sizes=[load.bytes for load in first], size_target=_target(scale.name, "load_mb")))
        rows.append(Row("first load: map drawn (navigation start to the first district path)",
                        [load.map_ms / 1000 for load in first], time_unit="s",
                        time_target=_target(scale.name, "map_s")))
        memory = {pid: memory_kb(pid) for pid in server.workers()}
    worst = max(memory.values(), key=lambda m: m["VmRSS"])
    rows.append(Row("app worker memory after the measured requests (the larger of 2 workers)",
                    value=f"VmRSS {worst['VmRSS'] / 2**20:.2f} GB (peak {worst['VmHWM'] / 2**20:.2f} GB, Pss "
                          f"{worst.get('Pss', 0) / 2**20:.2f} GB)", judged=worst["VmRSS"] / 2**20,
                    value_target=_target(scale.name, "worker_gb")))
    rows.append(Row("gunicorn ready (dataset loaded before the fork, 2 workers up)", value=f"{ready:,.1f} s"))
    largest = ", ".join(f"{name} {report.size_text(size)}" for name, size in first[0].largest)
    outside = sum(load.outside for load in first)
    text = "\n".join([
        f"## Scale {scale.name}: {scale.describe()}, {manifest['tables']['services']:,} service rows",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} by `{_command()}`; load average before: {load_before:.1f}, "
        f"after: {os.getloadavg()[0]:.1f} (other work on the machine shows in the times).",
        "",
        report.table(rows),
        "",
        f"Largest responses of the first load: {largest}." + (f" {outside} requests tried to leave loopback."
                                                               if outside else ""),
    ])
    repeats_in_process = max(3, repeats // 4)
    analysis_text = "\n".join([f"### {scale.name}: {scale.describe()}", "",
                               report.simple_table(("measure", "value"), analysis.geometry(manifest)
                                                   + analysis.timings(scale.dataset, repeats_in_process))])
    return text, analysis_text


def _command() -> str:
    import sys

    return "python -m bench " + " ".join(sys.argv[1:])


HEAD = """# Benchmarks

Made by `python -m bench --write` (bench/; `make bench`). Each scale's dataset is generated by
`data.demo` (Afghanistan's 395 districts, synthetic facilities, seed 0) and kept under var/bench/<scale>/.
The app is served by gunicorn with the `make run` config (2 workers) on loopback. The three interactions are
the chains of requests Dash's renderer sends to /_dash-update-component (bench/requests.py): time is the
critical path as a client on loopback sees it (the URL writer then the page's callback; for a district,
the map click, the router and the page's callback), bytes are every response of the chain as sent for
`Accept-Encoding: gzip, br`, with the page's stores as the browser holds them after drawing the view it
starts from (so, as in a browser, a view keeping the overview's districts is sent values only). Each repeat
asks a view never asked before; "first asked" is a view the
serving worker had never computed, "asked again" one it had (each worker caches its own tables; n counts
the requests, so a view first asked of both workers counts twice). "Another indicator" keeps the filter, so
its district table is usually cached already: its cost is the response, not the analysis. The first
load is Chromium (fresh context, empty cache) until the overview map has drawn its districts; its bytes
are CDP's encodedDataLength of every response (as Chromium negotiates, headers included).
Targets are the issue's; a verdict MISS means the figure misses it. The machine has 2 CPUs shared with
other work (the load average is given): times are upper bounds of an idle machine's."""


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="S", help="comma-separated among S, M, L (default S)")
    parser.add_argument("--repeats", type=int, default=20, help="distinct views per interaction (default 20)")
    parser.add_argument("--loads", type=int, default=5, help="first loads in Chromium (default 5)")
    parser.add_argument("--rebuild", action="store_true", help="build the datasets again even if kept")
    parser.add_argument("--write", action="store_true", help="merge the tables into BENCHMARKS.md")
    args = parser.parse_args()
    names = [s.strip().upper() for s in args.scales.split(",") if s.strip()]
    unknown = [n for n in names if n not in datasets.SCALES]
    if unknown:
        parser.error(f"unknown scales {unknown}: choose among {', '.join(datasets.SCALES)}")
    blocks: dict[str, str] = {}
    for name in names:
        scale = datasets.SCALES[name]
        try:
            blocks[f"scale:{name}"], blocks[f"analysis:{name}"] = measure_scale(scale, args.repeats, args.loads,
                                                                                args.rebuild)
        except Exception as error:  # noqa: BLE001 - a scale that cannot run here says why, the others go on
            traceback.print_exc()
            blocks[f"scale:{name}"] = (f"## Scale {name}: {scale.describe()}\n\nCould not run here "
                                       f"({time.strftime('%Y-%m-%d %H:%M')}, `{_command()}`): "
                                       f"{type(error).__name__}: {str(error).strip()[-600:]}")
        print(blocks[f"scale:{name}"], "\n", blocks.get(f"analysis:{name}", ""), "\n", flush=True)
    if "S" in names:
        blocks["profile"] = analysis.profile_overview(datasets.SCALES["S"].dataset)
        print(blocks["profile"])
    if args.write:
        path = ROOT / "BENCHMARKS.md"
        old = path.read_text() if path.exists() else ""
        for name, scale in datasets.SCALES.items():  # a scale never measured says so
            if f"scale:{name}" not in blocks and f"scale:{name}" not in report.blocks(old):
                blocks[f"scale:{name}"] = (f"## Scale {name}: {scale.describe()}\n\nNot measured yet: "
                                           f"`python -m bench --scales {name} --write`.")
        head = HEAD + "\n\n" + machine()
        order = [f"scale:{n}" for n in datasets.SCALES] + ["## Analysis timings (in process, no server)"] + [
            f"analysis:{n}" for n in datasets.SCALES]
        path.write_text(report.merge(old, blocks, order, head))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
