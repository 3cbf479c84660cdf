"""The district profile as plain functions on the demo: key figures, verdicts, trend, services, partners, and
the districts and filters that leave something out."""

from __future__ import annotations

import base64
import dataclasses
import io
import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.io.json import to_json_plotly

from analysis import filters, standards
from analysis.access import COORDINATOR, PUBLIC
from analysis.catalogue import DOMAINS, TRACERS
from analysis.coverage import coverage_matrix
from analysis.disclosure import published_provinces
from analysis.districts import district_table
from analysis.filters import Filter
from analysis.indicators import UNAVAILABLE, facility_indicators
from context import Context
from data.schema import BARRIERS
from figures.classes import format_value
from figures.district import services_spec, trend_spec
from pages import downloads, ids
from pages.district.callbacks import OUTPUTS, district_update
from pages.district.layout import layout, table_names
from pages.district.model import KEY_INDICATORS, barrier_counts, district_filter, key_figures, partners, trend, verdict
from tests.conftest import GEOMETRY
from view import View

ROUNDS = ("2026-06-30", "2026-12-31")



def _view(code: str = "AF2701", **changes) -> View:
    return View(page="district", district=code, **changes)


def _text(component) -> str:
    """Every string in a component tree, joined: what a reader of the page sees."""
    if component is None or isinstance(component, (bool, int, float)):
        return ""
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def _numbers(values) -> list:
    """The numbers of a figure's array, a plotly.js typed array ({"dtype", "bdata"}) decoded."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def _rows(table) -> list[list[str]]:
    """The body rows of a dbc.Table as the cell texts."""
    body = table.children[1]
    return [[_text(cell) for cell in row.children] for row in body.children]


@pytest.mark.parametrize("round_name", ROUNDS)
def test_key_figures_equal_the_district_and_province_tables(ctx, demo, round_name):
    chosen = Filter(round=round_name, admin1=("AF27",))
    district = district_table(demo, chosen, suppressed=True).set_index("adm2_pcode").loc["AF2701"]  # the public's
    # The public's province: facility-based figures over its published districts (analysis/disclosure.py).
    province = published_provinces(demo, chosen, ctx.districts(chosen, PUBLIC)).iloc[0]
    figures = key_figures(ctx, _view(round=round_name), PUBLIC).set_index("indicator")
    assert list(figures.index) == list(KEY_INDICATORS)
    for indicator in KEY_INDICATORS:
        assert figures.loc[indicator, "district"] == pytest.approx(float(district[indicator]), nan_ok=True)
        if indicator in province.index:
            assert figures.loc[indicator, "province"] == pytest.approx(float(province[indicator]), nan_ok=True)
    # Province partners: each organisation once, so between the largest district's count and the sum.
    table = district_table(demo, chosen)
    assert table["partners"].max() <= figures.loc["partners", "province"] <= table["partners"].sum()
    reached = 100 * table["reached"].sum() / table["targeted"].sum()
    assert figures.loc["pct_reached", "province"] == pytest.approx(reached)


def test_the_two_rounds_differ_and_the_page_shows_the_same_numbers(ctx):
    first, second = (key_figures(ctx, _view(round=r), PUBLIC).set_index("indicator") for r in ROUNDS)
    assert (first["district"] != second["district"]).any()
    out = district_update(ctx, _view(round=ROUNDS[0]), PUBLIC)
    shown = {row[0]: row for row in _rows(out[(ids.DISTRICT_KEY, "children")])}
    for _indicator, row in first.iterrows():
        cells = next(cells for label, cells in shown.items() if label.startswith(row["label"]))
        # "suppressed" where withheld from the public (a small group of facilities: hospitals, a tracer...)
        assert cells[1] == ("suppressed" if row["suppressed"] else format_value(row["district"], int(row["decimals"])))
        assert cells[2] == ("suppressed" if row["province_suppressed"]
                            else format_value(row["province"], int(row["decimals"])))


def test_verdicts_against_the_standard(ctx):
    assert verdict(None, 1.0) == "no data"
    assert verdict(0.99, 1.0) == "below the standard"
    assert verdict(1.0, 1.0) == "meets it"
    kandahar = key_figures(ctx, _view(), PUBLIC).set_index("indicator")
    assert kandahar.loc["phc_per_10k", "district"] < standards.value("phc_per_10k")
    assert kandahar.loc["phc_per_10k", "verdict"] == "below the standard"
    assert kandahar.loc["phc_per_10k", "standard"] == standards.value("phc_per_10k")
    assert kandahar.loc["population", "verdict"] == "" and pd.isna(kandahar.loc["population", "standard"])
    # Paghman (Kabul) has 1.47 primary facilities per 10,000 and 5.5 hospitals per 250,000.
    paghman = key_figures(ctx, _view("AF0102"), PUBLIC).set_index("indicator")
    assert paghman.loc["phc_per_10k", "district"] >= 1 and paghman.loc["phc_per_10k", "verdict"] == "meets it"
    assert paghman.loc["hospitals_per_250k", "verdict"] == "meets it"


def test_trend_equals_the_facility_indicators_of_each_round(ctx, demo):
    table = trend(ctx, _view(tiers=("primary",)), COORDINATOR)  # a breakdown by facility type is the coordinator's
    assert table["round"].tolist() == ctx.rounds
    for row in table.itertuples(index=False):
        expected = facility_indicators(demo, Filter(round=row.round, admin1=("AF27",), tiers=("primary",)))
        expected = expected.set_index("adm2_pcode").loc["AF2701"]
        for column in ("facilities", "functional", "pct_fully_functional", "availability_score"):
            assert getattr(row, column) == pytest.approx(float(expected[column]))
    out = district_update(ctx, _view(tiers=("primary",)), COORDINATOR)
    figure = go.Figure(out[(ids.DISTRICT_TREND, "figure")])  # sent as a dict
    lines = {trace.name: _numbers(trace.y) for trace in figure.data}
    assert lines["Health facilities"] == table["facilities"].tolist()
    assert lines["Service availability"] == pytest.approx(table["availability_score"].tolist())


def test_services_partners_and_barriers(ctx, demo):
    view = _view()
    out = district_update(ctx, view, PUBLIC)
    assert set(out) == set(OUTPUTS)  # every output of the page, each once
    district = district_table(demo, Filter(admin1=("AF27",))).set_index("adm2_pcode").loc["AF2701"]
    bars = go.Figure(out[(ids.DISTRICT_SERVICES, "figure")]).data[0]
    assert _numbers(bars.x) == pytest.approx([float(district[f"availability_{d}"]) for d in DOMAINS])
    tracers = _rows(out[(ids.DISTRICT_TRACERS, "children")])
    assert len(tracers) == len(TRACERS)
    assert tracers[0][1] == format_value(district["pct_with_epi"], 1)
    counts = barrier_counts(ctx, view, PUBLIC)
    assert counts.idxmax() == district["top_barrier"] == "supplies"
    assert f"{counts.max():,} of {counts.sum():,}" in _text(out[(ids.DISTRICT_BARRIERS, "children")])
    cells = coverage_matrix(demo, Filter(admin1=("AF27",)))
    cells = cells[cells["adm2_pcode"] == "AF2701"]
    shown = partners(ctx, view, PUBLIC)
    assert shown["activity"].tolist() == cells["activity"].tolist()
    assert shown["reached"].sum() == district["reached"]
    assert len(_rows(out[(ids.DISTRICT_PARTNERS, "children")])) == len(cells)
    assert district["need_reason"] in _text(out[(ids.DISTRICT_NEED, "children")])
    assert out[(ids.DISTRICT_BACK, "href")] == "/"  # back to the overview, no filter to keep


def test_back_link_keeps_the_filters(ctx):
    out = district_update(ctx, _view(round="2026-06-30", tiers=("primary",), domain="srh"), COORDINATOR)
    assert out[(ids.DISTRICT_BACK, "href")] == "/?round=2026-06-30&domain=srh&tier=primary"


def test_png_and_download_names_carry_the_district_and_filters(ctx):
    view = _view(round="2026-06-30", tiers=("primary",))
    key_name, _ = table_names()
    public = downloads.download(ctx, view, key_name, "csv", PUBLIC)  # the public's file never splits by type
    assert public["filename"].startswith("healthgaps_key-figures-of-kandahar-kandahar_2026-06-30_dataset")
    out = district_update(ctx, view, COORDINATOR)
    sent = downloads.download(ctx, view, key_name, "csv", COORDINATOR)
    name = out[(ids.DISTRICT_SERVICES, "config")]["toImageButtonOptions"]["filename"]
    assert name.startswith("healthgaps_kandahar-kandahar-service-availability_2026-06-30_primary")
    assert sent["filename"].startswith("healthgaps_key-figures-of-kandahar-kandahar_2026-06-30_primary")
    text = base64.b64decode(sent["content"]).decode("utf-8-sig")
    assert "# district: Kandahar, Kandahar (AF2701)" in text
    assert pd.read_csv(io.StringIO(text), comment="#")["indicator"].tolist() == list(KEY_INDICATORS)


def test_district_without_population(ctx, demo):
    missing = dataclasses.replace(demo, population=demo.population[demo.population["adm2_pcode"] != "AF2701"])
    local = Context(missing, GEOMETRY)
    figures = key_figures(local, _view(), PUBLIC).set_index("indicator")
    for indicator in ("population", "phc_per_10k", "hospitals_per_250k", "pop_per_functional_facility"):
        assert pd.isna(figures.loc[indicator, "district"])
    assert pd.isna(figures.loc["population", "province"])  # a province total needs every district's figure
    assert figures.loc["phc_per_10k", "verdict"] == "no data"
    assert figures.loc["facilities", "district"] == 32
    out = district_update(local, _view(), PUBLIC)
    assert "No population figure for Kandahar" in _text(out[(ids.DISTRICT_EMPTY, "children")])
    population = next(row for row in _rows(out[(ids.DISTRICT_KEY, "children")]) if row[0].startswith("Population"))
    assert population[1] == "no data" and population[2] == "no data"


def test_filter_without_facilities(ctx):
    view = _view("AF2702", tiers=("tertiary",))
    figures = key_figures(ctx, view, PUBLIC).set_index("indicator")
    assert figures.loc["facilities", "district"] == 0 and figures.loc["functional", "district"] == 0
    assert pd.isna(figures.loc["pct_fully_functional", "district"])
    assert figures.loc["pct_fully_functional", "note"] == "built from fewer than 3 facilities"
    out = district_update(ctx, view, PUBLIC)
    assert "No facility of tertiary (hospital) type in Arghandab" in _text(out[(ids.DISTRICT_EMPTY, "children")])
    assert "No service data for Arghandab" in go.Figure(out[(ids.DISTRICT_SERVICES, "figure")]).layout.annotations[0].text
    shown = next(row for row in _rows(out[(ids.DISTRICT_KEY, "children")]) if row[0].startswith("Fully functional"))
    assert shown[1] == "no data" and shown[-1] == "built from fewer than 3 facilities"


def test_small_cell_gets_a_note(ctx):
    # a coordinator sees the value, with a warning; Shekh Ali: one facility
    figures = key_figures(ctx, _view("AF0310"), COORDINATOR).set_index("indicator")
    assert figures.loc["facilities", "district"] == 1
    assert figures.loc["availability_score", "note"] == "built from fewer than 3 facilities"
    assert figures.loc["availability_score", "district"] > 0
    assert figures.loc["population", "note"] == ""  # not built from facilities
    public = key_figures(ctx, _view("AF0310"), PUBLIC).set_index("indicator")  # the public: withheld
    assert public.loc["availability_score", "note"] == "suppressed (small numbers)"
    assert pd.isna(public.loc["availability_score", "district"]) and public.loc["availability_score", "suppressed"]
    assert public.loc["facilities", "district"] == 1 and not public.loc["facilities", "suppressed"]
    kandahar = key_figures(ctx, _view(), PUBLIC)  # 32 facilities: no note but where a small group is withheld alone
    assert (kandahar["note"] == kandahar["suppressed"].map({True: "suppressed (small numbers)", False: ""})).all()
    assert kandahar["suppressed"].any() and not kandahar.set_index("indicator").loc["functional", "suppressed"]


def test_round_without_partner_data(demo):
    local = Context(dataclasses.replace(demo, activities=demo.activities.iloc[0:0]), GEOMETRY)
    figures = key_figures(local, _view(), PUBLIC).set_index("indicator")
    assert figures.loc["partners", "district"] == 0 and figures.loc["partners", "province"] == 0
    assert pd.isna(figures.loc["pct_reached", "district"]) and pd.isna(figures.loc["pct_reached", "province"])
    out = district_update(local, _view(), PUBLIC)
    assert "No partner activity reported in Kandahar" in _text(out[(ids.DISTRICT_PARTNERS, "children")])
    assert "No partner reports an activity here" in _text(out[(ids.DISTRICT_NEED, "children")])  # severity 4: an uncovered need


def test_nothing_shows_a_facility(ctx, demo):
    out = district_update(ctx, _view(), PUBLIC)
    text = repr(out) + repr(layout(ctx, _view(), PUBLIC))
    facilities = demo.facilities[demo.facilities["adm2_pcode"] == "AF2701"]
    for value in pd.concat([facilities["facility_id"], facilities["name"]]).astype(str).unique():
        assert value not in text
    for frame in (key_figures(ctx, _view(), PUBLIC), trend(ctx, _view(), PUBLIC), partners(ctx, _view(), PUBLIC)):
        assert not {"facility_id", "code", "name", "lat", "lon"} & set(frame.columns)
    assert "The facility list is shown to coordinators after login." in repr(layout(ctx, _view(), PUBLIC))


def _barriers_from_service_rows(ctx: Context, view: View) -> list[int]:
    """The district's barriers given first, counted on its service rows (planned facilities left out)."""
    rows = filters.services(ctx.dataset, district_filter(ctx, view, PUBLIC))
    rows = rows[(rows["adm2_pcode"].astype(str) == view.district) & ~rows["facility_status"].isin(["planned"])
                & rows["status"].isin(UNAVAILABLE)]
    counts = rows["barrier_1"].astype("object").value_counts()
    return [int(counts.get(barrier, 0)) for barrier in BARRIERS]


