"""Text from the data is shown as text inside plotly figures, never as plotly's HTML (issue 6).

Plotly reads <b>, <i>, <br>, <a href> and <span style> in hover text, tick labels, legends, colour bars,
annotations and titles, and decodes &amp; &lt; &gt;. So every name that enters a figure must arrive escaped:
"<b>X</b>" as "&lt;b&gt;X&lt;/b&gt;", "A & B" as "A &amp; B". Each page is drawn (layout and callback) from a
demo whose names hold markup, and every string of every figure and map Patch it sends is checked.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.utils import PlotlyJSONEncoder

from analysis.access import COORDINATOR, PUBLIC
from analysis.catalogue import INDICATORS
from context import Context
from figures.change import change_values
from figures.district import services_spec, trend_spec
from figures.partners import activity_label
from figures.priorities import stability_spec
from figures.services import tracer_figure
from figures.style import empty_figure
from figures.text import plain, plain_all, plain_lines
from pages.change import layout as change
from pages.change.callbacks import change_update
from pages.change.model import band_edge, bands
from pages.district import layout as district
from pages.district.callbacks import district_update
from pages.overview import layout as overview
from pages.overview.callbacks import overview_update
from pages.partners import layout as partners
from pages.partners.callbacks import partners_update
from pages.priorities import layout as priorities
from pages.priorities.callbacks import priorities_update
from pages.services import layout as services
from pages.services.callbacks import services_update
from tests.conftest import GEOMETRY
from view import View

BOLD, LINK, AMP = "<b>X</b>", '<a href="http://e.x">y</a>', "A & B"
DISTRICTS = {"AF2701": BOLD, "AF2703": LINK, "AF2704": AMP}  # all in province AF27
PROVINCE = "<i>Kan</i> & <b>dahar</b>"
ACTIVITY = '<span style="color:red">Act</span> & <b>ivity</b>'
SERVICE = "<b>Svc</b> & <i>name</i>"
DOMAIN = '<a href="http://e.x">Dom</a> & <b>ain</b>'
HOSTILE = [BOLD, LINK, AMP, PROVINCE, ACTIVITY, SERVICE, DOMAIN]
# What plotly would read as markup, or as an entity to decode, if a name came through raw.
RAW = ["<b>X", "<a href", "A & B", "<i>Kan", "<span", "<b>ivity", "<b>Svc", "& <b>ain"]
TWICE = ["&amp;lt;", "&amp;amp;"]  # escaped twice: plotly would show "&lt;" instead of "<"


def _hostile(demo):
    """The demo with names that hold markup: districts and their province, an activity, a service, a domain."""
    districts = demo.districts.copy()
    districts["adm2_name"] = districts["adm2_pcode"].map(DISTRICTS).fillna(districts["adm2_name"])
    districts.loc[districts["adm1_pcode"] == "AF27", "adm1_name"] = PROVINCE
    provinces = demo.provinces.copy()
    provinces.loc[provinces["adm1_pcode"] == "AF27", "adm1_name"] = PROVINCE
    activities = demo.activities.copy()
    first = activities["activity"].iloc[0]
    activities["activity"] = activities["activity"].replace(first, ACTIVITY)
    catalogue = demo.service_catalogue.copy()
    domain = catalogue["domain"].iloc[0]
    catalogue.loc[catalogue["domain"] == domain, "domain_name"] = DOMAIN
    catalogue.loc[catalogue.index[0], "name"] = SERVICE
    return replace(demo, districts=districts, provinces=provinces, activities=activities,
                   service_catalogue=catalogue), domain


@pytest.fixture(scope="module")
def hostile(demo):
    dataset, domain = _hostile(demo)
    return Context(dataset, GEOMETRY), domain


def _figures(output) -> list:
    """Every figure (a dcc.Graph's, or one sent alone) and every map Patch in a callback or layout output."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if ("data" in node and "layout" in node) or "__dash_patch_update" in node:
                found.append(node)
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(json.dumps(output, cls=PlotlyJSONEncoder)))
    return found


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for key, value in node.items() for s in [str(key), *_strings(value)]]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def _text(output) -> str:
    """All the text of the output's figures, one string per line."""
    figures = _figures(output)
    assert figures, "no figure in the output"
    return "\n".join(s for figure in figures for s in _strings(figure))


