"""The priorities page's components: the weights panel, the ranked grid, the list of districts not ranked,
the class map and the two charts with their numbers as tables. What they show is model.py's (the ranking
itself is analysis.priority.rank); this module only draws it."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from analysis.catalogue import INDICATORS
from analysis.priority import DEFAULT_WEIGHTS, method_text
from analysis.suppression import label as suppressed_label
from context import Context
from figures.choropleth import choropleth_figure
from figures.priorities import class_values, quadrant_spec, stability_spec
from figures.style import empty_figure
from pages import ids
from pages.controls import dom_id, empty_state, export_buttons, filter_bar
from pages.graph import graph
from pages.grid import district_column, profile_link_formatter
from pages.priorities import model
from pages.priorities.model import Ranking
from view import View

TITLE = "Priorities"
FILTERS = ("round", "admin1")
WEIGHT_STEP = 0.05  # a weight input's step: weights are shares, rescaled to sum to 1
TABLE_HEIGHT = "60vh"  # the ranked grid's height: it scrolls inside
PRESENT_SCALE = 1.6  # the grid's columns are this much wider in presentation mode, for the larger type
# The grid's narrowest columns (px, before PRESENT_SCALE): the rank, the names, the numbers, the score points
# and the values (whose headers also say the unit)
RANK_WIDTH, DISTRICT_WIDTH, NUMBER_WIDTH, POINTS_WIDTH, VALUE_WIDTH = 80, 140, 120, 130, 150


# The weights panel


def weight_input(name: str, weight: float) -> html.Div:
    """A labelled number input for one indicator's weight, with its unit, direction of need and default."""
    indicator = INDICATORS[name]
    component_id = ids.control(f"weight:{name}")
    default = DEFAULT_WEIGHTS.get(name, 0)
    default_text = f"default {default:g}"
    return html.Div([
        html.Div([
            dbc.Label([indicator.label, html.Span(f", {default_text}", className="visually-hidden")],
                      html_for=dom_id(component_id), className="form-label mb-0"),
            html.Div(f"{indicator.unit}; {model.direction_text(name)}", className="weight-meta"),
        ], className="weight-text"),
        dbc.Input(id=component_id, type="number", min=0, step=WEIGHT_STEP, value=weight, debounce=True,
                  className="weight-input"),
        html.Div(default_text, className="weight-default", **{"aria-hidden": "true"}),
    ], className="weight")


def weight_inputs(view: View) -> list:
    return [weight_input(name, view.weights.get(name, 0)) for name in model.candidates(view)]


def method_items(result: Ranking) -> list:
    """The method and weights, line by line, as the export's header gives them."""
    if result.error:
        return [html.Li(f"No ranking: {result.error}.")]
    return [html.Li(line) for line in method_text(result.method)]


def weights_panel(view: View, result: Ranking) -> html.Section:
    """The weights (one input per candidate indicator), the reset link, the top N, and the method in a line."""
    top_id = ids.PRIORITY_TOP
    return html.Section([
        html.Div([
            html.H2("Weights", className="h5 mb-0"),
            html.Span("0: not used; all 0: the defaults.", className="weight-meta"),
            dcc.Link("Reset to the defaults", href=model.reset_href(view), id=ids.PRIORITY_RESET),
            html.Div([dbc.Label("Top N", html_for=dom_id(top_id), className="form-label mb-0"),
                      dbc.Input(id=top_id, type="number", min=1, step=1, value=view.top, debounce=True,
                                className="weight-input"),
                      html.Span("named on the charts and counted for stability", className="weight-meta")],
                     className="top-n"),
        ], className="weights-head"),
        html.P(model.method_line(result), id=ids.PRIORITY_METHOD, className="caption mb-1"),
        html.Div(weight_inputs(view), id=ids.PRIORITY_WEIGHTS, className="weights"),
    ], className="priority-weights", **{"aria-label": "Weights of the priority score"})


# The ranked list


def _number(decimals: int) -> dict:
    """The grid's number format, as the map and tables write numbers (thousands separated)."""
    return {"function": f"params.value == null ? 'no data' : d3.format(',.{decimals}f')(params.value)"}


