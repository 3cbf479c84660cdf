"""Small-cell suppression in the public view: the rule on a hand-made table, the map's and table's
"suppressed" class, and every page as the public (withheld, said so) and as a coordinator (the number)."""

from __future__ import annotations

import base64
import io

import numpy as np
import pandas as pd

from analysis.access import COORDINATOR, PUBLIC
from analysis.catalogue import DOMAINS, INDICATORS
from analysis.districts import district_table
from analysis.filters import Filter
from analysis.suppression import export_note, flags, suppress
from context import Context
from figures.choropleth import trace_values
from figures.palette import NO_DATA, SUPPRESSED
from figures.table import shown_values
from pages import ids
from pages.change.callbacks import change_update
from pages.district.callbacks import district_update
from pages.district.model import key_figures, trend
from pages.downloads import download
from pages.overview import callbacks as overview
from pages.overview.callbacks import overview_update
from pages.overview.layout import table_columns
from pages.partners.callbacks import partners_update
from pages.priorities.callbacks import priorities_update
from pages.services.callbacks import services_update
from pages.services.model import domains_table, matrix_table, tracers_table
from tests.conftest import component_text, patched, table_rows_of
from view import View

LABEL = "suppressed (small numbers)"
LEGEND = "suppressed<br>(small numbers)"  # on two lines: the legend stays narrow
SHEKH_ALI, GHORAK, FARZA, PARUN = "AF0310", "AF2709", "AF0112", "AF1601"  # 1, 1, 2 and 2 facilities in the demo
KANDAHAR = "AF27"



def _csv(ctx: Context, view: View, table: str, role: str) -> tuple[list[str], pd.DataFrame]:
    """A table's CSV as `role` gets it: its header lines and its rows."""
    raw = base64.b64decode(download(ctx, view, table, "csv", role)["content"]).decode("utf-8-sig")
    return [line[2:] for line in raw.splitlines() if line.startswith("# ")], pd.read_csv(io.StringIO(raw), comment="#")


def _key_rows(table) -> dict[str, list[str]]:
    """The key figures table's rows by indicator label: the cell texts."""
    rows = [[component_text(cell) for cell in row.children] for row in table.children[1].children]
    return {row[0].split(" (")[0].strip(): row for row in rows}


def _hand_made() -> pd.DataFrame:
    return pd.DataFrame({
        "adm2_pcode": ["A", "B", "C"], "adm2_name": ["Two", "None", "Three"], "adm1_pcode": ["P", "P", "Q"],
        "adm1_name": ["Prov"] * 3, "population": [1000.0, 2000.0, 3000.0], "pin": [10.0, 20.0, 30.0],
        "facilities": [2, 0, 3], "functional": [2, 0, 3], "availability_score": [55.5, np.nan, 70.0],
        "top_barrier": ["staff", None, "finance"], "small_cell": [True, True, False]})


def test_suppress_blanks_facility_columns_of_small_cells_only():
    out = suppress(_hand_made()).set_index("adm2_pcode")
    assert out["suppressed"].tolist() == [True, False, False]  # 2 facilities; 0 is "no data", not suppressed
    assert out.loc["A", ["functional", "availability_score", "top_barrier"]].isna().all()
    assert out.loc["C", "availability_score"] == 70.0 and out.loc["C", "top_barrier"] == "finance"  # 3: kept
    # Not built from facilities: kept everywhere (the count itself is public).
    assert out["population"].tolist() == [1000.0, 2000.0, 3000.0] and out["pin"].tolist() == [10.0, 20.0, 30.0]
    assert out["facilities"].tolist() == [2, 0, 3]
    assert _hand_made()["availability_score"].iloc[0] == 55.5  # a copy: the input is left alone


def test_a_province_never_gives_a_suppressed_district_away():
    """The withheld districts of a province are none, or at least two holding 3 facilities or more together,
    so the province total minus the districts shown never gives one district's figure."""
    facilities = {"P": [("A", 1), ("B", 2), ("C", 5), ("D", 0), ("E", 10)],  # two small ones make 3: enough
                  "Q": [("F", 2), ("G", 4), ("G2", 9)],  # one small one: the next smallest (G) too
                  "R": [("H", 1), ("I", 0)],  # nothing to withhold beside it: it stays alone
                  "S": [("J", 7), ("K", 8)],  # nothing small
                  "T": [("L", 1), ("M", 1), ("N", 6), ("O", 5)]}  # two make 2: the next smallest (O) too
    rows = [(code, province, n) for province, districts in facilities.items() for code, n in districts]
    table = pd.DataFrame(rows, columns=["adm2_pcode", "adm1_pcode", "facilities"]).assign(
        functional=lambda t: t["facilities"], small_cell=lambda t: t["facilities"] < 3)
    out = suppress(table).set_index("adm2_pcode")
    assert set(out.index[out["suppressed"]]) == {"A", "B", "F", "G", "H", "L", "M", "O"}
    assert out.loc[["G", "O"], "functional"].isna().all() and out.loc["G2", "functional"] == 9