@pytest.mark.parametrize("changes", [{}, {"tiers": ("primary",)}, {"domain": "srh"}, {"round": ROUNDS[0]},
                                     {"domain": "sexual_violence", "tiers": ("secondary", "tertiary")}])
@pytest.mark.parametrize("code", ["AF2701", "AF0102", "AF0310"])
def test_barrier_counts_equal_the_service_rows(ctx, code, changes):
    view = _view(code, **changes)
    counts = barrier_counts(ctx, view, PUBLIC)
    assert list(counts.index) == list(BARRIERS)
    assert counts.tolist() == _barriers_from_service_rows(ctx, view)


def _values(row) -> tuple:
    """A trend row's values as plain numbers (None where missing) and its public flag (False if none)."""
    numbers = [None if pd.isna(row[c]) else float(row[c]) for c in ("facilities", "functional", "availability_score")]
    return (*numbers, bool(row.get("suppressed", False)))


def test_barrier_counts_leave_planned_facilities_out(demo):
    facilities = demo.facilities.copy()
    planned = facilities.index[(facilities["adm2_pcode"] == "AF2701") & (facilities["round"] == "2026-12-31")][:5]
    facilities.loc[planned, "status"] = "planned"
    local = Context(dataclasses.replace(demo, facilities=facilities), GEOMETRY)
    counts = barrier_counts(local, _view(), PUBLIC)
    assert counts.tolist() == _barriers_from_service_rows(local, _view())
    assert counts.sum() < barrier_counts(Context(demo, GEOMETRY), _view(), PUBLIC).sum()


