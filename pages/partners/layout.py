"""The partners page: who is where doing what, where are the gaps and the overlaps.

Two district maps (partners; gaps and duplication) with the lists an HNO author reads aloud, who is where,
partners by activity and organisation type, and people reached against targeted. The layout draws the maps
(geometry by URL); callbacks.py fills every number from the view, computed by model.py. Components only.
"""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from analysis import standards
from analysis.catalogue import INDICATORS
from context import Context
from figures import partners as charts
from figures.choropleth import choropleth_figure
from figures.classes import format_value
from figures.partners import COVERAGE_TITLE
from figures.style import empty_figure
from pages import ids
from pages.controls import filter_bar, section_heading
from pages.graph import graph
from pages.grid import LINKED_ROW_ID, district_column
from pages.partners import model
from view import View

TITLE = "Partners"
FILTERS = ("round", "admin1", "org_types", "activities")
PARTNERS = INDICATORS["partners"]
WHO_HEIGHT, LIST_HEIGHT, TABLE_HEIGHT = "70vh", "45vh", "60vh"  # the most a grid takes; fewer rows take less
# A short grid's height: its header and padding, then about two lines a row, and never fewer than two rows
# (the "no rows" sentence fits).
GRID_CHROME_PX, ROW_PX, FEWEST_ROWS = 110, 64, 2


def coverage_values(table: pd.DataFrame) -> list[dict]:
    """The gap / duplication map's trace values for a district table (its categories: the model's)."""
    return charts.coverage_values(model.coverage_table(table), model.CATEGORY, model.threshold())


def _number(field: str, header: str, missing: str = "not reported", **extra) -> dict:
    """A right-aligned, thousands-separated number column."""
    return {"headerName": header, "field": field, "type": "rightAligned",
            "valueFormatter": {"function": f"params.value == null ? '{missing}' : d3.format(',')(params.value)"},
            **extra}


DISTRICT = district_column(minWidth=140)


def district_columns() -> list[dict]:
    return [DISTRICT, {"headerName": "Province", "field": "adm1_name"},
            _number("partners", "Partners", maxWidth=130),
            {"headerName": COVERAGE_TITLE, "field": "category", "flex": 1.5, "wrapText": True, "autoHeight": True},
            {"headerName": "Need", "field": "need_reason", "flex": 1.3, "wrapText": True, "autoHeight": True}]


def gap_columns() -> list[dict]:
    return [DISTRICT, {"headerName": "Province", "field": "adm1_name"},
            {"headerName": "Reason", "field": "need_reason", "flex": 1.4, "wrapText": True, "autoHeight": True},
            _number("severity", "Severity", missing="no data", maxWidth=130),
            _number("pin", "People in need", missing="no data")]


def duplication_columns() -> list[dict]:
    return [DISTRICT,
            {"headerName": "Activity", "field": "activity", "flex": 1.4, "wrapText": True, "autoHeight": True},
            _number("partners", "Partners", maxWidth=130),
            {"headerName": "Organisations", "field": "organisations", "flex": 1.4, "wrapText": True,
             "autoHeight": True}]


def who_columns() -> list[dict]:
    return [{"headerName": "Organisation", "field": "org_name", "flex": 2, "minWidth": 160, "wrapText": True,
             "autoHeight": True},
            {"headerName": "Acronym", "field": "org_acronym", "maxWidth": 140},
            {"headerName": "Type", "field": "org_type", "wrapText": True, "autoHeight": True},
            _number("districts", "Districts", minWidth=125, maxWidth=140),
            _number("provinces", "Provinces", minWidth=135, maxWidth=150),
            {"headerName": "Activities", "field": "activities", "flex": 3, "wrapText": True, "autoHeight": True},
            _number("reached", "People reached")]


def matrix_columns() -> list[dict]:
    return [DISTRICT, {"headerName": "Province", "field": "adm1_name"},
            {"headerName": "Activity", "field": "activity", "flex": 1.6, "wrapText": True, "autoHeight": True},
            _number("partners", "Partners", maxWidth=130),
            {"headerName": "Organisations", "field": "organisations", "flex": 1.4, "wrapText": True,
             "autoHeight": True},
            _number("reached", "Reached"), _number("targeted", "Targeted")]


def grid_height(rows: int, most: str) -> dict:
    """A grid as tall as its rows (about two lines each), at most `most`: no blank half page for a short list."""
    return {"height": f"min({most}, {GRID_CHROME_PX + ROW_PX * max(rows, FEWEST_ROWS)}px)"}


def grid(component_id: str, columns: list[dict], height: str, row_id: str | None, empty: str,
         filters: bool = False) -> dag.AgGrid:
    """A sortable table (filterable if asked: long tables); every row rendered (none virtual), a sentence when it
    has no row."""
    return dag.AgGrid(
        id=component_id, columnDefs=columns, rowData=[],
        defaultColDef={"sortable": True, "filter": filters, "resizable": True, "flex": 1, "minWidth": 115,
                       "wrapHeaderText": True, "autoHeaderHeight": True},
        dashGridOptions={"suppressRowVirtualisation": True, "animateRows": False,
                         "localeText": {"noRowsToShow": empty}},
        getRowId=row_id, className="partners-grid", style={"height": height},
    )


def number_table(frame: pd.DataFrame, headers: dict[str, str], decimals: dict[str, int] | None = None) -> dbc.Table:
    """A chart's numbers as a plain table, formatted as the page formats them (the first column as it is)."""
    decimals = decimals or {}
    shown = pd.DataFrame({
        header: [format_value(v, decimals.get(column, 0)) if column != frame.columns[0] else v
                 for v in frame[column]]
        for column, header in headers.items()})
    return dbc.Table.from_dataframe(shown, striped=True, bordered=False, hover=False, size="sm",
                                    className="partners-table")


