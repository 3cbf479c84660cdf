"""The overview map's facility layer: the points of the view's filter, coloured by functionality, hover text
escaped; filled only for a logged-in coordinator who turns it on; never for the public, whatever it sends."""

from __future__ import annotations

import json
from dataclasses import replace

import plotly.utils

from analysis.access import COORDINATOR, PUBLIC
from analysis.catalogue import INDICATORS
from analysis.filters import Filter, facilities
from context import Context
from figures.choropleth import FACILITIES, choropleth_figure
from figures.facility_layer import POINT_CLASSES, facility_values, functionality_class, point_size
from pages.maps import map_patch
from pages.overview.callbacks import CAPTION, MAP, overview_update
from pages.overview.layout import layout
from pages.overview.model import facility_points
from tests.conftest import GEOMETRY
from tests.integration.test_security import leaks, make_scanner
from view import View, from_dict, parse


def assigned(patch) -> dict[tuple, object]:
    """What a Patch sets: location (as a tuple) -> value."""
    return {tuple(op["location"]): op["params"]["value"] for op in patch.to_plotly_json()["operations"]
            if op["operation"] == "Assign"}


def located(table):
    return table[table["lat"].notna() & table["lon"].notna()]


def test_view_holds_the_layer_in_the_url():
    view = parse("/", "?facilities=1&admin1=AF01")
    assert view.facilities and view.admin1 == ("AF01",)
    assert "facilities=1" in view.search() and parse("/", view.search()) == view
    assert not parse("/", "?facilities=0").facilities and "facilities" not in View().search()
    assert from_dict({**View().to_dict(), "facilities": True}).facilities
    for crafted in ("yes", 1, [True], {"a": 1}, None):  # a wrong type keeps the default (off)
        assert from_dict({**View().to_dict(), "facilities": crafted}).facilities is False


def test_points_are_the_facilities_of_the_filter(demo):
    chosen = Filter(admin1=("AF01", "AF27"), tiers=("primary", "secondary"))
    expected = located(facilities(demo, chosen))
    values = facility_values(facilities(demo, chosen))
    assert len(values) == len(FACILITIES) == len(POINT_CLASSES)
    shown = sorted((lon, lat) for v in values for lon, lat in zip(v["lon"], v["lat"]))
    assert len(shown) == len(expected) > 100
    assert shown == sorted(zip(expected["lon"].astype(float), expected["lat"].astype(float)))
    assert {row[0] for v in values for row in v["customdata"]} == set(expected["name"].astype(str))


def test_points_are_coloured_by_functionality(demo):
    latest = located(facilities(demo, Filter()))
    table = Context(demo, GEOMETRY).districts(Filter(), PUBLIC)
    figure = choropleth_figure(table, INDICATORS["population"], "/a", "/b", facilities=latest)
    by_point = {(float(lon), float(lat)): functionality_class(s, f)
                for lon, lat, s, f in zip(latest["lon"], latest["lat"], latest["status"], latest["functionality"])}
    counts = {}
    for trace, point_class in zip(FACILITIES, POINT_CLASSES):
        data = figure.data[trace]
        assert data.type == "scattergeo" and data.marker.color == point_class.colour
        assert {by_point[p] for p in zip(data.lon, data.lat)} <= {point_class.key}
        counts[point_class.key] = len(data.lon)
        assert data.name.endswith(f"({len(data.lon):,})")
    # every class is present in the demo, and the colours are four distinct ones, none a class colour of the map
    assert all(counts.values()) and sum(counts.values()) == len(latest)
    assert counts["full"] == ((latest["status"] == "existing") & (latest["functionality"] == "full")).sum()
    colours = [c.colour for c in POINT_CLASSES]
    assert len(set(colours)) == 4 and not set(colours) & set(figure.data[0].colorscale[i][1] for i in range(2))
    assert functionality_class("closed", "full") == functionality_class("existing", None) == "other"


