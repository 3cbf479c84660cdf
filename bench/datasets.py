"""The generated datasets of each scale, kept under var/bench/<scale>/ and reused by the next run.

A dataset is built in a child process (`python -m bench.datasets <scale>`), so its peak memory is the build's
alone; the build's timings are recorded in build.json beside the dataset, which a later run reads instead of
building again.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from settings import ROOT

BENCH = ROOT / "var" / "bench"
RECORD = "build.json"
MEMORY_FLOOR_GB = 2.5  # a build is stopped when the machine's available memory falls below this


@dataclass(frozen=True)
class Scale:
    name: str
    facilities: int
    rounds: int
    seed: int = 0

    @property
    def folder(self) -> Path:
        return BENCH / self.name

    @property
    def dataset(self) -> Path:
        return self.folder / "dataset"

    def describe(self) -> str:
        return f"{self.facilities:,} facilities, {self.rounds} rounds"


SCALES = {"S": Scale("S", 4_000, 4), "M": Scale("M", 20_000, 8), "L": Scale("L", 50_000, 12)}


def recorded(scale: Scale) -> dict | None:
    """The build record of a dataset already on disk for this scale's parameters, else None."""
    try:
        record = json.loads((scale.folder / RECORD).read_text())
    except (OSError, ValueError):
        return None
    same = (record.get("facilities"), record.get("rounds"), record.get("seed")) == (scale.facilities, scale.rounds,
                                                                                    scale.seed)
    return record if same and (scale.dataset / "manifest.json").exists() else None


def ensure(scale: Scale, rebuild: bool = False) -> dict:
    """The scale's build record, building the dataset first (in a child process) if it is not on disk."""
    record = None if rebuild else recorded(scale)
    if record is not None:
        return {**record, "reused": True}
    scale.folder.mkdir(parents=True, exist_ok=True)
    log = scale.folder / "build.log"
    with open(log, "w") as out:
        child = subprocess.Popen([sys.executable, "-m", "bench.datasets", scale.name], cwd=ROOT, stdout=out,
                                 stderr=subprocess.STDOUT)
    start, peak = time.monotonic(), 0
    while child.poll() is None:  # stop the build before it takes the memory other processes need
        peak = max(peak, _kb(f"/proc/{child.pid}/status", "VmRSS"))
        if _kb("/proc/meminfo", "MemAvailable") < MEMORY_FLOOR_GB * 2**20:
            child.kill()
            child.wait()
            raise RuntimeError(f"the build of {scale.name} was stopped after {time.monotonic() - start:,.0f} s: the "
                               f"machine's available memory fell below {MEMORY_FLOOR_GB} GB (the build held "
                               f"{peak / 2**20:.1f} GB; the machine has "
                               f"{_kb('/proc/meminfo', 'MemTotal') / 2**20:.0f} GB)")
        time.sleep(0.5)
    if child.returncode != 0:
        raise RuntimeError(f"building {scale.name} failed: {log.read_text().strip()[-800:]}")
    return {**json.loads((scale.folder / RECORD).read_text()), "reused": False}


def _kb(path: str, name: str) -> int:
    """A `Name:  123 kB` field of a /proc file, in KB (0 if absent)."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def build(scale: Scale) -> dict:
    """Write the raw demo files, build the dataset from them (timed apart) and record both beside it."""
    from data.build import build_dataset
    from data.demo import LABEL, raw_folder
    from data.demo_files import write_demo_files

    (scale.folder / RECORD).unlink(missing_ok=True)
    shutil.rmtree(scale.dataset, ignore_errors=True)
    start = time.perf_counter()
    files = write_demo_files(raw_folder(scale.dataset), facilities=scale.facilities, rounds=scale.rounds,
                             seed=scale.seed)
    raw_seconds = time.perf_counter() - start
    start = time.perf_counter()
    manifest = build_dataset(scale.dataset, files.boundaries, files.population, files.facilities, files.partners,
                             files.needs, files.report_dates, label=LABEL, synthetic=True)
    build_seconds = time.perf_counter() - start
    tables = manifest.get("tables", {})
    record = {"scale": scale.name, "facilities": scale.facilities, "rounds": scale.rounds, "seed": scale.seed,
              "raw_seconds": round(raw_seconds, 2), "build_seconds": round(build_seconds, 2),
              "service_rows": int(tables.get("services", 0)), "facility_rows": int(tables.get("facilities", 0)),
              "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
              "dataset_mb": round(sum(f.stat().st_size for f in scale.dataset.rglob("*") if f.is_file()) / 2**20, 1),
              "built": time.strftime("%Y-%m-%d %H:%M")}
    (scale.folder / RECORD).write_text(json.dumps(record, indent=1) + "\n")
    return record


if __name__ == "__main__":
    print(json.dumps(build(SCALES[sys.argv[1]])))
