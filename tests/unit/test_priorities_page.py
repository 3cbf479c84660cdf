"""The priorities page as plain functions: the list it shows is analysis.priority.rank's, the districts left
out say why, the map's classes, the charts and the export's header."""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.io.json import to_json_plotly

from analysis.access import COORDINATOR, PUBLIC
from analysis.districts import district_table
from analysis.filters import Filter
from analysis.priority import DEFAULT_WEIGHTS, default_method, method_text, rank
from analysis.suppression import flags
from context import Context
from figures.palette import class_colours
from figures.priorities import (
    PRIORITY_CLASSES,
    class_values,
    quadrant_spec,
    rank_labels,
    stability_spec,
)
from pages import ids
from pages.downloads import download
from pages.priorities import layout as page
from pages.priorities import model
from pages.priorities.callbacks import OUTPUTS, priorities_update, priority_export, weights_shown
from tests.conftest import GEOMETRY, component_text, patched
from view import View

# The outputs the tests read, by (id, property)
ROWS, COLUMNS = (ids.PRIORITY_TABLE, "rowData"), (ids.PRIORITY_TABLE, "columnDefs")
SUMMARY, MESSAGE, EXCLUDED = (ids.PRIORITY_SUMMARY, "children"), (ids.PRIORITY_MESSAGE, "children"), \
    (ids.PRIORITY_EXCLUDED, "children")
MAP, MAP_CONFIG = (ids.PRIORITY_MAP, "figure"), (ids.PRIORITY_MAP, "config")
QUADRANT, QUADRANT_TABLE = (ids.PRIORITY_QUADRANT, "figure"), (ids.PRIORITY_QUADRANT_TABLE, "children")
STABILITY, STABILITY_CONFIG = (ids.PRIORITY_STABILITY, "figure"), (ids.PRIORITY_STABILITY, "config")
STABILITY_TEXT = (ids.PRIORITY_STABILITY_TEXT, "children")
METHOD_FULL, RESET = (ids.PRIORITY_METHOD_FULL, "children"), (ids.PRIORITY_RESET, "href")



def _view(**changes) -> View:
    return View(page="priorities", **changes)


def _public(demo, chosen=Filter()):
    """The district table the page ranks for the public: small cells withheld, and figures about small groups
    inside a district (analysis/suppression.py)."""
    return district_table(demo, chosen, suppressed=True)


def _expected(demo, weights=None, chosen=Filter(), top_n=10):
    return rank(_public(demo, chosen), default_method(weights, top_n=top_n))


def update(ctx: Context, view: View, role: str = PUBLIC) -> dict:
    """The page's outputs for a view, as `role` asks them (a coordinator: the whole district table is ranked):
    every output the page declares, and no other."""
    out = priorities_update(ctx, view, role)
    assert set(out) == set(OUTPUTS)
    return out


