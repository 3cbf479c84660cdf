"""The benchmark's pure parts: percentiles, target verdicts, the table, the merge into BENCHMARKS.md, and the
reading of a page's controls (no server here)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bench.report import Row, Target, block, blocks, merge, percentile, size_text, table
from bench.requests import control_value, controls_of
from bench.server import served_by
from view import View


@pytest.mark.parametrize("q", [0, 25, 50, 90, 95, 100])
def test_percentile_matches_numpy(q):
    samples = [12.0, 3.5, 7.25, 100.0, 41.0, 8.0, 9.5]
    assert percentile(samples, q) == pytest.approx(np.percentile(samples, q))


def test_percentile_edges():
    assert percentile([5.0], 95) == 5.0
    assert math.isnan(percentile([], 50))
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


def test_target_verdicts_below_and_above():
    below = Target(50, "ms")
    assert below.verdict(49.9) == "pass" and below.verdict(50) == "MISS" and below.verdict(None) == "no figure"
    above = Target(200_000, "rows/s", "value", above=True)
    assert above.verdict(250_000) == "pass" and above.verdict(150_000) == "MISS"
    assert below.text() == "< 50 ms p95" and above.text() == "> 200,000 rows/s"
    assert Target(1.5, "MB").text() == "< 1.5 MB p95"


def test_row_verdicts_judge_the_p95_in_the_target_unit():
    row = Row("filter change", times=[10, 20, 30, 40, 60], sizes=[9 * 1024] * 4 + [11 * 1024],
              time_target=Target(50, "ms"), size_target=Target(10, "KB"))
    # p95 of the times is 56 ms, of the sizes 10.6 KB: both miss, though the medians pass
    assert row.verdicts() == ["< 50 ms p95: MISS", "< 10 KB p95: MISS"]
    fine = Row("load", sizes=[1.2 * 1024**2] * 3, size_target=Target(1.5, "MB"))
    assert fine.verdicts() == ["< 1.5 MB p95: pass"]
    value = Row("memory", value="0.8 GB", judged=0.8, value_target=Target(1, "GB", "value"))
    assert value.verdicts() == ["< 1 GB: pass"]


def test_table_shows_n_median_p95_and_verdicts():
    rows = [Row("filter change, first asked", times=[100.0, 200.0, 300.0], sizes=[2048, 4096, 6144],
                time_target=Target(50, "ms")),
            Row("worker memory", value="VmRSS 0.50 GB", judged=0.5, value_target=Target(1, "GB", "value"))]
    lines = table(rows).splitlines()
    assert lines[0].startswith("| measure | n |") and len(lines) == 4
    assert lines[2] == "| filter change, first asked | 3 | 200 ms / 290 ms | 4.0 KB / 5.8 KB | < 50 ms p95: MISS |"
    assert lines[3] == "| worker memory |  | VmRSS 0.50 GB |  | < 1 GB: pass |"
    assert size_text(3 * 1024**2) == "3.00 MB"


def test_merge_keeps_unmeasured_scales_and_profile_notes():
    old = "\n\n".join(["# Benchmarks", block("scale:S", "## Scale S\n\nold S"), block("scale:M", "## Scale M\n\nold M"),
                       "## Profile", "Notes the team wrote.", block("profile", "old profile")]) + "\n"
    new = merge(old, {"scale:S": "## Scale S\n\nnew S", "profile": "new profile"},
                ["scale:S", "scale:M", "scale:L", "## Analysis"], "# Benchmarks\n\nhead")
    assert "new S" in new and "old S" not in new and "old M" in new
    assert new.index("new S") < new.index("old M") < new.index("## Analysis") < new.index("## Profile")
    assert "Notes the team wrote." in new and "new profile" in new and "old profile" not in new
    assert set(blocks(new)) == {"scale:S", "scale:M", "profile"}
    assert merge(new, {}, ["scale:S", "scale:M"], "# Benchmarks") .count("Notes the team wrote.") == 1


def test_controls_of_a_serialised_layout_and_their_values():
    layout = {"props": {"children": [
        {"props": {"id": {"type": "view", "key": "admin1"}, "value": []}, "type": "Dropdown"},
        {"props": {"children": {"props": {"id": {"type": "view", "key": "round"}, "value": "all"}}}},
        {"props": {"id": {"type": "nav", "page": "data"}, "href": "/data"}},
    ]}}
    assert controls_of(layout) == {"admin1": [], "round": "all"}
    view = View(admin1=("AF27",), round=None, weights={"severity": 0.5})
    assert control_value(view, "admin1") == ["AF27"] and control_value(view, "round") == "all"
    assert control_value(view, "weight:severity") == 0.5 and control_value(view, "weight:pin") == 0


def test_the_worker_that_ran_most_served_the_request():
    assert served_by({1: 100, 2: 100}, {1: 150, 2: 9_000_100}) == 2