def test_complementary_takes_the_fewest_facilities_then_the_lowest_pcode_per_province():
    """One province needing two more districts, a tie on facilities broken by p-code (not row order), and the
    provinces' rows interleaved: each province counts only its own districts."""
    rows = [("A3", "P", 1, True), ("B1", "Q", 1, True), ("A2", "P", 2, False), ("B2", "Q", 1, False),
            ("C1", "R", 2, True), ("A1", "P", 2, False), ("B3", "Q", 1, False), ("C2", "R", 2, True),
            ("A0", "P", 9, False), ("B4", "Q", 6, False), ("C3", "R", 1, False), ("D1", "S", 1, False),
            ("E1", "T", 4, True), ("E3", "T", 6, False), ("E2", "T", 5, False)]
    table = pd.DataFrame(rows, columns=["adm2_pcode", "adm1_pcode", "facilities", "small_cell"]).assign(
        availability_score=50.0)
    out = suppress(table).set_index("adm2_pcode")
    # P: A1 before A2 (both 2: p-code); Q: B2 then B3 (two are not enough: 1 + 1 < 3); R: two make 4, enough;
    # S: a small district not flagged is left alone; T: one withheld district is never enough, whatever it holds.
    assert set(out.index[out["suppressed"]]) == {"A3", "A1", "B1", "B2", "B3", "C1", "C2", "E1", "E2"}
    assert out.loc[["A1", "B3"], "availability_score"].isna().all() and out.loc["A2", "availability_score"] == 50


def test_the_map_and_the_table_say_suppressed_not_no_data():
    table = suppress(_hand_made())
    indicator = INDICATORS["availability_score"]
    trace = trace_values(table, indicator)[0]
    ticks = trace["colorbar"]["ticktext"]
    assert ticks[:2] == ["no data", LEGEND]
    assert trace["z"][:2] == [1, 0]  # A suppressed, B no data
    colours = [colour for _, colour in trace["colorscale"][::2]]
    assert colours[0] == NO_DATA and colours[1] == SUPPRESSED != NO_DATA
    assert trace["customdata"] == ["suppressed", "no data", "70.0"]
    assert "Service availability, score (0-100): %{customdata}" in trace["hovertemplate"]
    values, hidden = shown_values(table, indicator)
    assert list(zip(values, hidden)) == [(None, True), (None, False), (70.0, False)]
    assert "params.data.suppressed ? 'suppressed'" in table_columns(indicator)[-1]["valueFormatter"]["function"]
    # An indicator not built from facilities keeps its classes: no "suppressed" class.
    population = trace_values(table, INDICATORS["population"])[0]
    assert LEGEND not in population["colorbar"]["ticktext"]
    assert population["customdata"] == ["1,000", "2,000", "3,000"]
    # A coordinator's table has no flag: nothing is marked.
    assert LEGEND not in trace_values(_hand_made(), indicator)[0]["colorbar"]["ticktext"]


def test_the_demo_has_small_cells(ctx, demo):
    table = ctx.districts(Filter(), PUBLIC).set_index("adm2_pcode")
    withheld = table.index[table["suppressed"]]
    assert {SHEKH_ALI, GHORAK, FARZA, PARUN} <= set(withheld)
    small = table.loc[withheld, "small_cell"].astype(bool)
    assert table.loc[withheld[small], "facilities"].between(1, 2).all() and small.sum() == 34
    assert (table.loc[withheld[~small], "facilities"] >= 3).all() and (~small).sum() == 7  # protecting them
    for _, province in table.loc[withheld].groupby("adm1_pcode"):
        assert len(province) >= 2 and province["facilities"].sum() >= 3
    assert table.loc[withheld, "availability_score"].isna().all()
    full = ctx.districts(Filter(), COORDINATOR).set_index("adm2_pcode")
    assert "suppressed" not in full and full.loc[withheld, "availability_score"].notna().all()