def _shown(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def _figure(output) -> go.Figure:
    """A figure output (the page sends dicts) as plotly's object, which validates it on the way."""
    return go.Figure(output)


def _numbers(values) -> list:
    """The numbers of a figure's array, a plotly.js typed array ({"dtype", "bdata"}) decoded."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def test_the_list_is_rank_for_the_default_weights(ctx, demo):
    out = update(ctx, _view())
    shown = _shown(out[ROWS])
    ranked, excluded = _expected(demo)
    # 395 districts less 8 without a value, 34 small + 7 protecting, and 133 whose primary facilities per 10,000
    # would be about a small group of facilities (the district's primary ones, or its others: one hospital...)
    assert len(shown) == len(ranked) == 213
    assert shown["adm2_pcode"].tolist() == ranked["adm2_pcode"].tolist()
    for column in ranked.columns.drop("adm2_pcode"):
        assert shown[column].tolist() == pytest.approx(ranked[column].tolist()), column
    # names and values beside each rank are the district's own
    table = district_table(demo, Filter()).set_index("adm2_pcode")
    first = shown.iloc[0]
    assert first["adm2_name"] == table.loc[first["adm2_pcode"], "adm2_name"]
    assert first["severity"] == table.loc[first["adm2_pcode"], "severity"]
    # one grid column of points and one of values per weighted indicator
    fields = [c.get("field") for group in out[COLUMNS] for c in group.get("children", [group])]
    assert [f for f in fields if f and f.startswith("contribution_")] == [f"contribution_{n}" for n in DEFAULT_WEIGHTS]
    assert set(DEFAULT_WEIGHTS) <= set(fields)
    assert "213 districts ranked; 182 not ranked (missing or suppressed values)" in out[SUMMARY]
    assert out[MESSAGE] is None
    out = update(ctx, _view(), COORDINATOR)  # a coordinator's ranking: every district with its values
    ranked, _ = rank(district_table(demo, Filter()), default_method())
    assert _shown(out[ROWS])["adm2_pcode"].tolist() == ranked["adm2_pcode"].tolist() and len(ranked) == 387
    assert "387 districts ranked; 8 not ranked (missing values)" in out[SUMMARY]


def test_severity_alone_ranks_by_severity_then_pcode(ctx, demo):
    out = update(ctx, _view(weights={"severity": 1.0}))
    shown = _shown(out[ROWS])
    table = district_table(demo, Filter())
    # computed here: highest severity first, ties in p-code order; score = 100 x (s - min) / (max - min)
    order = table.sort_values(["severity", "adm2_pcode"], ascending=[False, True])
    assert shown["adm2_pcode"].tolist() == order["adm2_pcode"].tolist()
    low, high = table["severity"].min(), table["severity"].max()
    assert shown["priority_score"].tolist() == pytest.approx((100 * (order["severity"] - low) / (high - low)).tolist())
    assert shown["priority_rank"].tolist() == list(range(1, len(table) + 1))
    ranked, excluded = _expected(demo, {"severity": 1.0})
    assert shown["stability"].tolist() == pytest.approx(ranked["stability"].tolist())
    assert excluded.empty and "none is left out" in component_text(out[EXCLUDED])
    assert [c for c in shown.columns if c.startswith("contribution_")] == ["contribution_severity"]


def test_districts_not_ranked_are_listed_with_what_is_missing(ctx, demo):
    out = update(ctx, _view())
    _, excluded = _expected(demo)
    text = component_text(out[EXCLUDED])
    assert len(excluded) == 182 and text.count("not ranked:") == 182
    assert "not ranked: Kot (Nangarhar): no Service availability" in text
    assert ("not ranked: Shekh Ali (Parwan): Service availability and Primary health facilities per 10,000 people "
            "suppressed (small numbers)") in text
    assert not set(excluded["adm2_pcode"]) & {row["adm2_pcode"] for row in out[ROWS]}  # never ranked last


def test_a_district_without_population_is_not_ranked(demo):
    without = dataclasses.replace(demo, population=demo.population[demo.population["adm2_pcode"] != "AF0102"])
    out = update(Context(without, GEOMETRY), _view())
    assert "AF0102" not in {row["adm2_pcode"] for row in out[ROWS]}
    assert "not ranked: Paghman (Kabul): no Primary health facilities per 10,000 people" in component_text(out[EXCLUDED])


def test_a_province_where_no_district_can_be_ranked(ctx, demo):
    view = _view(admin1=("AF16",), weights={"pct_reached": 1.0})  # Nuristan has no reach figures
    out = update(ctx, view)
    assert out[ROWS] == []
    message = component_text(out[MESSAGE])
    assert "No district of Nuristan in round 2026-12-31 can be ranked" in message
    assert component_text(out[EXCLUDED]).count("no Share of targeted people reached") == len(
        district_table(demo, Filter(admin1=("AF16",))))
    for figure in (out[QUADRANT], out[STABILITY]):  # a sentence, not blank axes
        assert figure.layout.annotations[0].text == message
    assert patched(out[MAP])[("data", 0, "z")] == [0] * 8  # every district "no data"


def test_a_method_that_cannot_rank_says_why(ctx):
    out = update(ctx, _view(weights={"population": 1.0}))  # neutral: no direction of need
    assert out[ROWS] == []
    why = "indicator 'population' has no direction of need (higher_is_worse or higher_is_better)"
    assert why in component_text(out[MESSAGE]) and why in component_text(out[METHOD_FULL])
    assert out[QUADRANT].layout.annotations[0].text == component_text(out[MESSAGE])
    assert "No ranking" in component_text(out[EXCLUDED]) and out[SUMMARY].startswith("No ranking.")
    notes = model.export_notes(ctx, _view(weights={"population": 1.0}), PUBLIC)
    assert notes == ["weights: population=1", f"no ranking: {why}"]


def test_a_tier_absent_from_a_province_leaves_nothing_to_rank(ctx, demo):
    kandahar = district_table(demo, Filter(admin1=("AF27",), tiers=("tertiary",)))  # a coordinator's breakdown
    assert kandahar["availability_score"].isna().sum() > 0  # the filter leaves districts without facilities
    out = update(ctx, _view(admin1=("AF27",), tiers=("tertiary",)), COORDINATOR)
    ranked, excluded = rank(kandahar, default_method())
    assert [r["adm2_pcode"] for r in out[ROWS]] == ranked["adm2_pcode"].tolist()
    assert component_text(out[EXCLUDED]).count("not ranked:") == len(excluded)
    assert "Filters set on other pages apply too: facility types tertiary" in out[SUMMARY]


def test_priority_classes_on_the_map(ctx, demo):
    out = update(ctx, _view(), COORDINATOR)
    trace = class_values(model.map_table(ctx, _view(), COORDINATOR, model.ranking(ctx, _view(), COORDINATOR)))[0]
    values = patched(out[MAP])
    z = dict(zip(values[("data", 0, "locations")], values[("data", 0, "z")]))
    ranked, excluded = rank(district_table(demo, Filter()), default_method())
    for code, score, cls in zip(ranked["adm2_pcode"], ranked["priority_score"], ranked["priority_class"]):
        assert cls == min(1 + math.floor(score / 20), 5)
        assert z[code] == cls  # legend positions: 0 no data, then classes 1 to 5
    assert all(z[code] == 0 for code in excluded["adm2_pcode"])
    assert trace["colorbar"]["ticktext"] == ["no data", "1 (lowest)", "2", "3", "4", "5 (highest)"]
    # The public's map: districts not ranked because a value is withheld have a class of their own.
    values = patched(update(ctx, _view())[MAP])
    z = dict(zip(values[("data", 0, "locations")], values[("data", 0, "z")]))
    assert values[("data", 0, "colorbar")]["ticktext"][:3] == ["no data", "suppressed<br>(small numbers)",
                                                               "1 (lowest)"]
    ranked, excluded = _expected(demo)
    table = _public(demo)
    hidden = np.logical_or.reduce([flags(table, name).to_numpy() for name in DEFAULT_WEIGHTS])
    withheld = set(table.loc[hidden, "adm2_pcode"])
    assert all(z[code] == cls + 1 for code, cls in zip(ranked["adm2_pcode"], ranked["priority_class"]))
    assert all(z[code] == (1 if code in withheld else 0) for code in excluded["adm2_pcode"])
    assert [c.colour for c in PRIORITY_CLASSES] == class_colours("higher_is_worse", 5)
    assert PRIORITY_CLASSES[-1].colour == "#bd0026"  # YlOrRd's darkest: the highest priority


def test_need_against_coverage(ctx, demo):
    out = update(ctx, _view())
    figure = _figure(out[QUADRANT])
    ranked, _ = _expected(demo)
    partners = _public(demo).set_index("adm2_pcode")["partners"]
    need = ranked["contribution_severity"] + ranked["contribution_pin"]
    xs = [x for trace in figure.data for x in _numbers(trace.x)]
    assert sorted(xs) == pytest.approx(sorted(need))
    top, labels = figure.data[1], [a.text for a in figure.layout.annotations]
    assert top.name == "top 10 (numbers: rank)" and len(_numbers(top.x)) == 10
    assert [c[0] for c in top.customdata] == _shown(out[ROWS])["adm2_name"][:10].tolist()  # names in the hover
    assert sorted(int(r) for text in labels for r in text.split(",")) == list(range(1, 11))
    assert figure.layout.shapes[0].x0 == pytest.approx(need.median())
    assert figure.layout.shapes[1].y0 == pytest.approx(partners.loc[ranked["adm2_pcode"]].median())
    assert figure.layout.xaxis.title.text.startswith("Need: score points from severity")
    assert "Medians" in component_text(out[QUADRANT_TABLE])


def test_quadrant_without_need_weights_or_partner_data(ctx, demo):
    out = update(ctx, _view(weights={"availability_score": 1.0}))
    assert "no need part" in out[QUADRANT].layout.annotations[0].text
    quiet = dataclasses.replace(demo, activities=demo.activities.iloc[0:0])
    out = update(Context(quiet, GEOMETRY), _view())
    assert out[QUADRANT].layout.annotations[0].text == (
        "No partner reported an activity in the country in round 2026-12-31: coverage cannot be drawn.")
    assert len(out[ROWS]) == len(_expected(quiet)[0]) == 213  # the ranking still works (partners 0 everywhere)


def test_stability_chart_and_sentence(ctx, demo):
    out = update(ctx, _view(top=5))
    ranked, _ = rank(_public(demo), default_method(top_n=5))
    figure = _figure(out[STABILITY])
    bars = {label: x for trace in figure.data for label, x in zip(trace.y, _numbers(trace.x))}
    expected = {f"{r}. {n}": 100 * s for r, n, s in zip(
        ranked["priority_rank"], _shown(out[ROWS])["adm2_name"], ranked["stability"]) if r <= 10}
    assert bars == pytest.approx(expected)
    assert [trace.name for trace in figure.data] == ["in the top 5 now", "next after the top 5"]
    sure = int((ranked["stability"][:5] >= 0.9).sum())
    assert f"{sure} of the top 5 stay in it in at least 90% of the draws" in out[STABILITY_TEXT]
    assert "1,000 random draws" in out[STABILITY_TEXT] and "±25%" in out[STABILITY_TEXT]


def test_presentation_mode_enlarges_the_charts(ctx):
    normal, present = update(ctx, _view()), update(ctx, _view(present=True))
    for index in (QUADRANT, STABILITY):
        assert _figure(present[index]).layout.font.size > _figure(normal[index]).layout.font.size
    assert patched(present[MAP])[("layout", "font")]["size"] > patched(normal[MAP])[("layout", "font")]["size"]


def test_reset_link_and_png_names(ctx):
    view = _view(weights={"severity": 1.0}, admin1=("AF27",))
    out = update(ctx, view)
    assert out[RESET] == "/priorities?admin1=AF27"  # the defaults: no weights in the URL
    assert out[STABILITY_CONFIG]["toImageButtonOptions"]["filename"].startswith(
        "healthgaps_priority-stability_2026-12-31_kandahar_dataset-")
    assert out[MAP_CONFIG]["showSendToCloud"] is False


def test_export_notes_and_files_carry_the_weights_and_method(ctx, demo):
    view = _view(weights={"severity": 0.5, "pct_damaged": 0.5})
    method = default_method({"severity": 0.5, "pct_damaged": 0.5})
    notes = model.export_notes(ctx, view, PUBLIC)
    assert notes[0] == "weights: severity=0.5,pct_damaged=0.5"
    assert all(line in notes for line in method_text(method))
    ranked, excluded = rank(_public(demo), method)
    assert sum(line.startswith("not ranked: ") for line in notes) == len(excluded) == 49
    raw = base64.b64decode(download(ctx, view, "priorities", "csv", PUBLIC)["content"]).decode("utf-8-sig")
    assert "# weights: severity=0.5,pct_damaged=0.5" in raw.splitlines()
    frame = pd.read_csv(io.StringIO(raw), comment="#")
    assert frame["adm2_pcode"].tolist() == ranked["adm2_pcode"].tolist()
    assert frame["priority_score"].tolist() == pytest.approx(ranked["priority_score"].tolist(), abs=0.0051)
    pd.testing.assert_frame_equal(frame, priority_export(ctx, view, PUBLIC), check_dtype=False)


def test_figures_as_plain_functions():
    points = pd.DataFrame({"adm2_name": ["A", "B", "C"], "adm1_name": ["P"] * 3, "priority_rank": [1, 2, 3],
                           "need": [30.0, 10.0, 20.0], "coverage": pd.array([0, 4, 2], dtype="Int64")})
    figure = go.Figure(quadrant_spec(points, 1, "need", "coverage", "partners"))
    assert [a.text for a in figure.layout.annotations] == ["1"] and figure.layout.shapes[0].x0 == 20.0
    # ranks of points that sit together share one label; a nullable integer coverage (the table's) works
    labels = rank_labels(points.assign(need=[30.0, 29.5, 10.0], coverage=pd.array([0, 0, 0], dtype="Int64")), 1.0)
    assert labels["text"].tolist() == ["3", "1, 2"] and labels["need"].tolist() == [10.0, 30.0]
    rows = pd.DataFrame({"priority_rank": [1, 2], "adm2_name": ["A", "B"], "stability": [1.0, 0.25]})
    bars = go.Figure(stability_spec(rows, 1))
    assert [_numbers(t.x) for t in bars.data] == [[100.0], [25.0]]
    assert list(bars.layout.yaxis.categoryarray) == ["2. B", "1. A"]  # rank 1 on top


def test_charts_are_sent_as_plotly_would_write_them(ctx):
    """The charts are built as plain dicts, skipping plotly's validation (it took most of a weight change's
    time): each must be exactly what plotly's Figure makes of it (names, nesting, typed arrays, template)."""
    for view in (_view(), _view(present=True, top=3, admin1=("AF27",)), _view(weights={"severity": 1.0}, top=30)):
        out = update(ctx, view)
        for index in (QUADRANT, STABILITY):
            assert isinstance(out[index], dict)
            validated = go.Figure(out[index])
            assert json.loads(to_json_plotly(validated)) == json.loads(to_json_plotly(out[index]))
            assert validated.layout.template.layout.colorway  # plotly's default template, as go.Figure() has


