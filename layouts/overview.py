"""The overview page: indicator and province selectors, the district map and the same numbers as a table."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dash_table, dcc, html
from dash.dash_table.Format import Format, Group, Scheme

from analysis.catalogue import DEFAULT_INDICATOR, INDICATORS, Indicator
from analysis.districts import district_indicators
from data.dataset import Dataset
from figures.choropleth import choropleth_figure
from figures.table import table_rows
from layouts import ids
from layouts.graph import graph


def table_columns(indicator: Indicator) -> list[dict]:
    value = {"name": f"{indicator.label} ({indicator.unit})", "id": "value", "type": "numeric",
             "format": Format(group=Group.yes, precision=indicator.decimals, scheme=Scheme.fixed)}
    return [{"name": "District", "id": "adm2_name"}, {"name": "Province", "id": "adm1_name"},
            {"name": "P-code", "id": "adm2_pcode"}, value]


def caption(indicator: Indicator) -> str:
    return f"{indicator.label} ({indicator.unit}): {indicator.definition}"


def district_table(table, indicator: Indicator) -> dash_table.DataTable:
    """The map's numbers as a sortable table (its text alternative)."""
    return dash_table.DataTable(
        id=ids.TABLE, columns=table_columns(indicator), data=table_rows(table, indicator),
        sort_action="native", page_action="none", fixed_rows={"headers": True},
        style_table={"maxHeight": "66vh", "overflowY": "auto"},
        style_cell={"textAlign": "left", "fontFamily": "var(--bs-body-font-family)", "padding": "4px 8px"},
        style_header={"fontWeight": "bold"},
        style_cell_conditional=[{"if": {"column_id": "value"}, "textAlign": "right"}],
    )


def overview_layout(dataset: Dataset, geometry_urls: dict[str, str]) -> html.Div:
    indicator = INDICATORS[DEFAULT_INDICATOR]
    table = district_indicators(dataset)
    provinces = dataset.provinces.sort_values("adm1_name")
    controls = dbc.Row(
        [
            dbc.Col([dbc.Label("Indicator", html_for=ids.INDICATOR),
                     dcc.Dropdown(id=ids.INDICATOR, value=indicator.id, clearable=False,
                                  options=[{"label": i.label, "value": i.id} for i in INDICATORS.values()])], md=4),
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