def grid_columns(result: Ranking, search: str = "", present: bool = False) -> list[dict]:
    """Rank, names, score, class, stability, then each indicator's score points and value (wider columns in
    presentation mode, for the larger type)."""
    scale = PRESENT_SCALE if present else 1
    names = result.indicators
    link = profile_link_formatter(search)
    right = {"type": "rightAligned", "filter": "agNumberColumnFilter", "minWidth": NUMBER_WIDTH * scale}
    return [
        {"headerName": "Rank", "field": "priority_rank", "pinned": "left", "width": RANK_WIDTH * scale,
         "minWidth": RANK_WIDTH * scale, "flex": 0, "type": "rightAligned", "filter": False},
        district_column(pinned="left", valueFormatter=link, minWidth=DISTRICT_WIDTH * scale),
        {"headerName": "Province", "field": "adm1_name", "minWidth": NUMBER_WIDTH * scale},
        {"headerName": "Score (0-100)", "field": "priority_score", "valueFormatter": _number(1), **right},
        {"headerName": "Class (5 = highest)", "field": "priority_class", **right},
        {"headerName": f"Stability (in the top {result.top_n})", "field": "stability",
         "valueFormatter": {"function": "params.value == null ? '' : d3.format('.0%')(params.value)"}, **right},
        {"headerName": "Score points from", "children": [
            {**right, "headerName": INDICATORS[name].label, "field": f"contribution_{name}",
             "valueFormatter": _number(1), "minWidth": POINTS_WIDTH * scale} for name in names]},
        {"headerName": "Values", "children": [
            {**right, "headerName": f"{INDICATORS[name].label} ({INDICATORS[name].unit})", "field": name,
             "valueFormatter": _number(INDICATORS[name].decimals), "minWidth": VALUE_WIDTH * scale}
            for name in names]},
    ]


def ranked_rows(result: Ranking) -> list[dict]:
    """The ranked table as grid records, None where a value is missing (built column by column: a third of
    the time of DataFrame.to_dict)."""
    names = list(result.ranked.columns)
    columns = [result.ranked[name].to_numpy(dtype=object, na_value=None) for name in names]
    return [dict(zip(names, row)) for row in zip(*columns)]


def ranked_grid(result: Ranking, search: str, present: bool) -> dag.AgGrid:
    return dag.AgGrid(
        id=ids.PRIORITY_TABLE, columnDefs=grid_columns(result, search, present), rowData=ranked_rows(result),
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "flex": 1, "minWidth": NUMBER_WIDTH,
                       "wrapHeaderText": True, "autoHeaderHeight": True},
        dashGridOptions={"suppressRowVirtualisation": True, "animateRows": False},
        getRowId="params.data.adm2_pcode", className="priority-table", style={"height": TABLE_HEIGHT},
    )


def message_box(problem: str | None):
    """The empty state saying why nothing is ranked, or nothing."""
    return empty_state(problem) if problem else None


def excluded_list(result: Ranking) -> list:
    """The districts not ranked, each with what is missing: never ranked last."""
    if result.error:
        return [html.P("No ranking, so no district is left out of it.", className="caption")]
    if result.excluded.empty:
        return [html.P("Every district has all the weighted indicators: none is left out.", className="caption")]
    return [html.Ul([html.Li(f"not ranked: {row.adm2_name} ({row.adm1_name}): {row.reason}")
                     for row in result.excluded.itertuples()], className="excluded-list")]


# The charts, each with its numbers as a table

NEED_TITLE = "Need: score points from severity<br>and people in need"
COVERAGE_TITLE = "Coverage: partners"


def quadrant(ctx: Context, view: View, role: str, result: Ranking) -> tuple[go.Figure | dict, list]:
    """The need against coverage chart and its text alternative."""
    points, problem = model.quadrant(ctx, view, role, result)
    if points is None:
        return empty_figure(problem, view.present), []
    figure = quadrant_spec(points, view.top, NEED_TITLE, COVERAGE_TITLE, "partners", view.present)
    return figure, quadrant_text(model.medians(points, view.top))


def quadrant_text(medians: model.Medians) -> list:
    """The chart in words: the medians, how many districts are in the gap quadrant, the top N's values."""
    return [
        html.P(f"Medians (the dashed lines): need {medians.need:.1f} points, {medians.coverage:g} partners. "
               f"{medians.gap:,} of {medians.ranked:,} ranked districts have more need than the median and fewer "
               "partners than the median."),
        dbc.Table([html.Thead(html.Tr([html.Th("Rank"), html.Th("District"), html.Th("Province"),
                                       html.Th("Need (points)"), html.Th("Partners")])),
                   html.Tbody([html.Tr([html.Td(r.priority_rank), html.Td(r.adm2_name), html.Td(r.adm1_name),
                                        html.Td(f"{r.need:.1f}"), html.Td(f"{r.coverage:g}")])
                               for r in medians.top.itertuples()])], size="sm", striped=True),
    ]


