"""The overview page: indicator and province selectors, the district map and the same numbers as a table."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import dash_ag_grid as dag
from dash import dcc, html

from analysis.catalogue import DEFAULT_INDICATOR, INDICATORS, Indicator
from analysis.districts import district_indicators
from data.dataset import Dataset
from figures.choropleth import choropleth_figure
from figures.table import table_rows
from layouts import ids
from layouts.graph import graph


# The map offers the numeric district indicators district_indicators computes.
MAP_INDICATORS = [i for i in INDICATORS.values() if i.kind == "number" and i.group in ("population", "facilities", "services")]


def table_columns(indicator: Indicator) -> list[dict]:
    """Grid columns; the value is formatted in the browser exactly as the map's hover formats it."""
    fmt = f",.{indicator.decimals}f"
    value = {"headerName": f"{indicator.label} ({indicator.unit})", "field": "value", "type": "rightAligned",
             "filter": "agNumberColumnFilter", "flex": 1.5, "wrapHeaderText": True, "autoHeaderHeight": True,
             "valueFormatter": {"function": f"params.value == null ? 'no data' : d3.format('{fmt}')(params.value)"}}
    return [{"headerName": "District", "field": "adm2_name"}, {"headerName": "Province", "field": "adm1_name"},
            {"headerName": "P-code", "field": "adm2_pcode"}, value]


def synthetic_banner(dataset: Dataset) -> list:
    """A demo must never be mistaken for real data, on screen or in a screenshot."""
    if not dataset.manifest.get("synthetic"):
        return []
    return [dbc.Alert("Demo data: the facilities, services and partners shown are synthetic, made up for "
                      "demonstration. Boundaries and population are real.", color="warning", id=ids.SYNTHETIC)]


def caption(indicator: Indicator) -> str:
    return f"{indicator.label} ({indicator.unit}): {indicator.definition}"


def district_table(table, indicator: Indicator) -> dag.AgGrid:
    """The map's numbers as a sortable table (its text alternative). Every row is rendered, none virtual."""
    return dag.AgGrid(
        id=ids.TABLE, columnDefs=table_columns(indicator), rowData=table_rows(table, indicator),
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "flex": 1, "minWidth": 90},
        dashGridOptions={"suppressRowVirtualisation": True, "animateRows": False},
        getRowId="params.data.adm2_pcode", className="district-table", style={"height": "66vh"},
    )


def overview_layout(dataset: Dataset, geometry_urls: dict[str, str]) -> html.Div:
    indicator = INDICATORS[DEFAULT_INDICATOR]
    table = district_indicators(dataset)
    provinces = dataset.provinces.sort_values("adm1_name")
    controls = dbc.Row(
        [
            dbc.Col([dbc.Label("Indicator", html_for=ids.INDICATOR),
                     dcc.Dropdown(id=ids.INDICATOR, value=indicator.id, clearable=False,
                                  options=[{"label": i.label, "value": i.id} for i in MAP_INDICATORS])], md=4),
            dbc.Col([dbc.Label("Province", html_for=ids.PROVINCE),
                     dcc.Dropdown(id=ids.PROVINCE, multi=True, placeholder="All provinces",
                                  options=[{"label": n, "value": c} for c, n in
                                           zip(provinces["adm1_pcode"], provinces["adm1_name"])])], md=8),
        ],
        className="g-3 mb-2",
    )
    figure = choropleth_figure(table, indicator, geometry_urls["adm2"], geometry_urls["adm1"])
    return dbc.Container(
        [
            html.Header([html.H1("HealthGaps"), html.P(dataset.manifest.get("label") or dataset.manifest.get("country"),
                                                       className="lead")], className="my-3"),
            *synthetic_banner(dataset),
            controls,
            html.P(caption(indicator), id=ids.MAP_CAPTION, className="text-muted"),
            dbc.Row(
                [
                    dbc.Col(html.Section(graph(ids.MAP, figure, "healthgaps-map", className="map"),
                                         **{"aria-label": "District map"}), lg=7),
                    dbc.Col(html.Section([html.H2("Districts", className="h5"), district_table(table, indicator)],
                                         **{"aria-label": "District table"}), lg=5),
                ],
                className="g-3",
            ),
        ],
        fluid=True,
    )