@pytest.mark.parametrize("code", ["AF0310", "AF2701"])  # one facility (withheld from the public), 32
@pytest.mark.parametrize("role", ["public", "coordinator"])
def test_trend_equals_the_district_table_of_each_round(ctx, code, role):
    view = _view(code, tiers=("primary", "secondary"))
    chosen = district_filter(ctx, view, role)
    tables = [ctx.districts(dataclasses.replace(chosen, round=r), role).set_index("adm2_pcode") for r in ctx.rounds]
    expected = [_values(table.loc[code]) for table in tables]
    assert [_values(row) for _, row in trend(ctx, view, role).iterrows()] == expected
    assert any(row[-1] for row in expected) == (role == "public" and code == "AF0310")  # the rule's case


@pytest.mark.parametrize("present", [False, True])
def test_chart_dicts_are_what_plotly_makes_of_them(present):
    """The charts are sent as dicts, unvalidated: plotly's figure of each holds the same (nothing dropped or
    changed by validation), and each call gives a fresh copy."""
    trend_values = pd.DataFrame({"round": ["r1", "r2 & r3"], "facilities": [3, 4], "functional": [2, None],
                                 "pct_fully_functional": [50.0, 60.0], "availability_score": [40.0, None]})
    scores = pd.DataFrame({"name": ["General clinical, emergency & trauma care", "B"], "district": [50.0, None],
                           "province": [40.0, 30.0]})
    for spec in (trend_spec(trend_values, "r2 & r3", present), services_spec(scores, "D", "P", present)):
        assert json.loads(to_json_plotly(go.Figure(spec))) == json.loads(to_json_plotly(spec))
    first = trend_spec(trend_values, "r1", present)
    first["layout"]["height"] = 1
    assert trend_spec(trend_values, "r1", present)["layout"]["height"] in (520, 760)
