"""The change page as plain functions on the demo: its table, bands, counts, default rounds and empty states."""

from __future__ import annotations

import base64
import io
from dataclasses import replace

import numpy as np
import pandas as pd

from analysis.access import COORDINATOR, PUBLIC
from analysis.catalogue import INDICATORS
from analysis.filters import Filter
from analysis.indicators import change_between_rounds
from context import Context
from figures.change import BETTER_LARGE, WORSE, WORSE_LARGE, categories, change_values
from figures.choropleth import DISTRICTS
from pages import ids
from pages.change.callbacks import BEFORE_OPTIONS, OUTPUTS, change_export, change_update
from pages.change.layout import layout, map_values
from pages.change.model import (
    CHANGE_INDICATORS,
    band_edge,
    bands,
    change_notes,
    change_table,
    comparison,
    counts,
    worsening,
)
from pages.downloads import download
from tests.conftest import GEOMETRY, public_change
from view import View

ROUNDS = ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"]
# outputs of change_update, by (id, property)
ROWS, COLUMNS = (ids.CHANGE_TABLE, "rowData"), (ids.CHANGE_TABLE, "columnDefs")
HEADLINES, EMPTY = (ids.CHANGE_HEADLINES, "children"), (ids.CHANGE_EMPTY, "children")



def _rounded(values: pd.Series, decimals: int) -> list:
    return [None if pd.isna(v) else round(float(v), decimals) for v in values]



def test_the_update_sends_every_output_and_only_those(ctx):
    for view in (View(page="change"), View(page="change", before=ROUNDS[3])):
        assert list(change_update(ctx, view, PUBLIC)) == OUTPUTS


def test_table_equals_change_between_rounds_for_a_filter(ctx, demo):
    view = View(page="change", indicator="availability_score", before="2026-06-30", admin1=("AF01", "AF23"),
                tiers=("primary",))
    chosen = Filter(admin1=("AF01", "AF23"), tiers=("primary",))
    rows = change_update(ctx, view, COORDINATOR)[ROWS]
    expected = change_between_rounds(demo, chosen, "2026-06-30", "2026-12-31", "availability_score")
    assert [r["adm2_pcode"] for r in rows] == expected["adm2_pcode"].tolist()
    assert [r["change"] for r in rows] == _rounded(expected["change"], 1)
    # The public's: the same, districts of fewer than 3 facilities in either round withheld.
    rows = change_update(ctx, view, PUBLIC)[ROWS]
    expected = public_change(demo, chosen, "2026-06-30", "2026-12-31", "availability_score")
    assert expected["suppressed"].any() and [r["suppressed"] for r in rows] == expected["suppressed"].tolist()
    assert {r["band"] for r in rows if r["suppressed"]} == {"suppressed (small numbers)"}
    assert len(rows) == len(expected) == int(demo.districts["adm1_pcode"].isin(["AF01", "AF23"]).sum())
    assert [r["adm2_pcode"] for r in rows] == expected["adm2_pcode"].tolist()  # largest drops first
    for column in ("before", "after", "change"):
        assert [r[column] for r in rows] == _rounded(expected[column], 1)
    assert rows[0]["change"] < 0 and rows[0]["band"].startswith("worse by over")
    # the export is the table shown
    exported = change_export(ctx, view, PUBLIC)
    assert exported.astype(object).where(exported.notna(), None).to_dict("records") == rows


def test_higher_is_worse_lists_the_largest_rise_first(ctx, demo):
    view = View(page="change", indicator="pct_damaged", before="2026-03-31")
    rows = change_update(ctx, view, COORDINATOR)[ROWS]
    expected = change_between_rounds(demo, Filter(), "2026-03-31", "2026-12-31", "pct_damaged")
    assert rows[0]["change"] == round(float(expected["change"].max()), 1) > 0
    assert rows[0]["band"].startswith("worse")
    assert rows[-1]["change"] is None  # no value in a round: last
    shown = [r["change"] for r in rows if r["change"] is not None]
    assert shown == sorted(shown, reverse=True)


def test_bands_are_symmetric_and_worse_follows_the_direction():
    change = pd.Series([-10.0, -2.0, 0.0, 0.04, 2.0, 10.0, np.nan])
    edge = band_edge(change, 1)
    assert edge == 6.0  # the median size of the changes that show (2, 2, 10, 10); 0.04 shows as 0.0
    damaged = bands(change, INDICATORS["pct_damaged"].direction, 1, edge)  # higher is worse: a rise is worse
    assert damaged.tolist()[:6] == ["better_large", "better", "unchanged", "unchanged", "worse", "worse_large"]
    assert pd.isna(damaged.iloc[6])
    available = bands(change, INDICATORS["availability_score"].direction, 1, edge)  # a fall is worse
    assert available.tolist()[:6] == ["worse_large", "worse", "unchanged", "unchanged", "better", "better_large"]
    assert bands(-change, "higher_is_better", 1, edge).tolist()[:6] == damaged.tolist()[:6]
    assert worsening(pd.Series([3.0]), "higher_is_worse").iloc[0] == 3.0
    assert worsening(pd.Series([3.0]), "higher_is_better").iloc[0] == -3.0
    labels = {c.value: c.label for c in categories(edge, 1)}
    assert labels["worse_large"] == "worse by over 6.0" and labels["better"] == "better by up to 6.0"
    assert band_edge(pd.Series([0.0, 0.01, np.nan]), 1) is None  # nothing changed: no split
    assert bands(pd.Series([-5.0, 5.0]), "higher_is_better", 1, None).tolist() == ["worse", "better"]