def details(summary: str, component_id: str) -> html.Details:
    """A chart's numbers, as a table a screen reader (or a report author) can read."""
    return html.Details([html.Summary(summary), html.Div(id=component_id)], className="partners-numbers")


def _map(component_id: str, figure, name: str, label: str) -> html.Section:
    return html.Section(graph(component_id, figure, name, className="map partners-map"), **{"aria-label": label})


def _chart(component_id: str, name: str, present: bool) -> object:
    return graph(component_id, empty_figure("Loading…", present), name, className="partners-chart")


def layout(ctx: Context, view: View, role: str) -> list:
    table = model.districts(ctx, view, role)
    partners_map = choropleth_figure(table, PARTNERS, ctx.geometry["adm2"], ctx.geometry["adm1"], view.present)
    coverage_map = choropleth_figure(table, None, ctx.geometry["adm2"], ctx.geometry["adm1"], view.present,
                                     values=coverage_values(table))
    threshold = model.threshold()
    return [html.Div([
        filter_bar(ctx, view, FILTERS, role),
        html.Div(id=ids.PARTNERS_EMPTY),
        html.Section([
            dbc.Row([
                dbc.Col([
                    html.H2("Partners per district", className="h5 mb-1"),
                    html.P(f"{PARTNERS.label} ({PARTNERS.unit}): {PARTNERS.definition}", className="caption"),
                    _map(ids.PARTNERS_MAP, partners_map, "partners-map",
                         "Map of partners per district; the district table below holds the same values"),
                ], lg=6),
                dbc.Col([
                    html.H2(COVERAGE_TITLE, className="h5 mb-1"),
                    html.P(f"A need: HNO severity {standards.value('need_severity'):g} or more, or a shortfall of "
                           "primary facilities. A gap: a need with no partner reporting. Duplication: an activity "
                           f"reported by {threshold:g} or more organisations in one district.", className="caption"),
                    _map(ids.PARTNERS_COVERAGE_MAP, coverage_map, "partners-gaps-duplication-map",
                         "Map of gaps and duplication; the lists below name the districts"),
                ], lg=6),
            ], className="g-3 partners-maps"),
            html.P("Click a district on either map for its profile.", className="caption"),
            html.Details([html.Summary("Both maps as a table: partners, gaps and duplication per district"),
                          grid(ids.PARTNERS_DISTRICTS, district_columns(), TABLE_HEIGHT, LINKED_ROW_ID,
                               "No district for this filter.")], className="partners-numbers"),
        ], className="mb-4", **{"aria-label": "Partners, gaps and duplication per district"}),
        html.Section([
            dbc.Row([
                dbc.Col([
                    section_heading("Gaps: needs without a partner", "partners-gaps", "the gap list"),
                    html.P(id=ids.PARTNERS_GAPS_COUNT, className="partners-count mb-1"),
                    grid(ids.PARTNERS_GAPS, gap_columns(), LIST_HEIGHT, LINKED_ROW_ID,
                         "No gap: every district with a need has a partner."),
                ], xxl=6),
                dbc.Col([
                    section_heading(f"Duplication: {threshold:g}+ partners on one activity", "partners-duplication",
                            "the duplication list"),
                    html.P(id=ids.PARTNERS_DUPLICATION_COUNT, className="partners-count mb-1"),
                    grid(ids.PARTNERS_DUPLICATION, duplication_columns(), LIST_HEIGHT, None,
                         f"No activity has {threshold:g} or more organisations in one district."),
                ], xxl=6),
            ], className="g-3"),
        ], className="mb-4", **{"aria-label": "Gap and duplication lists"}),
        html.Section([
            dbc.Row([
                dbc.Col([section_heading("Who is where", "partners-who-is-where", "who is where"),
                         grid(ids.PARTNERS_WHO, who_columns(), WHO_HEIGHT, "params.data.org_name",
                              "No organisation reports activity for this filter.")], xxl=7),
                dbc.Col([html.H2("Partners by activity and organisation type", className="h5 mb-1"),
                         _chart(ids.PARTNERS_BY_ACTIVITY, "partners-by-activity", view.present),
                         details("Partners by activity and organisation type (table)", ids.PARTNERS_BY_ACTIVITY_TABLE)],
                        xxl=5),
            ], className="g-3"),
        ], className="mb-4", **{"aria-label": "Who is where"}),
        html.Section([
            dbc.Row([
                dbc.Col([html.H2("Reached against targeted", className="h5 mb-1"),
                         html.P("People reached and targeted per activity; the share reached counts the rows that "
                                "report both.", className="caption"),
                         _chart(ids.PARTNERS_REACH, "partners-reach", view.present),
                         details("Reached against targeted (table)", ids.PARTNERS_REACH_TABLE)], lg=6),
                dbc.Col([html.H2("By sex and age", className="h5 mb-1"),
                         html.P("Girls and boys: children; women and men: adults, as the 5W reports them.",
                                className="caption"),
                         html.Div(id=ids.PARTNERS_AGE_SEX),
                         details("By sex and age (table)", ids.PARTNERS_AGE_SEX_TABLE)], lg=6),
            ], className="g-3"),
        ], className="mb-4", **{"aria-label": "Reached against targeted"}),
        html.Section([
            section_heading("Coverage by district and activity", "partners-coverage-matrix", "the coverage matrix"),
            html.Details([html.Summary("Show the coverage matrix: organisations per district and activity"),
                          grid(ids.PARTNERS_MATRIX, matrix_columns(), TABLE_HEIGHT, None,
                               "No partner activity for this filter.", filters=True)], className="partners-numbers"),
        ], className="mb-4", **{"aria-label": "Coverage matrix"}),
    ], className="partners-page")]
