"""The pure parts of the benchmark: percentiles, the targets and their verdicts, the Markdown tables, and how
a new run is merged into BENCHMARKS.md (scales not measured this time keep their last table)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0..100), linear between the two nearest ranks (numpy's default); nan if empty."""
    ordered = sorted(samples)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(samples: list[float]) -> float:
    return percentile(samples, 50)


def _p95(samples: list[float]) -> float:
    return percentile(samples, 95)


@dataclass(frozen=True)
class Target:
    """A limit on a figure: below it (`above=False`) or above it passes."""
    limit: float
    unit: str  # "ms", "s", "KB", "MB", "GB", "rows/s"
    statistic: str = "p95"  # which figure of the row is judged: "p95", "median" or "value"
    above: bool = False

    def verdict(self, value: float | None) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "no figure"
        return "pass" if (value > self.limit if self.above else value < self.limit) else "MISS"

    def text(self) -> str:
        figure = "" if self.statistic == "value" else f" {self.statistic}"
        return f"{'>' if self.above else '<'} {_number(self.limit)} {self.unit}{figure}"


# The targets, per scale and figure.
TARGETS: dict[tuple[str, str], Target] = {
    ("S", "filter_ms"): Target(50, "ms"),
    ("S", "filter_kb"): Target(10, "KB"),
    ("S", "weight_ms"): Target(100, "ms"),
    ("S", "load_mb"): Target(1.5, "MB"),
    ("S", "map_s"): Target(2, "s"),
    ("M", "filter_ms"): Target(300, "ms"),
    ("M", "worker_gb"): Target(1, "GB", "value"),
    ("M", "build_rows"): Target(200_000, "rows/s", "value", above=True),
}


@dataclass
class Row:
    """One line of a scale's table: a measure with its samples (time and size), or a single value."""
    measure: str
    times: list[float] = field(default_factory=list)  # in `time_unit`
    sizes: list[float] = field(default_factory=list)  # bytes
    value: str = ""  # a single figure shown as is (build, memory), when there are no samples
    time_unit: str = "ms"
    time_target: Target | None = None
    size_target: Target | None = None
    judged: float | None = None  # the single figure a value row's target is judged on
    value_target: Target | None = None

    def verdicts(self) -> list[str]:
        """'<target>: pass|MISS' for each target of the row."""
        out = []
        for target, samples, scale in ((self.time_target, self.times, 1.0),
                                       (self.size_target, self.sizes, 1 / _BYTES.get(_unit(self.size_target), 1))):
            if target is not None:
                figure = _statistic([s * scale for s in samples], target.statistic)
                out.append(f"{target.text()}: {target.verdict(figure)}")
        if self.value_target is not None:
            out.append(f"{self.value_target.text()}: {self.value_target.verdict(self.judged)}")
        return out


_BYTES = {"KB": 1024, "MB": 1024**2, "GB": 1024**3}


def _unit(target: Target | None) -> str:
    return target.unit if target else "KB"


def _statistic(samples: list[float], name: str) -> float:
    return median(samples) if name == "median" else percentile(samples, 95)


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 or float(value).is_integer() else f"{value:,.3g}"


def size_text(size: float) -> str:
    """Bytes as KB below a megabyte, else MB."""
    if size >= 1024**2:
        return f"{size / 1024**2:,.2f} MB"
    return f"{size / 1024:,.1f} KB"


def time_text(value: float, unit: str) -> str:
    return f"{value:,.2f} {unit}" if unit == "s" else f"{value:,.0f} {unit}" if value >= 10 else f"{value:,.1f} {unit}"


def table(rows: list[Row]) -> str:
    """The scale's Markdown table: n, time median / p95, bytes on the wire median / p95, targets and verdicts."""
    lines = ["| measure | n | time median / p95 | on the wire median / p95 | target: verdict |",
             "|---|---:|---:|---:|---|"]
    for row in rows:
        n = max(len(row.times), len(row.sizes))
        times = " / ".join(time_text(f(row.times), row.time_unit) for f in (median, _p95)) if row.times else ""
        sizes = f"{size_text(median(row.sizes))} / {size_text(percentile(row.sizes, 95))}" if row.sizes else ""
        if row.value and not row.times and not row.sizes:
            times, n = row.value, ""
        lines.append(f"| {row.measure} | {n} | {times} | {sizes} | {'; '.join(row.verdicts())} |")
    return "\n".join(lines)


def simple_table(header: tuple[str, ...], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])


# BENCHMARKS.md is made of generated blocks between markers; text outside them (e.g. notes in the Profile
# section) is kept, and a block not regenerated by this run keeps its last text.

def block(key: str, text: str) -> str:
    return f"<!-- bench:{key} -->\n{text.strip()}\n<!-- /bench:{key} -->"


def blocks(document: str) -> dict[str, str]:
    """The generated blocks of a BENCHMARKS.md, by key, with their markers."""
    return {m.group(1): m.group(0) for m in re.finditer(r"<!-- bench:(\S+) -->.*?<!-- /bench:\1 -->", document, re.S)}


def section(document: str, heading: str) -> str:
    """The text of a `## heading` section (without its heading), '' if absent."""
    match = re.search(rf"^## {re.escape(heading)}\s*\n(.*?)(?=^## |\Z)", document, re.S | re.M)
    return match.group(1).strip() if match else ""


def merge(old: str, new: dict[str, str], order: list[str], head: str, profile_key: str = "profile") -> str:
    """The new BENCHMARKS.md: `head`, then the blocks in `order` (new text, else the old block, else nothing;
    an entry starting with "#" is a heading written as is),
    then the Profile section with its hand-written text kept and its generated block renewed."""
    previous = blocks(old)
    parts = [head.strip()]
    for key in order:
        if key.startswith("#"):  # a fixed heading
            parts.append(key)
        elif key in new:
            parts.append(block(key, new[key]))
        elif key in previous:
            parts.append(previous[key])
    notes = section(old, "Profile")
    kept = re.sub(rf"<!-- bench:{profile_key} -->.*?<!-- /bench:{profile_key} -->", "", notes, flags=re.S).strip()
    generated = block(profile_key, new[profile_key]) if profile_key in new else previous.get(profile_key, "")
    parts.append("\n\n".join(p for p in ("## Profile", kept, generated) if p))
    return "\n\n".join(parts) + "\n"