def test_worse_is_red_on_the_map_whatever_the_direction(ctx, demo):
    for indicator_id, rise_is_worse in (("pct_damaged", True), ("availability_score", False)):
        indicator = INDICATORS[indicator_id]
        table = change_between_rounds(demo, Filter(), "2026-09-30", "2026-12-31", indicator_id)
        table = table.merge(demo.districts[["adm2_pcode", "adm1_pcode"]], on="adm2_pcode", how="left")
        edge = band_edge(table["change"], indicator.decimals)
        banded = table.assign(band=bands(table["change"], indicator.direction, indicator.decimals, edge))
        trace = change_values(banded, indicator, "2026-09-30", "2026-12-31", edge)[DISTRICTS]
        colours = [c for _, c in trace["colorscale"][::2]]  # one flat band per category, "no data" first
        rise, fall = table["change"].idxmax(), table["change"].idxmin()
        worst, best = (rise, fall) if rise_is_worse else (fall, rise)
        assert colours[trace["z"][worst]] == WORSE_LARGE
        assert colours[trace["z"][best]] == BETTER_LARGE
        assert "to 2026-12-31" in trace["colorbar"]["title"]["text"] and "median" in trace["colorbar"]["title"]["text"]
        missing = table["change"].isna().to_numpy()
        assert missing.any() and all(z == 0 for z in np.asarray(trace["z"])[missing])  # no data stays no data


def test_headline_counts(ctx, demo):
    view = View(page="change", indicator="pct_with_epi")
    figures = counts(change_between_rounds(demo, Filter(), "2026-09-30", "2026-12-31", "pct_with_epi")["change"],
                     "higher_is_better", 1)
    expected = change_between_rounds(demo, Filter(), "2026-09-30", "2026-12-31", "pct_with_epi")["change"]
    rounded = expected.round(1)
    assert figures == {"worse": int((rounded < 0).sum()), "better": int((rounded > 0).sum()),
                       "unchanged": int((rounded == 0).sum()), "no data": int(expected.isna().sum())}
    text = str(change_update(ctx, view, COORDINATOR)[HEADLINES])
    assert f"'{figures['worse']}'" in text and "2026-09-30 to 2026-12-31" in text
    assert sum(figures.values()) == len(demo.districts)


def test_default_earlier_round_is_the_previous_one(ctx):
    assert comparison(ctx, View(page="change")) == comparison(ctx, View(page="change", before=ROUNDS[2]))
    assert (comparison(ctx, View()).before, comparison(ctx, View()).after) == (ROUNDS[2], ROUNDS[3])
    chosen = comparison(ctx, View(round=ROUNDS[1]))
    assert (chosen.before, chosen.after, chosen.message) == (ROUNDS[0], ROUNDS[1], None)
    out = change_update(ctx, View(page="change", round=ROUNDS[1]), PUBLIC)
    assert out[BEFORE_OPTIONS][0] == {"label": f"The round before ({ROUNDS[0]})", "value": "all"}
    assert [c["headerName"] for c in out[COLUMNS]][2:4] == [ROUNDS[0], ROUNDS[1]]
    assert "earlier round: 2026-03-31" in change_notes(ctx, View(page="change", round=ROUNDS[1]), PUBLIC)


def test_same_round_twice_is_an_empty_state(ctx):
    out = change_update(ctx, View(page="change", before=ROUNDS[3]), PUBLIC)
    assert "both 2026-12-31" in out[EMPTY].children
    assert out[ROWS] == [] and out[HEADLINES] is None
    first = change_update(ctx, View(page="change", round=ROUNDS[0]), PUBLIC)
    assert "first round" in first[EMPTY].children and first[ROWS] == []
    assert "comes after" in change_update(ctx, View(page="change", round=ROUNDS[1], before=ROUNDS[2]), PUBLIC)[EMPTY].children


def test_one_round_is_an_empty_state(demo):
    last = demo.rounds["round"].astype(str) == ROUNDS[3]
    one = replace(demo, rounds=demo.rounds[last],
                  facilities=demo.facilities[demo.facilities["round"].astype(str) == ROUNDS[3]],
                  services=demo.services.iloc[0:0])
    ctx = Context(one, GEOMETRY)
    out = change_update(ctx, View(page="change"), PUBLIC)
    assert "one round (2026-12-31)" in out[EMPTY].children
    assert out[ROWS] == [] and out[HEADLINES] is None
    page = str(layout(ctx, View(page="change"), PUBLIC))  # the layout draws without raising, every district "no data"
    assert "change-map" in page


def test_empty_state_map_has_every_district_as_no_data(ctx, demo):
    view = View(page="change", before=ROUNDS[3])
    trace = map_values(ctx, view, PUBLIC, change_table(ctx, view, PUBLIC))[DISTRICTS]
    assert len(trace["locations"]) == len(demo.districts) and set(trace["z"]) == {0}


def test_offered_indicators_change_between_rounds():
    offered = {i.id for i in CHANGE_INDICATORS}
    assert {"availability_score", "pct_damaged", "phc_per_10k", "pct_with_epi"} <= offered
    assert not offered & {"population", "pin", "severity", "partners", "top_barrier", "priority_score"}


def test_export_csv_carries_the_rounds_and_band_rule(ctx):
    view = View(page="change", indicator="availability_score", before=ROUNDS[1])
    sent = download(ctx, view, "change", "csv", PUBLIC)
    body = base64.b64decode(sent["content"]).decode("utf-8-sig")
    assert "# earlier round: 2026-06-30" in body and "median size of change" in body
    frame = pd.read_csv(io.StringIO(body), comment="#")
    assert frame["adm2_pcode"].tolist() == change_export(ctx, view, PUBLIC)["adm2_pcode"].tolist()
    assert WORSE != WORSE_LARGE  # two shades of the same hue