def _assert_plain(text: str, *shown: str) -> None:
    """No name arrives as markup; each name in `shown` arrives escaped."""
    for raw in RAW:
        assert raw not in text, f"{raw!r} reaches a figure unescaped"
    for twice in TWICE:
        assert twice not in text, f"a name is escaped twice ({twice!r})"
    for name in shown:
        assert plain(name) in text, f"{name!r} is not in the figures (escaped)"


def test_plain_escapes_only_what_plotly_reads():
    assert plain(BOLD) == "&lt;b&gt;X&lt;/b&gt;"
    assert plain(LINK) == '&lt;a href="http://e.x"&gt;y&lt;/a&gt;'  # quotes are harmless outside a tag
    assert plain(AMP) == "A &amp; B"
    assert plain("&lt;") == "&amp;lt;"  # a name that is literally "&lt;" shows as written, not as "<"
    assert plain("Nad Ali") == "Nad Ali" and plain(7) == "7"
    assert plain_all(pd.Series([BOLD, None, "x"], dtype=object)) == ["&lt;b&gt;X&lt;/b&gt;", None, "x"]
    assert plain_all(["x", AMP]) == ["x", "A &amp; B"]
    # Wrapped on the raw text, each line escaped, joined by our own <br>.
    assert plain_lines("<b>Long</b> activity & name", 12) == "&lt;b&gt;Long&lt;/b&gt;<br>activity &amp;<br>name"


def test_overview_map_hover_holds_names_as_text(hostile):
    ctx, _ = hostile
    view = View(admin1=("AF27",))
    text = _text(overview.layout(ctx, view, PUBLIC)) + _text(list(overview_update(ctx, view, PUBLIC).values()))
    _assert_plain(text, BOLD, LINK, AMP, PROVINCE)
    assert "<b>&lt;b&gt;X&lt;/b&gt;</b><br>&lt;i&gt;Kan" in text  # our own markup stays around the escaped names


def test_services_charts_hold_names_as_text(hostile):
    ctx, domain = hostile
    for view in (View(page="services", admin1=("AF27",)), View(page="services", admin1=("AF27", "AF01")),
                 View(page="services", admin1=("AF27",), domain=domain)):
        text = _text(services.layout(ctx, view, PUBLIC)) + _text(list(services_update(ctx, view, PUBLIC).values()))
        _assert_plain(text, BOLD, LINK, AMP, DOMAIN)
    whole = _text(list(services_update(ctx, View(page="services"), PUBLIC).values()))  # tracers by province
    _assert_plain(whole, PROVINCE, DOMAIN)


def test_service_name_of_the_catalogue_is_text_in_the_matrix(hostile):
    ctx, domain = hostile
    view = View(page="services", admin1=("AF27",), domain=domain)
    text = _text(list(services_update(ctx, view, COORDINATOR).values()))
    _assert_plain(text, BOLD, DOMAIN, SERVICE)  # the service's full name is in the hover


def test_priorities_charts_hold_names_as_text(hostile):
    ctx, _ = hostile
    view = View(page="priorities", admin1=("AF27",), top=20)
    text = _text(priorities.layout(ctx, view, PUBLIC)) + _text(list(priorities_update(ctx, view, PUBLIC).values()))
    _assert_plain(text, BOLD, LINK, AMP, PROVINCE)


def test_change_map_holds_names_and_rounds_as_text(hostile):
    ctx, _ = hostile
    view = View(page="change", admin1=("AF27",), indicator="population")
    text = _text(change.layout(ctx, view, PUBLIC)) + _text(list(change_update(ctx, view, PUBLIC).values()))
    _assert_plain(text, BOLD, LINK, AMP, PROVINCE)
    table = pd.DataFrame({"adm2_pcode": ["A", "B"], "adm2_name": [BOLD, AMP], "adm1_pcode": ["P", "P"],
                          "adm1_name": [PROVINCE] * 2, "before": [1.0, 2.0], "after": [2.0, 2.0],
                          "change": [1.0, 0.0]})
    population = INDICATORS["population"]
    edge = band_edge(table["change"], population.decimals)
    banded = table.assign(band=bands(table["change"], population.direction, population.decimals, edge))
    values = change_values(banded, population, "<b>r1</b>", "r2 & r3", edge)
    text = "\n".join(_strings(json.loads(json.dumps(values, cls=PlotlyJSONEncoder))))
    _assert_plain(text, BOLD, AMP, PROVINCE, "<b>r1</b>", "r2 & r3")
    assert "<b>r1" not in text and "r2 & r3" not in text