def test_overview_public_and_coordinator(ctx):
    view = View(indicator="availability_score")
    out = overview_update(ctx, view, PUBLIC)
    row = next(r for r in table_rows_of(out[overview.NAMES], out[overview.VALUES]) if r["adm2_pcode"] == SHEKH_ALI)
    assert row["value"] is None and row["suppressed"] is True
    values = patched(out[overview.MAP])
    z = dict(zip(values[("data", 0, "locations")], values[("data", 0, "z")]))
    assert values[("data", 0, "colorbar")]["ticktext"][z[SHEKH_ALI]] == LEGEND
    lines, frame = _csv(ctx, view, "districts", PUBLIC)
    assert export_note() in lines
    shown = frame.set_index("adm2_pcode").loc[SHEKH_ALI]
    assert pd.isna(shown["availability_score"]) and bool(shown["suppressed"]) and shown["facilities"] == 1
    out = overview_update(ctx, view, COORDINATOR)
    lines, frame = _csv(ctx, view, "districts", COORDINATOR)
    row = next(r for r in table_rows_of(out[overview.NAMES], out[overview.VALUES]) if r["adm2_pcode"] == SHEKH_ALI)
    expected = district_table(ctx.dataset, Filter()).set_index("adm2_pcode").loc[SHEKH_ALI, "availability_score"]
    assert row["value"] == round(expected, 1) and row["suppressed"] is False
    assert export_note() not in lines and "suppressed" not in frame


def test_overview_functional_share_leaves_withheld_districts_out(ctx):
    out = overview_update(ctx, View(admin1=(KANDAHAR,)), PUBLIC)
    table = ctx.districts(Filter(admin1=(KANDAHAR,)), PUBLIC)
    shown = table[~table["suppressed"]]
    share = 100 * shown["functional"].sum() / shown["facilities"].sum()
    text = component_text(out[overview.HEADLINES])
    assert f"{share:,.0f} %" in text and "facilities of suppressed districts" in text


def test_services_public_and_coordinator(ctx):
    view = View(page="services", admin1=(KANDAHAR,))
    tracers_key, table_key = (ids.SERVICES_TRACERS, "figure"), (ids.SERVICES_TRACERS_TABLE, "children")
    out = services_update(ctx, view, PUBLIC)
    tracers = out[tracers_key]
    assert len(tracers.data) == 2 and "Ghorak (suppressed)" in tracers.layout.yaxis.ticktext
    assert LABEL in tracers.data[1].hovertemplate
    assert "suppressed" in component_text(out[table_key])  # the tracer table
    grid = out[(ids.SERVICES_MATRIX, "children")][2].children[1]  # the matrix's grid, under "Show the numbers"
    ghorak = next(r for r in grid.rowData if r["adm2_name"] == "Ghorak")
    assert ghorak["suppressed"] is True and all(v is None for k, v in ghorak.items() if k.startswith("c"))
    matrix = matrix_table(ctx, view, PUBLIC).set_index("adm2_pcode")
    assert bool(matrix.loc[GHORAK, "suppressed"]) and matrix.loc[GHORAK].drop(["adm2_name", "suppressed"]).isna().all()
    assert tracers_table(ctx, view, PUBLIC).set_index("adm2_pcode").loc[GHORAK, "suppressed"]
    out = services_update(ctx, view, COORDINATOR)
    matrix = matrix_table(ctx, view, COORDINATOR).set_index("adm2_pcode")
    assert len(out[tracers_key].data) == 1 and "suppressed" not in component_text(out[table_key])
    assert "suppressed" not in matrix and matrix.loc[GHORAK].drop("adm2_name").notna().any()


def test_the_public_never_gets_a_breakdown_by_facility_type(ctx):
    """One hospital in Parwan: a coordinator's tertiary filter shows it; the public's answer to the same view is
    the answer for all facilities (analysis/disclosure.py), on the page and in the files."""
    view = View(page="services", admin1=("AF03",), tiers=("tertiary",))
    everything = View(page="services", admin1=("AF03",))
    assert ctx.districts(view.filter(), PUBLIC).equals(ctx.districts(everything.filter(), PUBLIC))
    assert domains_table(ctx, view, PUBLIC).equals(domains_table(ctx, everything, PUBLIC))
    assert ctx.districts(view.filter(), COORDINATOR)["facilities"].sum() == 1
    hospital = domains_table(ctx, view, COORDINATOR)
    assert len(hospital) > 0 and not hospital.equals(domains_table(ctx, everything, COORDINATOR))


