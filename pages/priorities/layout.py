"""The priorities page: which districts first (the ranked list and its map), why (the weights the user sets,
each indicator's score points, need against coverage) and how sure (the ranking's stability under changed
weights). The ranking itself is analysis.priority.rank; this module only names and shows it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from analysis import standards
from analysis.catalogue import INDICATORS
from analysis.filters import Filter
from analysis.priority import DEFAULT_WEIGHTS, STANDARD_INDICATORS, Method, default_method, method_text, rank
from analysis.suppression import SUPPRESSED, flags
from analysis.suppression import label as suppressed_label
from context import Context, per_dataset
from exports import filter_parts
from figures.choropleth import choropleth_figure
from figures.priorities import class_values, quadrant_spec, stability_spec
from figures.style import empty_figure
from pages import ids
from pages.controls import dom_id, empty_state, export_buttons, filter_bar
from pages.graph import graph
from pages.grid import district_column
from view import View

TITLE = "Priorities"
FILTERS = ("round", "admin1")
# Offered besides the default indicators: more of the health system and of the response.
EXTRA_CANDIDATES = ("hospitals_per_250k", "pct_fully_functional", "pct_damaged", "pop_per_functional_facility",
                    "pct_reached")
NEED = ("severity", "pin")  # the need part of the score: the quadrant chart's x
COVERAGE = "partners"  # the response: the quadrant chart's y
NEXT = 5  # districts after the top N shown in the stability chart
NAMES = ["adm2_pcode", "adm2_name", "adm1_pcode", "adm1_name"]
RANK_COLUMNS = ["priority_rank", "adm2_pcode", "adm2_name", "adm1_name", "priority_score", "priority_class",
                "stability"]
EXCLUDED_COLUMNS = ["adm2_pcode", "adm2_name", "adm1_name", "missing", "reason", SUPPRESSED]


@dataclass(frozen=True)
class Ranking:
    """The ranked districts (names, rank, score, class, stability, contributions, values), the districts not
    ranked (with the reason), the method; or the error that kept the method from ranking."""
    ranked: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RANK_COLUMNS))
    excluded: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EXCLUDED_COLUMNS))
    method: Method | None = None
    error: str | None = None


def candidates(view: View) -> list[str]:
    """The indicators offered a weight: the defaults, a few more, and any other the view weights."""
    listed = [*DEFAULT_WEIGHTS, *EXTRA_CANDIDATES]
    return listed + [name for name in view.weights if name in INDICATORS and name not in listed]


def ranking(ctx: Context, view: View) -> Ranking:
    """analysis.priority.rank on the view's district table and weights, with names and indicator values. Kept
    per filter, weights, top N and role: a view asked again and its downloads share it (read only)."""
    return _ranking(ctx, view.filter(), tuple(view.weights.items()), view.top, ctx.public)


@per_dataset()
def _ranking(ctx: Context, chosen: Filter, weights: tuple, top: int, public: bool) -> Ranking:
    """ranking's work. The role (`public`) is part of the key: it decides which district table is ranked."""
    table = ctx.districts(chosen)
    try:
        method = default_method(dict(weights), top_n=top)
        ranked, excluded = rank(table, method)
    except ValueError as exc:
        return Ranking(error=str(exc))
    contributions = [f"contribution_{name}" for name in method.indicators]
    ranked = joined(ranked, table, [*RANK_COLUMNS, *contributions, *method.indicators])
    excluded = joined(excluded, table, ["adm2_pcode", "adm2_name", "adm1_name", "missing"])
    # withheld from the public: fewer than 3 facilities (or a small group of them, for that indicator)
    rows = district_rows(table, excluded["adm2_pcode"])
    hidden = {name: flags(table, name).to_numpy()[rows] for name in method.indicators}
    withheld = [any(hidden[name][i] for name in missing.split("; ") if name in hidden and
                    INDICATORS[name].facility_based) for i, missing in enumerate(excluded["missing"])]
    excluded = excluded.assign(reason=[reason(missing, w) for missing, w in zip(excluded["missing"], withheld)],
                               suppressed=withheld)
    return Ranking(ranked, excluded, method)