def stability(ctx: Context, view: View, result: Ranking) -> tuple[go.Figure | dict, list]:
    """The stability chart and its text alternative."""
    problem = model.message(ctx, view, result)
    if problem:
        return empty_figure(problem, view.present), []
    rows = model.stability_rows(result, view.top)
    table = dbc.Table([html.Thead(html.Tr([html.Th("Rank"), html.Th("District"), html.Th("Province"),
                                           html.Th(f"In the top {view.top}")])),
                       html.Tbody([html.Tr([html.Td(r.priority_rank), html.Td(r.adm2_name), html.Td(r.adm1_name),
                                            html.Td(f"{r.stability:.1%}")]) for r in rows.itertuples()])],
                      size="sm", striped=True)
    return stability_spec(rows, view.top, view.present), [table]


def details(summary_text: str, component_id: str, children: list) -> html.Details:
    return html.Details([html.Summary(summary_text), html.Div(children, id=component_id)], className="mt-1")


def layout(ctx: Context, view: View, role: str) -> list:
    result = model.ranking(ctx, view, role)
    classes = model.map_table(ctx, view, role, result)
    class_map = choropleth_figure(classes, None, ctx.geometry["adm2"], ctx.geometry["adm1"], view.present,
                                  values=class_values(classes))
    quadrant_chart, quadrant_alt = quadrant(ctx, view, role, result)
    stability_chart, stability_alt = stability(ctx, view, result)
    return [html.Div([
        filter_bar(ctx, view, FILTERS, role),
        weights_panel(view, result),
        html.Section([
            html.Div([html.H2("Ranked districts", className="h5 mb-0"),
                      export_buttons("priorities", "the priority ranking")],
                     className="d-flex justify-content-between align-items-center mb-1"),
            html.P(model.summary(ctx, view, result), id=ids.PRIORITY_SUMMARY, className="priority-summary"),
            html.Div(message_box(model.message(ctx, view, result)), id=ids.PRIORITY_MESSAGE),
            ranked_grid(result, view.search(), view.present),
            html.H3("Not ranked", className="h6 mt-2"),
            html.Div(excluded_list(result), id=ids.PRIORITY_EXCLUDED),
        ], className="mt-3", **{"aria-label": "Ranked districts"}),
        dbc.Row([
            dbc.Col(html.Section([
                html.H2("Priority class", className="h5"),
                html.P("Class 1 + floor(score / 20): 5 is the highest priority. Grey: not ranked (a missing "
                       f"value); purple: not ranked (a value {suppressed_label()}). Click a district to open its "
                       "profile. The table above holds the same classes.",
                       className="caption"),
                graph(ids.PRIORITY_MAP, class_map, "healthgaps-priority-map", className="map priority-map"),
            ], **{"aria-label": "Map of priority classes"}), lg=6),
            dbc.Col(html.Section([
                html.H2("Need against coverage", className="h5"),
                html.P("x: the score points from severity and people in need (the need part of the score); y: "
                       "partners reporting activities. Dashed lines: the medians. The top N are numbered by rank; "
                       "hover a point for its name.", className="caption"),
                graph(ids.PRIORITY_QUADRANT, quadrant_chart, "healthgaps-need-coverage", className="quadrant"),
                details("The chart's numbers", ids.PRIORITY_QUADRANT_TABLE, quadrant_alt),
            ], **{"aria-label": "Need against coverage"}), lg=6),
        ], className="g-3 mt-2"),
        dbc.Row([
            dbc.Col(html.Section([
                html.H2("How sure is the ranking?", className="h5"),
                html.P(model.stability_sentence(result, view.top), id=ids.PRIORITY_STABILITY_TEXT),
                graph(ids.PRIORITY_STABILITY, stability_chart, "healthgaps-stability"),
                details("The chart's numbers", ids.PRIORITY_STABILITY_TABLE, stability_alt),
            ], **{"aria-label": "Stability of the ranking"}), lg=6),
            dbc.Col(html.Section([
                html.H2("How the score is made", className="h5"),
                html.Ul(method_items(result), id=ids.PRIORITY_METHOD_FULL, className="method-list"),
            ], **{"aria-label": "How the score is made"}), lg=6),
        ], className="g-3 mt-2"),
    ], className="priority-page")]
