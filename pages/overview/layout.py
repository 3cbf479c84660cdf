"""The overview page: headline figures, the district map of any indicator, and the same numbers as a table.
Components only: the numbers are the model's (pages/overview/model.py)."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from analysis.access import is_public
from analysis.catalogue import Indicator
from analysis.suppression import SUPPRESSED
from context import Context
from exports import png_name
from figures.choropleth import choropleth_figure
from figures.classes import format_value
from pages import ids
from pages.controls import export_buttons, filter_bar, select
from pages.graph import graph
from pages.grid import LINKED_ROW_ID, district_column
from pages.overview.model import (
    caption,
    district_table,
    facility_points,
    held,
    indicator_of,
    indicator_options,
    map_title,
    points_note,
    table_names,
    table_values,
)
from view import View

TITLE = "Overview"
FILTERS = ("round", "admin1", "tiers", "ownership", "domain")


def table_columns(indicator: Indicator) -> list[dict]:
    """Grid columns; the value is formatted in the browser exactly as the map's hover formats it ("suppressed"
    where the public may not see it, "no data" where there is none); the district name links to its profile
    (keeping the view's filters)."""
    fmt = f",.{indicator.decimals}f"
    shown = (f"params.data.{SUPPRESSED} ? '{SUPPRESSED}' : params.value == null ? 'no data' : "
             f"d3.format('{fmt}')(params.value)")
    value = {"headerName": indicator.titled, "field": "value", "type": "rightAligned",
             "filter": "agNumberColumnFilter", "flex": 1.5, "wrapHeaderText": True, "autoHeaderHeight": True,
             "valueFormatter": {"function": shown}}
    return [district_column(), {"headerName": "Province", "field": "adm1_name"},
            {"headerName": "P-code", "field": "adm2_pcode"}, value]


def headline_cards(figures: dict) -> dbc.Row:
    """Five figures (model.headline_figures) with their labels; a missing figure says so."""
    pin = format_value(figures["pin"], 0) if figures["pin"] is not None else "no data"
    if figures["pin"] is not None and figures["pin_missing"]:
        pin += f" ({figures['pin_missing']} districts without a figure)"
    withheld = figures.get("functional_withheld", 0)
    share = (format_value(figures["pct_functional"], 0) + " %" if figures["pct_functional"] is not None
             else SUPPRESSED if withheld else "no data")
    functional = "Functional"
    if withheld and figures["pct_functional"] is not None:
        functional += f" (without the {withheld:,} facilities of suppressed districts)"
    cards = [("Facilities", format_value(figures["facilities"], 0)), (functional, share),
             ("People in need", pin),
             ("Districts below 1 primary facility per 10,000",
              f"{figures['below_standard']:,} of {figures['districts']:,}"),
             ("Partners", format_value(figures["partners"], 0))]
    return dbc.Row([dbc.Col(html.Div([html.Div(value, className="headline-value"),
                                      html.Div(label, className="headline-label")], className="headline"),
                            xs=6, md=True) for label, value in cards], className="g-2")


def facility_switch(view: View) -> dbc.Switch:
    """The facility layer's on/off switch (coordinators only: the layout adds it only for them)."""
    return dbc.Switch(id=ids.control("facilities"), value=view.facilities, label="Show facilities",
                      className="facility-toggle mb-2")


def table_stores(table: pd.DataFrame, indicator: Indicator, view: View) -> list[dcc.Store]:
    """What the map and table hold (held), the table's names and values."""
    return [dcc.Store(id=ids.MAP_HELD, data=held(table, view)),
            dcc.Store(id=ids.TABLE_NAMES, data=table_names(table)),
            dcc.Store(id=ids.TABLE_VALUES, data=table_values(table, indicator, view.search()))]


def district_grid(indicator: Indicator) -> dag.AgGrid:
    """The map's numbers as a sortable table (its text alternative). Every row is rendered, none virtual; the
    rows are made in the browser from the page's stores (table_stores)."""
    return dag.AgGrid(
        id=ids.TABLE, columnDefs=table_columns(indicator), rowData=[],
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "flex": 1, "minWidth": 90},
        dashGridOptions={"suppressRowVirtualisation": True, "animateRows": False},
        getRowId=LINKED_ROW_ID, className="district-table", style={"height": "62vh"},
    )


def layout(ctx: Context, view: View, role: str) -> list:
    indicator = indicator_of(view)
    table = district_table(ctx, view, role)
    points = facility_points(ctx, view, role)
    figure = choropleth_figure(table, indicator, ctx.geometry["adm2"], ctx.geometry["adm1"], view.present,
                               facilities=points)
    switch = [] if is_public(role) else [dbc.Col(facility_switch(view), lg="auto")]
    return [
        filter_bar(ctx, view, FILTERS, role),
        html.Section(id=ids.HEADLINES, className="headlines mb-2", **{"aria-label": "Headline figures"}),
        dbc.Row([
            dbc.Col(select("indicator", "Indicator on the map", indicator_options(), indicator.id), lg=True),
            *switch,
            dbc.Col(html.P(caption(indicator, points_note(ctx, view, points)), id=ids.MAP_CAPTION,
                           className="caption"), lg=6),
        ], className="g-2 align-items-end"),
        html.Div(id=ids.EMPTY),
        dbc.Row([
            dbc.Col(html.Section(graph(ids.MAP, figure, png_name(map_title(indicator), ctx, view), className="map"),
                                 **{"aria-label": "District map; the table beside it holds the same values"}), lg=7),
            dbc.Col(html.Section([
                html.Div([html.H2("Districts", className="h5 mb-0"), export_buttons("districts", "the district table")],
                         className="d-flex justify-content-between align-items-center mb-1"),
                district_grid(indicator), *table_stores(table, indicator, view)],
                **{"aria-label": "District table"}), lg=5),
        ], className="g-3"),
    ]