def district_rows(table: pd.DataFrame, codes: pd.Series) -> np.ndarray:
    """The row of each district `codes` names in `table` (every one must be there)."""
    rows = pd.Index(table["adm2_pcode"]).get_indexer(codes)
    if (rows < 0).any():
        raise KeyError("a district is not in the table")
    return rows


def joined(frame: pd.DataFrame, table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`columns` of `frame`, those it lacks taken from the district table `table` by adm2_pcode: a left merge
    at a fraction of its cost (a weight change did several)."""
    rows = district_rows(table, frame["adm2_pcode"])
    return pd.DataFrame({name: frame[name].array if name in frame else table[name].array.take(rows)
                         for name in columns}, index=frame.index)


@cache
def reason(missing: str, withheld: bool = False) -> str:
    """"availability_score; pin" -> "no Service availability, no People in need"; for a district whose
    facility-based values are `withheld` from the public, those say "suppressed (fewer than 3 facilities)":
    "Service availability suppressed (fewer than 3 facilities), no People in need"."""
    names = [name for name in missing.split("; ") if name]
    hidden = [INDICATORS[name].label for name in names if withheld and INDICATORS[name].facility_based]
    parts = [f"{' and '.join(hidden)} {suppressed_label()}"] if hidden else []
    return ", ".join(parts + [f"no {INDICATORS[name].label}" for name in names
                              if not (withheld and INDICATORS[name].facility_based)])


def where(ctx: Context, view: View) -> str:
    """The filter in words: "Kandahar in round 2026-12-31"."""
    provinces = dict(zip(ctx.dataset.provinces["adm1_pcode"].astype(str), ctx.dataset.provinces["adm1_name"]))
    place = ", ".join(provinces.get(code, code) for code in view.admin1) or "the country"
    rounds = ctx.rounds
    return f"{place} in round {view.round or (rounds[-1] if rounds else 'none')}"


def message(ctx: Context, view: View, result: Ranking) -> str | None:
    """Why nothing is ranked, when nothing is."""
    if result.error:
        return (f"The ranking cannot be made with these weights: {result.error}. Change a weight, or reset "
                "to the defaults.")
    if result.ranked.empty and not result.excluded.empty:
        return (f"No district of {where(ctx, view)} can be ranked: every one lacks a value of a weighted "
                "indicator (listed under 'Not ranked'). Give that indicator a weight of 0 to rank them.")
    if result.ranked.empty:
        return f"No district in {where(ctx, view)}."
    return None


# The weights panel


def direction_text(name: str) -> str:
    """How an indicator turns into need, as the ranking uses it."""
    if name in STANDARD_INDICATORS:
        return f"need: the share of the standard ({standards.value(name):g}) missing"
    return {"higher_is_worse": "more need when higher", "higher_is_better": "more need when lower"}.get(
        INDICATORS[name].direction, "no direction of need: cannot be weighted")


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
            html.Div(f"{indicator.unit}; {direction_text(name)}", className="weight-meta"),
        ], className="weight-text"),
        dbc.Input(id=component_id, type="number", min=0, step=0.05, value=weight, debounce=True,
                  className="weight-input"),
        html.Div(default_text, className="weight-default", **{"aria-hidden": "true"}),
    ], className="weight")


def weight_inputs(view: View) -> list:
    return [weight_input(name, view.weights.get(name, 0)) for name in candidates(view)]


def reset_href(view: View) -> str:
    return replace(view, weights=dict(DEFAULT_WEIGHTS)).href()


def method_line(result: Ranking) -> str:
    """How the score is made, in one line."""
    method = result.method or default_method()
    return method_text(method)[0] + "; weights are rescaled to sum to 1 (only their proportions matter)."


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
            dcc.Link("Reset to the defaults", href=reset_href(view), id=ids.PRIORITY_RESET),
            html.Div([dbc.Label("Top N", html_for=dom_id(top_id), className="form-label mb-0"),
                      dbc.Input(id=top_id, type="number", min=1, step=1, value=view.top, debounce=True,
                                className="weight-input"),
                      html.Span("named on the charts and counted for stability", className="weight-meta")],
                     className="top-n"),
        ], className="weights-head"),
        html.P(method_line(result), id=ids.PRIORITY_METHOD, className="caption mb-1"),
        html.Div(weight_inputs(view), id=ids.PRIORITY_WEIGHTS, className="weights"),
    ], className="priority-weights", **{"aria-label": "Weights of the priority score"})


# The ranked list


def _number(decimals: int) -> dict:
    """The grid's number format, as the map and tables write numbers (thousands separated)."""
    return {"function": f"params.value == null ? 'no data' : d3.format(',.{decimals}f')(params.value)"}


def grid_columns(result: Ranking, search: str = "", present: bool = False) -> list[dict]:
    """Rank, names, score, class, stability, then each indicator's score points and value (wider columns in
    presentation mode, for the larger type)."""
    scale = 1.6 if present else 1
    names = result.method.indicators if result.method else []
    top = result.method.top_n if result.method else 10
    # DistrictLink (district_column) shows the name as text, linked to the path in "[name](path)".
    link = {"function": f"'[' + params.value + '](/district/' + params.data.adm2_pcode + '{search})'"}
    right = {"type": "rightAligned", "filter": "agNumberColumnFilter", "minWidth": 120 * scale}
    return [
        {"headerName": "Rank", "field": "priority_rank", "pinned": "left", "width": 80 * scale,
         "minWidth": 80 * scale, "flex": 0, "type": "rightAligned", "filter": False},
        district_column(pinned="left", valueFormatter=link, minWidth=140 * scale),
        {"headerName": "Province", "field": "adm1_name", "minWidth": 120 * scale},
        {"headerName": "Score (0-100)", "field": "priority_score", "valueFormatter": _number(1), **right},
        {"headerName": "Class (5 = highest)", "field": "priority_class", **right},
        {"headerName": f"Stability (in the top {top})", "field": "stability",
         "valueFormatter": {"function": "params.value == null ? '' : d3.format('.0%')(params.value)"}, **right},
        {"headerName": "Score points from", "children": [
            {**right, "headerName": INDICATORS[name].label, "field": f"contribution_{name}",
             "valueFormatter": _number(1), "minWidth": 130 * scale} for name in names]},
        {"headerName": "Values", "children": [
            {**right, "headerName": f"{INDICATORS[name].label} ({INDICATORS[name].unit})", "field": name,
             "valueFormatter": _number(INDICATORS[name].decimals), "minWidth": 150 * scale} for name in names]},
    ]


def grid_rows(result: Ranking) -> list[dict]:
    """The ranked table as grid records, None where a value is missing (built column by column: a third of
    the time of DataFrame.to_dict)."""
    names = list(result.ranked.columns)
    columns = [result.ranked[name].to_numpy(dtype=object, na_value=None) for name in names]
    return [dict(zip(names, row)) for row in zip(*columns)]


def ranked_grid(result: Ranking, search: str, present: bool) -> dag.AgGrid:
    return dag.AgGrid(
        id=ids.PRIORITY_TABLE, columnDefs=grid_columns(result, search, present), rowData=grid_rows(result),
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "flex": 1, "minWidth": 120,
                       "wrapHeaderText": True, "autoHeaderHeight": True},
        dashGridOptions={"suppressRowVirtualisation": True, "animateRows": False},
        getRowId="params.data.adm2_pcode", className="priority-table", style={"height": "60vh"},
    )