def test_district_profile_public_and_coordinator(ctx):
    view = View(page="district", district=SHEKH_ALI)
    key_table, services_table, barriers, trend_table = ((component, "children") for component in (
        ids.DISTRICT_KEY, ids.DISTRICT_SERVICES_TABLE, ids.DISTRICT_BARRIERS, ids.DISTRICT_TREND_TABLE))
    out = district_update(ctx, view, PUBLIC)
    key = _key_rows(out[key_table])
    assert key["Service availability"][1] == "suppressed" and key["Health facilities"][1] == "1"
    assert key["Service availability"][-1] == LABEL
    assert "suppressed" in out[(ids.DISTRICT_SERVICES, "figure")].layout.annotations[0].text  # the services chart
    assert component_text(out[services_table]).count("suppressed") == len(DOMAINS)  # the domains' table
    assert component_text(out[barriers]) == f"Barriers: {LABEL}."
    assert "suppressed" in component_text(out[trend_table]) and trend(ctx, view, PUBLIC)["suppressed"].all()
    out = district_update(ctx, view, COORDINATOR)
    figures = key_figures(ctx, view, COORDINATOR).set_index("indicator")
    rounds = trend(ctx, view, COORDINATOR)
    key = _key_rows(out[key_table])
    assert key["Service availability"][1] == f"{figures.loc['availability_score', 'district']:,.1f}"
    assert "suppressed" not in (component_text(out[services_table]) + component_text(out[barriers])
                                + component_text(out[trend_table]))
    assert "suppressed" not in rounds and rounds["availability_score"].notna().all()


def test_district_profile_province_sums_its_published_districts(ctx, demo):
    """The public's province column is a sum of published cells: its withheld districts are left out."""
    view = View(page="district", district="AF0301", tiers=("tertiary",))
    figures = key_figures(ctx, view, PUBLIC).set_index("indicator")
    chosen = Filter(admin1=("AF03",))
    table = ctx.districts(chosen, PUBLIC)
    assert flags(table).any()  # Parwan has withheld districts
    shown = table[~flags(table)]
    assert figures.loc["functional", "province"] == shown["functional"].sum()
    assert figures.loc["functional", "province"] < district_table(demo, chosen)["functional"].sum()  # left out
    assert figures.loc["facilities", "province"] == table["facilities"].sum()  # counts stay whole
    full = key_figures(ctx, view, COORDINATOR).set_index("indicator")
    assert full.loc["facilities", "province"] == 1  # the coordinator's breakdown: one hospital


def test_change_public_and_coordinator(ctx):
    view = View(page="change", admin1=(KANDAHAR,))
    rows, figure = (ids.CHANGE_TABLE, "rowData"), (ids.CHANGE_MAP, "figure")
    out = change_update(ctx, view, PUBLIC)
    row = next(r for r in out[rows] if r["adm2_pcode"] == GHORAK)
    assert row["band"] == LABEL and row["suppressed"] and row["before"] is None and row["change"] is None
    values = patched(out[figure])
    z = dict(zip(values[("data", 0, "locations")], values[("data", 0, "z")]))
    assert values[("data", 0, "colorbar")]["ticktext"][z[GHORAK]] == LEGEND
    assert "suppressed" in component_text(out[(ids.CHANGE_HEADLINES, "children")])  # a headline counts them
    lines, frame = _csv(ctx, view, "change", PUBLIC)
    assert frame.set_index("adm2_pcode").loc[GHORAK, "band"] == LABEL and any(export_note() in line for line in lines)
    out = change_update(ctx, view, COORDINATOR)
    row = next(r for r in out[rows] if r["adm2_pcode"] == GHORAK)
    assert row["band"] != LABEL and row["after"] is not None and "suppressed" not in row
    lines, frame = _csv(ctx, view, "change", COORDINATOR)
    assert frame.set_index("adm2_pcode").loc[GHORAK, "band"] != LABEL and not any(export_note() in line for line in lines)


def test_priorities_public_and_coordinator(ctx):
    ranked, excluded = (ids.PRIORITY_TABLE, "rowData"), (ids.PRIORITY_EXCLUDED, "children")
    out = priorities_update(ctx, View(page="priorities"), PUBLIC)
    assert (f"not ranked: Shekh Ali (Parwan): Service availability and Primary health facilities per 10,000 people "
            f"{LABEL}") in component_text(out[excluded])
    assert SHEKH_ALI not in {r["adm2_pcode"] for r in out[ranked]}
    out = priorities_update(ctx, View(page="priorities"), COORDINATOR)
    assert SHEKH_ALI in {r["adm2_pcode"] for r in out[ranked]} and "Shekh Ali" not in component_text(out[excluded])


def test_partners_need_does_not_tell_a_withheld_shortfall(ctx):
    view = View(page="partners")

    def rows(role: str) -> dict:
        return {r["adm2_pcode"]: r for r in partners_update(ctx, view, role)[(ids.PARTNERS_DISTRICTS, "rowData")]}

    public = rows(PUBLIC)
    assert public[PARUN]["need_reason"] == "none identified" and "shortfall" not in public[SHEKH_ALI]["need_reason"]
    assert rows(COORDINATOR)[PARUN]["need_reason"] == "facility shortfall of 1"
