"""The services page: which services are missing where, and why.

Four views of the same service answers: availability by domain, tracer services by district, the barriers
behind unavailability, and a province's districts service by service. Each chart has its numbers as a
table beside it or under "Show the numbers". The callback (callbacks/services.py) fills every part.
"""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from analysis.services import STATUS_LABELS
from analysis.suppression import SUPPRESSED, flags
from context import Context
from data.schema import SERVICE_STATUS
from figures.classes import format_value
from figures.style import empty_figure
from pages import ids
from pages.controls import export_buttons, filter_bar
from pages.graph import graph
from view import View

TITLE = "Services"
FILTERS = ("round", "admin1", "tiers", "ownership", "domain")
ASK_PROVINCE = "Choose a province to see its districts service by service."
STOPPED = ("Stopped: the facility is closed, destroyed, not functioning or inaccessible, so its questionnaire "
           "stopped; its services count as not available.")


def _heading(text: str, table: str | None = None, label: str = "") -> html.Div:
    """A section heading, with the section's CSV/Excel buttons."""
    return html.Div([html.H2(text, className="h5 mb-0"), export_buttons(table, label) if table else None],
                    className="services-heading d-flex justify-content-between align-items-center flex-wrap gap-1 mb-1")


def details(children, summary: str = "Show the numbers") -> html.Details:
    return html.Details([html.Summary(summary), children], className="services-details")


def number_table(frame: pd.DataFrame, columns: dict[str, str], decimals: dict[str, int] | None = None) -> dbc.Table:
    """A plain table of `frame`'s columns (id -> header), numbers formatted as the charts show them;
    "suppressed" for the numbers of a row flagged `suppressed` (withheld from the public)."""
    decimals = decimals or {}

    def number(row: dict, column: str) -> str:
        return SUPPRESSED if bool(row.get(SUPPRESSED, False)) else format_value(row[column], decimals[column])

    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in columns.values()]))
    body = html.Tbody([
        html.Tr([html.Th(row[c], scope="row") if i == 0 else
                 html.Td(number(row, c) if c in decimals else row[c], className="text-end")
                 for i, c in enumerate(columns)])
        for row in frame.to_dict("records")])
    return dbc.Table([head, body], size="sm", striped=True, bordered=False, hover=True,
                     responsive=True, className="services-table")


def domain_table(table: pd.DataFrame) -> dbc.Table:
    """The domain bars as a table: each status's count, its share of the domain's answers under it."""
    statuses = [STATUS_LABELS[s] if s != "stopped" else "Stopped" for s in SERVICE_STATUS]
    headers = ["Domain", "Service answers", *statuses, "Availability score"]
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in headers]))
    body = html.Tbody([
        html.Tr([html.Th(row["domain_name"], scope="row"), html.Td(f"{row['service_answers']:,}", className="text-end"),
                 *(html.Td([f"{row[s]:,}", html.Div(f"{row[f'pct_{s}']:.1f} %", className="share")],
                           className="text-end") for s in SERVICE_STATUS),
                 html.Td(format_value(row["availability_score"], 1), className="text-end")])
        for row in table.to_dict("records")])
    return dbc.Table([head, body], size="sm", striped=True, hover=True, responsive=True, className="services-table")


def tracer_table(table: pd.DataFrame, name_column: str, area: str, tracers: dict[str, str]) -> dbc.Table:
    columns = {name_column: area, **{f"pct_with_{t}": f"{label} (%)" for t, label in tracers.items()}}
    return number_table(table, columns, {f"pct_with_{t}": 1 for t in tracers})


def barrier_table(table: pd.DataFrame) -> dbc.Table:
    return number_table(table, {"label": "Barrier", "service_answers": "Service answers",
                                "pct_of_unavailable": "% of services not fully available"},
                        {"service_answers": 0, "pct_of_unavailable": 1})


def matrix_grid(matrix: pd.DataFrame) -> dag.AgGrid:
    """The district x service scores as a grid (its text alternative): a column per service; a district
    withheld from the public (flag `suppressed`) says "suppressed" in every cell."""
    blank = {"function": f"params.data.{SUPPRESSED} ? '{SUPPRESSED}' : "
                         "params.value == null ? 'no data' : d3.format('.0f')(params.value)"}
    hidden = flags(matrix).tolist()
    services = [c for c in matrix.columns[2:] if c != SUPPRESSED]
    columns = [{"headerName": "District", "field": "adm2_name", "pinned": "left", "minWidth": 150}]
    columns += [{"headerName": name, "field": f"c{i}", "headerTooltip": name, "valueFormatter": blank,
                 "type": "rightAligned", "minWidth": 110, "wrapHeaderText": True, "autoHeaderHeight": True}
                for i, name in enumerate(services)]
    rows = [{"adm2_name": name, SUPPRESSED: h,
             **{f"c{i}": None if pd.isna(v) else float(v) for i, v in enumerate(matrix.loc[index, services])}}
            for index, name, h in zip(matrix.index, matrix["adm2_name"], hidden)]
    return dag.AgGrid(id=ids.SERVICES_MATRIX_TABLE, columnDefs=columns, rowData=rows,
                      defaultColDef={"sortable": True, "resizable": True},
                      dashGridOptions={"suppressRowVirtualisation": True, "suppressColumnVirtualisation": True,
                                       "animateRows": False},
                      style={"height": f"{min(60, 8 + 3 * len(rows))}vh", "minHeight": "320px"})


def layout(ctx: Context, view: View, role: str | None = None) -> list:
    """Structure only: the callback draws every chart and table for the view."""
    waiting = empty_figure("Loading…", view.present)

    def chart(component_id: str) -> html.Div:
        return graph(component_id, waiting, "healthgaps-services", className="services-graph")

    return [
        filter_bar(ctx, view, FILTERS, role),
        html.Div(id=ids.SERVICES_EMPTY),
        html.Section([
            _heading("Availability by service domain", "services-domains", "the availability by domain table"),
            dbc.Row([
                dbc.Col(chart(ids.SERVICES_DOMAINS), xxl=6),
                dbc.Col([html.Div(id=ids.SERVICES_DOMAINS_TABLE),
                         html.P(STOPPED, className="caption")], xxl=6),
            ], className="g-3"),
        ], className="mb-4", **{"aria-label": "Availability by service domain"}),
        dbc.Row([
            dbc.Col(html.Section([
                _heading("Tracer services", "services-tracers", "the tracer services table"),
                chart(ids.SERVICES_TRACERS),
                html.Div(id=ids.SERVICES_TRACERS_TABLE),
            ], **{"aria-label": "Tracer services"}), xxl=7),
            dbc.Col(html.Section([
                _heading("Barriers behind unavailability", "services-barriers", "the barriers table"),
                chart(ids.SERVICES_BARRIERS),
                html.Div(id=ids.SERVICES_BARRIERS_TABLE),
            ], **{"aria-label": "Barriers behind unavailability"}), xxl=5),
        ], className="g-3 mb-4 services-pair"),
        html.Section([
            _heading("Districts service by service"),
            html.Div(id=ids.SERVICES_MATRIX),
        ], className="mb-4", **{"aria-label": "Districts service by service"}),
    ]