def summary(ctx: Context, view: View, result: Ranking) -> str:
    """How many districts are ranked and left out, and any filter set on another page that applies here."""
    others = [f"{name} {value}" for name, value in filter_parts(ctx, view)[2:] if value != "all"]
    also = f" Filters set on other pages apply too: {'; '.join(others)}." if others else ""
    if result.error:
        return "No ranking." + also
    ranked, excluded = len(result.ranked), len(result.excluded)
    why = "missing or suppressed values" if result.excluded[SUPPRESSED].any() else "missing values"
    return (f"{ranked:,} district{'s' if ranked != 1 else ''} ranked; {excluded:,} not ranked ({why})."
            " Rank 1 has the highest score; the score points of each indicator add up to the score." + also)


def excluded_list(result: Ranking) -> list:
    """The districts not ranked, each with what is missing: never ranked last."""
    if result.error:
        return [html.P("No ranking, so no district is left out of it.", className="caption")]
    if result.excluded.empty:
        return [html.P("Every district has all the weighted indicators: none is left out.", className="caption")]
    return [html.Ul([html.Li(f"not ranked: {row.adm2_name} ({row.adm1_name}): {row.reason}")
                     for row in result.excluded.itertuples()], className="excluded-list")]


# The figures


def map_table(ctx: Context, view: View, result: Ranking) -> pd.DataFrame:
    """Every district of the filter with its priority class (blank when not ranked) and the flag `suppressed`
    where it is not ranked because a weighted value is withheld from the public (its own class on the map)."""
    table = ctx.districts(view.filter())[NAMES].reset_index(drop=True)
    classes = result.ranked.set_index("adm2_pcode")["priority_class"].reindex(table["adm2_pcode"])
    table = table.assign(priority_class=classes.to_numpy())
    hidden = set(result.excluded.loc[result.excluded[SUPPRESSED].astype(bool), "adm2_pcode"])
    return table.assign(suppressed=table["adm2_pcode"].isin(hidden))