def test_partners_charts_hold_activities_and_names_as_text(hostile):
    ctx, _ = hostile
    view = View(page="partners", admin1=("AF27",))
    text = _text(partners.layout(ctx, view, PUBLIC)) + _text(list(partners_update(ctx, view, PUBLIC).values()))
    _assert_plain(text, BOLD, LINK, AMP, PROVINCE)
    everywhere = _text(list(partners_update(ctx, View(page="partners"), PUBLIC).values()))
    _assert_plain(everywhere)
    assert activity_label(ACTIVITY) in everywhere  # the axis's label: escaped lines joined by <br>
    assert "&lt;span style=" in activity_label(ACTIVITY) and "<br>" in activity_label(ACTIVITY)


def test_district_page_charts_hold_names_as_text(hostile):
    ctx, domain = hostile
    view = View(page="district", district="AF2701")
    assert not _figures(district.layout(ctx, view, COORDINATOR))  # the page's graphs are drawn by the callback
    text = _text(list(district_update(ctx, view, COORDINATOR).values()))
    _assert_plain(text, BOLD, PROVINCE)
    # Its domains are the reference list's: "General clinical, emergency & trauma care" keeps its "&".
    assert "General clinical,<br>emergency &amp; trauma care" in text
    # The public's withheld chart says so in a sentence naming the district: text too.
    figure = empty_figure(f"Service availability in {BOLD} is withheld")
    assert figure.layout.annotations[0].text == "Service availability in &lt;b&gt;X&lt;/b&gt; is withheld"


def test_figure_builders_escape_rounds_and_labels():
    trend = pd.DataFrame({"round": ["<b>r1</b>", "r2 & r3"], "facilities": [1, 2], "functional": [1, 1],
                          "pct_fully_functional": [50.0, 60.0], "availability_score": [40.0, 45.0]})
    figure = go.Figure(trend_spec(trend, "r2 & r3", False))
    assert list(figure.data[0].x) == ["&lt;b&gt;r1&lt;/b&gt;", "r2 &amp; r3"]
    assert figure.data[0].marker.size[1] > figure.data[0].marker.size[0]  # the current round still found
    scores = pd.DataFrame({"name": [DOMAIN], "district": [50.0], "province": [40.0]})
    figure = go.Figure(services_spec(scores, BOLD, PROVINCE))
    assert [t.name for t in figure.data] == [plain(BOLD), f"{plain(PROVINCE)} (province)"]
    assert all(plain(BOLD) in t.hovertemplate or "province" in t.hovertemplate for t in figure.data)
    _assert_plain("\n".join(_strings(json.loads(figure.to_json()))), BOLD, PROVINCE)
    rows = pd.DataFrame({"priority_rank": [1, 2], "adm2_name": [BOLD, AMP], "stability": [0.9, 0.4]})
    figure = go.Figure(stability_spec(rows, 1))
    shown = [y for trace in figure.data for y in trace.y]
    assert shown == ["1. &lt;b&gt;X&lt;/b&gt;", "2. A &amp; B"]
    assert list(figure.layout.yaxis.categoryarray) == shown[::-1]  # the order's keys are the shown labels
    table = pd.DataFrame({"adm2_name": [BOLD, LINK], "pct_with_epi": [10.0, None], "suppressed": [False, True]})
    figure = tracer_figure(table, "adm2_name", {"epi": "immunisation"}, "t", "none")
    assert list(figure.data[0].y) == plain_all([BOLD, LINK])
    assert list(figure.layout.yaxis.ticktext) == [plain(BOLD), f"{plain(LINK)} (suppressed)"]
