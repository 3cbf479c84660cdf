"""The overview page: headline figures, the district map of any indicator, and the same numbers as a table."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from analysis.catalogue import DEFAULT_INDICATOR, INDICATORS, Indicator
from analysis.filters import facilities as chosen_facilities
from analysis.filters import round_of
from analysis.suppression import SUPPRESSED
from context import Context
from exports import filename
from figures.choropleth import choropleth_figure, district_set
from figures.table import shown_values
from pages import ids
from pages.controls import export_buttons, filter_bar, select
from pages.graph import graph
from pages.grid import LINKED_ROW_ID, district_column
from view import View

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


def map_filename(ctx: Context, view: View, indicator: Indicator) -> str:
    """The PNG export's name: the indicator, the filters and the dataset's date."""
    return filename(f"map {indicator.label}", ctx, view, "png").removesuffix(".png")


def held(table: pd.DataFrame, view: View) -> dict:
    """What the page's map and table show: the view (its URL) and their districts (figures.choropleth
    district_set). The browser sends it back with the next view, so the server sends only what changed."""
    return {"view": view.href(), "districts": district_set(table)}


def table_names(table: pd.DataFrame) -> dict:
    """The table's districts: sent with the page and again only when the view changes which districts it holds.
    `set` is their fingerprint (figures.choropleth.district_set)."""
    return {"set": district_set(table), "adm2_pcode": table["adm2_pcode"].astype(str).tolist(),
            "adm2_name": table["adm2_name"].tolist(), "adm1_name": table["adm1_name"].tolist()}


def table_values(table: pd.DataFrame, indicator: Indicator, search: str) -> dict:
    """The table's values for a view, in the order of table_names; the browser joins them into rows
    (assets/district-rows.js), each district linked to its profile with the view's filters (`search`)."""
    values, hidden = shown_values(table, indicator)
    return {"set": district_set(table), "value": values, SUPPRESSED: hidden, "search": search}


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


def indicator_options() -> list[tuple[str, str]]:
    return [(i.id, f"{GROUPS.get(i.group, i.group)}: {i.label}") for i in MAP_INDICATORS]


def layout(ctx: Context, view: View, role: str | None = None) -> list:
    indicator = indicator_of(view)
    table = ctx.districts(view.filter())
    points = facility_points(ctx, view)
    figure = choropleth_figure(table, indicator, ctx.geometry["adm2"], ctx.geometry["adm1"], view.present,
                               facilities=points)
    switch = [] if ctx.public else [dbc.Col(facility_switch(view), lg="auto")]
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
            dbc.Col(html.Section(graph(ids.MAP, figure, map_filename(ctx, view, indicator), className="map"),
                                 **{"aria-label": "District map; the table beside it holds the same values"}), lg=7),
            dbc.Col(html.Section([
                html.Div([html.H2("Districts", className="h5 mb-0"), export_buttons("districts", "the district table")],
                         className="d-flex justify-content-between align-items-center mb-1"),
                district_grid(indicator), *table_stores(table, indicator, view)],
                **{"aria-label": "District table"}), lg=5),
        ], className="g-3"),
    ]