def test_the_ranking_is_kept_per_view_and_role(ctx):
    view = _view(weights={"severity": 0.7, "pin": 0.3}, admin1=("AF27",))
    first = model.ranking(ctx, view, PUBLIC)
    assert model.ranking(ctx, dataclasses.replace(view), PUBLIC) is first  # a view asked again is not ranked again
    swapped = model.ranking(ctx, _view(weights={"pin": 0.3, "severity": 0.7}, admin1=("AF27",)), PUBLIC)
    assert swapped is not first and swapped.ranked.columns[-1] == "severity"  # the columns follow the weights
    public = model.ranking(ctx, _view(), PUBLIC)
    assert len(model.ranking(ctx, _view(), COORDINATOR).ranked) == 387 != len(public.ranked)  # each its own


def test_chart_dicts_are_fresh_copies():
    rows = pd.DataFrame({"priority_rank": [1, 2], "adm2_name": ["A", "B"], "stability": [1.0, 0.25]})
    first = stability_spec(rows, 1)
    first["layout"]["font"]["size"] = 99
    first["layout"]["template"]["layout"]["colorway"] = []
    again = stability_spec(rows, 1)
    assert again["layout"]["font"]["size"] == 14 and again["layout"]["template"]["layout"]["colorway"]


def test_inputs_show_the_defaults_when_every_weight_is_0():
    assert weights_shown(_view(), [0, 0, None, 0, 0, 0, 0, 0, 0, 0]) is not None
    assert weights_shown(_view(), [0.25, 0.2, 0.2, 0.2, 0.15, 0, 0, 0, 0, 0]) is None
    assert weights_shown(_view(weights={"severity": 1.0}), [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]) is None
    inputs = page.weight_inputs(_view())
    assert [i.children[1].value for i in inputs[:5]] == list(DEFAULT_WEIGHTS.values())
    assert "default 0.25" in component_text(inputs[0]) and "more need when higher" in component_text(inputs[0])
    assert "share of the standard (1) missing" in component_text(inputs[3])
    assert [i.children[1].value for i in inputs[5:]] == [0] * 5
