"""The overview page: headline figures, the district map of any indicator, and the same numbers as a table."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import html

import pandas as pd

from analysis.catalogue import DEFAULT_INDICATOR, INDICATORS, Indicator
from analysis.filters import facilities as chosen_facilities
from analysis.filters import round_of
from analysis.suppression import SUPPRESSED
from context import Context
from figures.choropleth import choropleth_figure
from figures.table import table_rows
from layouts import ids
from layouts.controls import export_buttons, filter_bar, select
from layouts.graph import graph
from layouts.grid import PROFILE, district_column, profile_links
from layouts.view import View

TITLE = "Overview"
FILTERS = ("round", "admin1", "tiers", "ownership", "domain")
# The map offers every numeric district indicator (the priority score has its own page).
MAP_INDICATORS = [i for i in INDICATORS.values() if i.kind == "number" and i.group != "priority"]
GROUPS = {"population": "Population and needs", "facilities": "Facilities", "services": "Services",
          "partners": "Partners"}


def indicator_of(view: View) -> Indicator:
    offered = {i.id: i for i in MAP_INDICATORS}
    return offered.get(view.indicator, INDICATORS[DEFAULT_INDICATOR])


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


def caption(indicator: Indicator, points: str | None = None) -> str:
    """The indicator's definition; with the facility layer on, what the points are (`points_note`)."""
    return f"{indicator.titled}: {indicator.definition}" + (f" {points}" if points else "")


def facility_points(ctx: Context, view: View) -> pd.DataFrame | None:
    """The map's facility points: the facilities of the view's round, provinces, tiers and ownership, named
    with their district and province. Only when the layer is on AND the requester is a coordinator (checked
    here, on the server, per request); else None, so the public is never sent a point, whatever the view."""
    if not view.facilities or ctx.public:
        return None
    chosen = chosen_facilities(ctx.dataset, view.filter())
    districts = ctx.dataset.districts
    codes = chosen["adm2_pcode"].astype(str)
    return chosen.assign(adm2_name=codes.map(dict(zip(districts["adm2_pcode"], districts["adm2_name"]))),
                         adm1_name=codes.map(dict(zip(districts["adm2_pcode"], districts["adm1_name"]))))


def points_note(ctx: Context, view: View, points: pd.DataFrame | None) -> str | None:
    """What the points are and who sees them (None when the layer is off)."""
    if points is None:
        return None
    located = int((points["lat"].notna() & points["lon"].notna()).sum())
    missing = len(points) - located
    without = f" ({missing:,} without coordinates are not shown)" if missing else ""
    return (f"Points: the {located:,} facilities of round {round_of(ctx.dataset, view.filter())} in the filter"
            f"{without}, by functionality. Coordinator view only: keep inside the cluster.")


def facility_switch(view: View) -> dbc.Switch:
    """The facility layer's on/off switch (coordinators only: the layout adds it only for them)."""
    return dbc.Switch(id=ids.control("facilities"), value=view.facilities, label="Show facilities",
                      className="facility-toggle mb-2")


def grid_rows(table, indicator: Indicator, search: str) -> list[dict]:
    """The table's rows, each with its district's profile link (keeping the view's filters)."""
    links = profile_links(table["adm2_pcode"], search)
    return [{**row, PROFILE: link} for row, link in zip(table_rows(table, indicator), links)]


def district_grid(rows: list[dict], indicator: Indicator) -> dag.AgGrid:
    """The map's numbers as a sortable table (its text alternative). Every row is rendered, none virtual."""
    return dag.AgGrid(
        id=ids.TABLE, columnDefs=table_columns(indicator), rowData=rows,
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "flex": 1, "minWidth": 90},
        dashGridOptions={"suppressRowVirtualisation": True, "animateRows": False},
        getRowId="params.data.adm2_pcode", className="district-table", style={"height": "62vh"},
    )


def indicator_options() -> list[tuple[str, str]]:
    return [(i.id, f"{GROUPS.get(i.group, i.group)}: {i.label}") for i in MAP_INDICATORS]


def layout(ctx: Context, view: View) -> list:
    indicator = indicator_of(view)
    table = ctx.districts(view.filter())
    points = facility_points(ctx, view)
    figure = choropleth_figure(table, indicator, ctx.geometry["adm2"], ctx.geometry["adm1"], view.present,
                               facilities=points)
    switch = [] if ctx.public else [dbc.Col(facility_switch(view), lg="auto")]
    return [
        filter_bar(ctx, view, FILTERS),
        html.Section(id=ids.HEADLINES, className="headlines mb-2", **{"aria-label": "Headline figures"}),
        dbc.Row([
            dbc.Col(select("indicator", "Indicator on the map", indicator_options(), indicator.id), lg=True),
            *switch,
            dbc.Col(html.P(caption(indicator, points_note(ctx, view, points)), id=ids.MAP_CAPTION,
                           className="caption"), lg=6),
        ], className="g-2 align-items-end"),
        html.Div(id=ids.EMPTY),
        dbc.Row([
            dbc.Col(html.Section(graph(ids.MAP, figure, "healthgaps-map", className="map"),
                                 **{"aria-label": "District map; the table beside it holds the same values"}), lg=7),
            dbc.Col(html.Section([
                html.Div([html.H2("Districts", className="h5 mb-0"), export_buttons("districts", "the district table")],
                         className="d-flex justify-content-between align-items-center mb-1"),
                district_grid(grid_rows(table, indicator, view.search()), indicator)],
                **{"aria-label": "District table"}), lg=5),
        ], className="g-3"),
    ]