def need_points(result: Ranking) -> list[str]:
    """The contribution columns that make the need part of the score (severity, people in need)."""
    names = result.method.indicators if result.method else []
    return [f"contribution_{name}" for name in NEED if name in names]


def quadrant_points(ctx: Context, view: View, result: Ranking) -> pd.DataFrame:
    """Ranked districts with need (score points from severity and people in need) and coverage (partners)."""
    columns = ["adm2_pcode", "adm2_name", "adm1_name", "priority_rank", *need_points(result)]
    points = joined(result.ranked, ctx.districts(view.filter()), [*columns, COVERAGE])
    return points[columns].assign(need=points[need_points(result)].sum(axis=1),
                                  coverage=points[COVERAGE].astype(float))


NEED_TITLE = "Need: score points from severity<br>and people in need"
COVERAGE_TITLE = "Coverage: partners"


def quadrant(ctx: Context, view: View, result: Ranking) -> tuple[go.Figure | dict, list]:
    """The need against coverage chart and its text alternative."""
    problem = message(ctx, view, result)
    if problem:
        return empty_figure(problem, view.present), []
    if not need_points(result):
        text = ("Need against coverage: severity and people in need carry no weight, so the score has no need "
                "part. Give one of them a weight.")
        return empty_figure(text, view.present), []
    points = quadrant_points(ctx, view, result)
    if not points["coverage"].fillna(0).gt(0).any():
        text = f"No partner reported an activity in {where(ctx, view)}: coverage cannot be drawn."
        return empty_figure(text, view.present), []
    figure = quadrant_spec(points, view.top, NEED_TITLE, COVERAGE_TITLE, "partners", view.present)
    return figure, quadrant_text(points, view.top)


def quadrant_text(points: pd.DataFrame, top_n: int) -> list:
    """The chart in words: the medians, how many districts are in the gap quadrant, the top N's values."""
    need, coverage = points["need"].median(), points["coverage"].median()
    gap = int(((points["need"] > need) & (points["coverage"] < coverage)).sum())
    rows = points[points["priority_rank"] <= top_n]
    return [
        html.P(f"Medians (the dashed lines): need {need:.1f} points, {coverage:g} partners. {gap:,} of "
               f"{len(points):,} ranked districts have more need than the median and fewer partners than the "
               "median."),
        dbc.Table([html.Thead(html.Tr([html.Th("Rank"), html.Th("District"), html.Th("Province"),
                                       html.Th("Need (points)"), html.Th("Partners")])),
                   html.Tbody([html.Tr([html.Td(r.priority_rank), html.Td(r.adm2_name), html.Td(r.adm1_name),
                                        html.Td(f"{r.need:.1f}"), html.Td(f"{r.coverage:g}")])
                               for r in rows.itertuples()])], size="sm", striped=True),
    ]


