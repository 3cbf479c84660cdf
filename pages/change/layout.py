"""The change page: where did things get worse between two rounds? A map of the change in bands, the
districts with the largest worsening first, and how many districts got worse, better or stayed the same.
Components only: the numbers are the model's (pages/change/model.py)."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from analysis.catalogue import Indicator
from analysis.suppression import SUPPRESSED
from analysis.suppression import label as suppressed_label
from context import Context
from figures.change import change_values
from figures.choropleth import choropleth_figure
from figures.classes import format_value
from pages import ids
from pages.change.model import (
    Comparison,
    before_default,
    change_table,
    comparison,
    indicator_of,
    indicator_options,
    map_table,
    shown_table,
    worse_means,
)
from pages.controls import ALL, export_buttons, filter_bar, select
from pages.graph import graph
from pages.grid import district_column, grid_rows, profile_link_formatter
from view import View

TITLE = "Change between rounds"
FILTERS = ("admin1", "tiers", "ownership", "domain")
GRID_COLUMNS = 12  # Bootstrap's row width: four headline cards share it evenly


def map_values(ctx: Context, view: View, role: str, table: pd.DataFrame) -> list[dict]:
    """The change map's values (figures.change) for the model's table; with nothing to compare, every
    district of the filter is "no data"."""
    indicator, rounds = indicator_of(view), comparison(ctx, view)
    banded, edge = map_table(ctx, view, role, table)
    return change_values(banded, indicator, rounds.before or "", rounds.after or "", edge)


def table_columns(indicator: Indicator, rounds: Comparison, search: str = "") -> list[dict]:
    """Grid columns: district (link to its profile), province, both rounds, the change and its band."""
    d = indicator.decimals

    def number(field: str, header: str, fmt: str) -> dict:  # minus as the map's hover and the exports write it
        return {"headerName": header, "field": field, "type": "rightAligned", "filter": False,  # no icon: room
                "wrapHeaderText": True, "autoHeaderHeight": True, "minWidth": 80,
                "valueFormatter": {"function": f"params.data.{SUPPRESSED} ? '{SUPPRESSED}' : "
                                              "params.value == null ? 'no data' : "
                                              f"d3.format('{fmt}')(params.value).replace('\\u2212', '-')"}}

    link = profile_link_formatter(search)
    return [district_column(valueFormatter=link, minWidth=110),
            {"headerName": "Province", "field": "adm1_name", "minWidth": 100},
            number("before", rounds.before or "Earlier round", f",.{d}f"),
            number("after", rounds.after or "Later round", f",.{d}f"),
            number("change", "Change", f"+,.{d}f"),
            {"headerName": "Band", "field": "band", "minWidth": 160}]


def caption(indicator: Indicator) -> list:
    """What is compared, which way is worse, and the catalogue's definition folded away."""
    return [f"{indicator.label}, in {indicator.unit}: worse means a {worse_means(indicator)}. ",
            html.Details([html.Summary("Definition"), indicator.definition], className="d-inline")]


def headline_cards(figures: dict[str, int], before: str, after: str) -> dbc.Row:
    """Districts worse, better, unchanged and without a value, from `before` to `after`; and, when the public
    view withholds any, the districts suppressed (counted apart from those without a value)."""
    cards = [("worse", f"Districts worse, {before} to {after}"), ("better", "Districts better"),
             ("unchanged", "Districts unchanged"), ("no data", "Districts without a value in a round")]
    if figures.get(SUPPRESSED):
        cards.append((SUPPRESSED, f"Districts {suppressed_label()} in a round"))
    width = GRID_COLUMNS // len(cards) if len(cards) == 4 else True
    return dbc.Row([dbc.Col(html.Div([html.Div(format_value(figures[key], 0), className="headline-value"),
                                      html.Div(label, className="headline-label")],
                                     className=f"headline headline-{key.replace(' ', '-')}"), xs=6, md=width)
                    for key, label in cards], className="g-2")


def before_options(ctx: Context, view: View) -> list[dict]:
    """The earlier round's options: "the round before" first, then every round, latest first."""
    return [{"label": before_default(ctx, view), "value": ALL}] + [{"label": r, "value": r}
                                                                    for r in reversed(ctx.rounds)]


def change_grid(rows: list[dict], columns: list[dict]) -> dag.AgGrid:
    return dag.AgGrid(
        id=ids.CHANGE_TABLE, columnDefs=columns, rowData=rows,
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "flex": 1},
        dashGridOptions={"suppressRowVirtualisation": True, "animateRows": False},
        getRowId="params.data.adm2_pcode", className="change-table", style={"height": "62vh"},
    )


def layout(ctx: Context, view: View, role: str) -> list:
    indicator, rounds = indicator_of(view), comparison(ctx, view)
    table = change_table(ctx, view, role)
    figure = choropleth_figure(table, None, ctx.geometry["adm2"], ctx.geometry["adm1"], view.present,
                               values=map_values(ctx, view, role, table))
    latest = ctx.rounds[-1] if ctx.rounds else "none"
    return [
        dbc.Row([
            dbc.Col(select("indicator", "Indicator", indicator_options(), indicator.id), xs=12, lg=6),
            dbc.Col(select("before", "Earlier round", [(r, r) for r in reversed(ctx.rounds)], view.before,
                           all_label=before_default(ctx, view)), xs=6, lg=3),
            dbc.Col(select("round", "Later round", [(r, r) for r in reversed(ctx.rounds)], view.round,
                           all_label=f"Latest ({latest})"), xs=6, lg=3),
        ], className="g-2 mb-2"),
        filter_bar(ctx, view, FILTERS, role),
        html.Div(caption(indicator), id=ids.CHANGE_CAPTION, className="caption mb-2"),
        html.Div(id=ids.CHANGE_EMPTY),
        html.Section(id=ids.CHANGE_HEADLINES, className="headlines mb-2",
                     **{"aria-label": "Districts worse and better"}),
        dbc.Row([
            dbc.Col(html.Section(graph(ids.CHANGE_MAP, figure, "healthgaps-change-map", className="map"),
                                 **{"aria-label": "Map of the change; the table beside it holds the same values"}),
                    lg=6, className="change-col"),
            dbc.Col(html.Section([
                html.Div([html.H2("Districts, largest worsening first", className="h5 mb-0"),
                          export_buttons("change", "the change table")],
                         className="d-flex justify-content-between align-items-center mb-1 flex-wrap"),
                change_grid(grid_rows(shown_table(table, indicator)),
                            table_columns(indicator, rounds, view.search()))],
                **{"aria-label": "Change table"}), lg=6, className="change-col"),
        ], className="g-3 change-layout"),
    ]
