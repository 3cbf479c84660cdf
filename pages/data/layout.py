"""The data page: what the dataset is made of, what was rejected and why, and how every number is computed.
Components only: the tables are the model's (pages/data/model.py), which keeps rejected rows safe."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from analysis.access import is_public
from context import Context
from figures.classes import format_value
from pages import ids
from pages.controls import export_buttons
from pages.data.model import (
    FACILITY_NOTE,
    METHODOLOGY,
    SHOWN_REJECTED,
    catalogue_frame,
    rejected_counts,
    rejected_note,
    rejected_rows,
    rounds_frame,
    sources_frame,
    standards_frame,
    summary_facts,
    tables_frame,
)
from pages.grid import grid_rows
from view import View

TITLE = "Data and methodology"


def plain_table(frame: pd.DataFrame, component_id: str, caption: str) -> dbc.Table:
    """A short table; numbers right-aligned with thousands separators."""
    numeric = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}

    def cell(column: str, value) -> html.Td:
        if column in numeric:
            return html.Td(format_value(value, 0) if float(value).is_integer() else f"{value:g}", className="text-end")
        return html.Td(value)

    head = html.Thead(html.Tr([html.Th(c, scope="col", className="text-end" if c in numeric else None)
                               for c in frame.columns]))
    body = html.Tbody([html.Tr([cell(c, v) for c, v in zip(frame.columns, row)])
                       for row in frame.itertuples(index=False)])
    return dbc.Table([html.Caption(caption, className="visually-hidden"), head, body], id=component_id, bordered=True,
                     striped=True, size="sm", responsive=True, className="data-table")


def anchored_heading(text: str, anchor: str, table: str | None = None, label: str | None = None) -> html.Div:
    """A section's h2 with an id the contents link to (pages.controls.section_heading has none), and the
    CSV/Excel buttons of its table."""
    parts = [html.H2(text, className="h4 mb-0", id=anchor)]
    if table:
        parts.append(export_buttons(table, label or text))
    return html.Div(parts, className="d-flex justify-content-between align-items-center flex-wrap mt-4 mb-2 gap-2")


def summary(ctx: Context) -> list:
    """The dataset in one glance; a synthetic dataset says so first, in large type."""
    parts = []
    if ctx.dataset.manifest.get("synthetic"):
        parts.append(dbc.Alert([html.Strong("Synthetic demo dataset. "), ctx.label], color="warning",
                               className="synthetic-note"))
    parts.append(html.Dl([item for name, value in summary_facts(ctx) for item in (html.Dt(name), html.Dd(value))],
                         id=ids.DATA_SUMMARY, className="data-summary"))
    return parts


def rejected_grid(rows: pd.DataFrame) -> dag.AgGrid:
    shown = rows.head(SHOWN_REJECTED)
    columns = [{"field": "file", "width": 320, "tooltipField": "file"},
               {"field": "row", "type": "rightAligned", "width": 90, "filter": False},
               {"field": "column", "width": 160},
               {"field": "value", "headerTooltip": FACILITY_NOTE, "width": 140},
               {"field": "reason", "flex": 1, "minWidth": 360, "tooltipField": "reason"}]
    return dag.AgGrid(
        id=ids.DATA_REJECTED, columnDefs=columns,
        rowData=grid_rows(shown),
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        dashGridOptions={"suppressRowVirtualisation": True, "animateRows": False, "tooltipShowDelay": 300},
        className="rejected-table", style={"height": "420px"},
    )


def update_link(role: str) -> html.P | None:
    """Coordinators replace files and rebuild the dataset on a page of its own (server/update.py)."""
    if is_public(role):
        return None
    return html.P([html.A("Update the data", href="/data/update", id=ids.DATA_UPDATE,
                          className="btn btn-outline-primary"),
                   html.Span(" send this round's files, check the build, then publish it.", className="ms-2")])


def contents() -> html.Nav:
    links = [("#data-made-of", "What the dataset is made of"), ("#data-rejected-rows", "Rejected rows"),
             ("#data-methodology-section", "Methodology"), ("#data-indicators", "Indicators"),
             ("#data-standards-section", "Standards")]
    return html.Nav(html.Ul([html.Li(html.A(text, href=href), className="list-inline-item") for href, text in links],
                            className="list-inline mb-2"),
                    className="data-contents", **{"aria-label": "On this page"})


def layout(ctx: Context, view: View, role: str) -> list:
    manifest = ctx.dataset.manifest
    rows = rejected_rows(ctx)
    return [
        contents(),
        update_link(role),
        html.Section([
            anchored_heading("What the dataset is made of", "data-made-of"),
            *summary(ctx),
            html.H3("Files read", className="h5"),
            html.P("Every row of every file is either accepted or rejected, with its reason: rows in = accepted "
                   "+ rejected.", className="caption"),
            plain_table(sources_frame(manifest), ids.DATA_SOURCES, "Files read"),
            dbc.Row([
                dbc.Col([html.H3("Rounds", className="h5"),
                         plain_table(rounds_frame(ctx), ids.DATA_ROUNDS, "Rounds")], lg=6),
                dbc.Col([html.H3("Tables", className="h5"),
                         plain_table(tables_frame(manifest), ids.DATA_TABLES, "Tables")], lg=6),
            ], className="g-3"),
        ], className="data-section", **{"aria-label": "What the dataset is made of"}),
        html.Section([
            anchored_heading("Rejected rows", "data-rejected-rows", "rejected", "the rejected rows"),
            html.H3("Per file and reason", className="h5"),
            plain_table(rejected_counts(rows), ids.DATA_REJECTED_COUNTS, "Rejected rows per file and reason")
            if len(rows) else html.P("No row was rejected.", id=ids.DATA_REJECTED_COUNTS),
            html.H3("The rows", className="h5"),
            html.P(rejected_note(rows), className="caption"),
            rejected_grid(rows),
        ], className="data-section", **{"aria-label": "Rejected rows"}),
        html.Section([
            html.Div(dcc.Markdown(METHODOLOGY, id=ids.DATA_METHODOLOGY, className="methodology"),
                     id="data-methodology-section", className="mt-4"),
            anchored_heading("Indicators", "data-indicators", "catalogue", "the indicator catalogue"),
            plain_table(catalogue_frame(), ids.DATA_CATALOGUE, "Indicators"),
            anchored_heading("Standards and thresholds", "data-standards-section", "standards", "the standards"),
            html.P("Edit analysis/standards.csv to use a national norm instead of a default.", className="caption"),
            plain_table(standards_frame(), ids.DATA_STANDARDS, "Standards and thresholds"),
        ], className="data-section", **{"aria-label": "Methodology"}),
    ]