def stability_rows(result: Ranking, top_n: int) -> pd.DataFrame:
    return result.ranked[result.ranked["priority_rank"] <= top_n + NEXT]


def stability_sentence(result: Ranking, top_n: int) -> str:
    """What the stability chart measures, and what it says about the top N."""
    method = result.method or default_method(top_n=top_n)
    what = (f"Stability is the share of {method.draws:,} random draws of the weights (each weight moved by up "
            f"to ±{method.perturbation:.0%}, then rescaled) in which the district stays in the top {top_n}. Near "
            f"100%: in the top {top_n} whatever the exact weights; near 50% or below: its place depends on the "
            "weights chosen.")
    ranked = result.ranked
    if ranked.empty:
        return what
    if len(ranked) <= top_n:
        return what + f" All {len(ranked):,} ranked districts are in the top {top_n}, so every one stays there."
    top = ranked[ranked["priority_rank"] <= top_n]
    sure = int((top["stability"] >= 0.9).sum())
    return what + f" {sure} of the top {top_n} stay in it in at least 90% of the draws."


def stability(ctx: Context, view: View, result: Ranking) -> tuple[go.Figure | dict, list]:
    """The stability chart and its text alternative."""
    problem = message(ctx, view, result)
    if problem:
        return empty_figure(problem, view.present), []
    rows = stability_rows(result, view.top)
    table = dbc.Table([html.Thead(html.Tr([html.Th("Rank"), html.Th("District"), html.Th("Province"),
                                           html.Th(f"In the top {view.top}")])),
                       html.Tbody([html.Tr([html.Td(r.priority_rank), html.Td(r.adm2_name), html.Td(r.adm1_name),
                                            html.Td(f"{r.stability:.1%}")]) for r in rows.itertuples()])],
                      size="sm", striped=True)
    return stability_spec(rows, view.top, view.present), [table]


def details(summary_text: str, component_id: str, children: list) -> html.Details:
    return html.Details([html.Summary(summary_text), html.Div(children, id=component_id)], className="mt-1")


def layout(ctx: Context, view: View, role: str | None = None) -> list:
    result = ranking(ctx, view)
    problem = message(ctx, view, result)
    classes = map_table(ctx, view, result)
    class_map = choropleth_figure(classes, None, ctx.geometry["adm2"], ctx.geometry["adm1"], view.present,
                                  values=class_values(classes))
    quadrant_chart, quadrant_alt = quadrant(ctx, view, result)
    stability_chart, stability_alt = stability(ctx, view, result)
    return [html.Div([
        filter_bar(ctx, view, FILTERS, role),
        weights_panel(view, result),
        html.Section([
            html.Div([html.H2("Ranked districts", className="h5 mb-0"),
                      export_buttons("priorities", "the priority ranking")],
                     className="d-flex justify-content-between align-items-center mb-1"),
            html.P(summary(ctx, view, result), id=ids.PRIORITY_SUMMARY, className="priority-summary"),
            html.Div(empty_state(problem) if problem else None, id=ids.PRIORITY_MESSAGE),
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
                html.P(stability_sentence(result, view.top), id=ids.PRIORITY_STABILITY_TEXT),
                graph(ids.PRIORITY_STABILITY, stability_chart, "healthgaps-stability"),
                details("The chart's numbers", ids.PRIORITY_STABILITY_TABLE, stability_alt),
            ], **{"aria-label": "Stability of the ranking"}), lg=6),
            dbc.Col(html.Section([
                html.H2("How the score is made", className="h5"),
                html.Ul(method_items(result), id=ids.PRIORITY_METHOD_FULL, className="method-list"),
            ], **{"aria-label": "How the score is made"}), lg=6),
        ], className="g-3 mt-2"),
    ], className="priority-page")]