def test_hover_text_is_escaped(demo):
    table = facilities(demo, Filter()).head(3).copy()
    table["name"] = table["name"].astype(object)
    table.iloc[0, table.columns.get_loc("name")] = "<b>Bold</b> & <a href='x'>link</a>"
    table = table.assign(status="existing", functionality="full", lat=34.5, lon=69.1, adm2_name="<i>D</i>")
    rows = facility_values(table)[0]["customdata"]
    assert rows[0][0] == "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;a href='x'&gt;link&lt;/a&gt;"
    assert rows[0][3] == "&lt;i&gt;D&lt;/i&gt;" and all("<" not in cell for row in rows for cell in row)


def test_hidden_layer_is_empty():
    for values in facility_values(None):
        assert values["lon"] == values["lat"] == values["customdata"] == [] and values["showlegend"] is False


def test_other_maps_keep_working_with_the_layer_empty(ctx):
    table = ctx.districts(Filter(), PUBLIC)
    figure = choropleth_figure(table, INDICATORS["population"], "/a", "/b")
    assert [t.type for t in figure.data] == ["choropleth", "choropleth", *["scattergeo"] * len(FACILITIES)]
    assert all(len(figure.data[t].lon) == 0 for t in FACILITIES)
    sent = assigned(map_patch(table, INDICATORS["population"], True))
    assert all(sent[("data", t, "lon")] == [] for t in FACILITIES)
    assert sent[("data", FACILITIES[0], "marker", "size")] > point_size(False)  # bigger in presentation mode


def test_public_never_gets_the_layer_whatever_the_view(ctx, demo):
    scanner = make_scanner(demo)
    for view in (View(facilities=True), View(facilities=True, tiers=("primary",), admin1=("AF01",)),
                 from_dict({**View().to_dict(), "facilities": True, "round": "2026-03-31"})):
        assert facility_points(ctx, view, PUBLIC) is None
        out = overview_update(ctx, view, PUBLIC)
        patch, rest = out[MAP], [value for key, value in out.items() if key != MAP]
        sent = assigned(patch)
        assert all(sent[("data", t, "lon")] == [] == sent[("data", t, "customdata")] for t in FACILITIES)
        text = json.dumps([patch.to_plotly_json(), rest], cls=plotly.utils.PlotlyJSONEncoder)
        assert leaks(scanner, text.encode()) == []
        names = set(located(facilities(demo, view.filter()))["name"].astype(str))
        assert not any(name in text for name in names)
        assert "Coordinator view only" not in text
        page = json.dumps(layout(ctx, view, PUBLIC), cls=plotly.utils.PlotlyJSONEncoder)
        assert leaks(scanner, page.encode()) == [] and "Show facilities" not in page
        assert '"key": "facilities"' not in page  # no switch (ids.control("facilities"))


def test_coordinator_gets_the_points_when_the_layer_is_on(ctx, demo):
    view = View(facilities=True, admin1=("AF27",))
    expected = located(facilities(demo, view.filter()))
    out = overview_update(ctx, view, COORDINATOR)
    sent, caption = assigned(out[MAP]), out[CAPTION]
    assert sum(len(sent[("data", t, "lon")]) for t in FACILITIES) == len(expected) > 10
    names = demo.districts.set_index("adm2_pcode")
    first = sent[("data", FACILITIES[0], "customdata")][0]
    row = expected[expected["name"].astype(str) == first[0]].iloc[0]
    place = names.loc[str(row["adm2_pcode"])]
    assert first[1:] == [f"{row['type']}, {row['tier']}", str(row["functionality"]),
                         f"{place['adm2_name']}, {place['adm1_name']}"]
    assert f"the {len(expected):,} facilities of round 2026-12-31" in caption and "Coordinator view only" in caption
    off = assigned(overview_update(ctx, replace(view, facilities=False), COORDINATOR)[MAP])
    assert all(off[("data", t, "lon")] == [] for t in FACILITIES)
    page = json.dumps(layout(ctx, view, COORDINATOR), cls=plotly.utils.PlotlyJSONEncoder)
    assert "Show facilities" in page and '"key": "facilities"' in page and str(expected["name"].iloc[0]) in page
