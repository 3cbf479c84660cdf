"""The data page: what the dataset is made of, what was rejected and why, and how every number is computed.

Safe by default: a rejected row of a facility file (HeRAMS export or facility list) may hold a facility's
name, code or coordinates in its value or reason, so the public view blanks its value and folds its reason
(numbers and codes replaced by "…", as the manifest's top reasons are).
"""

from __future__ import annotations

import re
from pathlib import Path

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from analysis.catalogue import INDICATORS
from analysis.standards import standards
from context import Context
from data import schema
from data.build import top_reasons
from figures.classes import format_value
from geo.report import Rejection, Report
from layouts import ids
from layouts.controls import export_buttons
from layouts.view import View

TITLE = "Data and methodology"
# docs/methodology.md, its headings one level down: the page's title is the only h1.
METHODOLOGY = re.sub(r"^(#+) ", r"#\1 ", (Path(__file__).resolve().parent.parent / "docs" / "methodology.md")
                     .read_text(encoding="utf-8"), flags=re.MULTILINE)
SHOWN_REJECTED = 200
# Sources whose rejected values are safe to show: they hold no facility. Any other kind (facilities: HeRAMS
# exports and facility lists, or a kind this page does not know) has its values blanked.
OPEN_KINDS = {"boundaries", "population", "partners", "needs"}
FACILITY_NOTE = "values of facility rows are shown to coordinators"
DIRECTIONS = {"higher_is_better": "higher is better", "higher_is_worse": "higher is worse",
              "neutral": "neither (context)"}
TABLE_NAMES = {"districts": "districts", "provinces": "provinces", "service_catalogue": "HeRAMS services",
               "population": "district populations", "rounds": "rounds", "facilities": "facility snapshots",
               "services": "service answers", "activities": "partner activities", "needs": "needs (HNO)"}


def sources_frame(manifest: dict) -> pd.DataFrame:
    """One row per file read: its kind, rows in, accepted, rejected and most frequent reasons."""
    rows = [{"file": s.get("file", ""), "kind": s.get("role", ""), "rows in": int(s.get("rows_in", 0)),
             "accepted": int(s.get("accepted", 0)), "rejected": int(s.get("rejected", 0)),
             "top reasons": "; ".join(f"{reason} ({count:,})" for reason, count in s.get("top_reasons", []))}
            for s in manifest.get("sources", [])]
    return pd.DataFrame(rows, columns=["file", "kind", "rows in", "accepted", "rejected", "top reasons"])


def rounds_frame(ctx: Context) -> pd.DataFrame:
    """Each round's report date and how many facility snapshots and service answers it holds."""
    dataset = ctx.dataset
    facilities = dataset.facilities["round"].astype(str).value_counts()
    services = dataset.services["round"].astype(str).value_counts()
    rounds = dataset.rounds["round"].astype(str)
    return pd.DataFrame({"round": rounds,
                         "report date": pd.to_datetime(dataset.rounds["report_date"]).dt.strftime("%Y-%m-%d"),
                         "facilities": rounds.map(facilities).fillna(0).astype(int),
                         "service answers": rounds.map(services).fillna(0).astype(int)})


def tables_frame(manifest: dict) -> pd.DataFrame:
    """Rows of each table of the dataset, and the size of the boundary files the maps load."""
    rows = [{"table": TABLE_NAMES.get(name, name), "rows": int(count)}
            for name, count in manifest.get("tables", {}).items()]
    for level, entry in manifest.get("geometry", {}).items():
        what = {"adm2": "district boundaries", "adm1": "province boundaries"}.get(level, level)
        rows.append({"table": f"{what} (shapes; {entry.get('gzip_bytes', 0) / 1024:,.0f} KB compressed)",
                     "rows": int(entry.get("features", 0))})
    return pd.DataFrame(rows, columns=["table", "rows"])


def open_files(manifest: dict) -> set[str]:
    """The files whose rejected values may be shown to anyone."""
    return {s["file"] for s in manifest.get("sources", []) if s.get("role") in OPEN_KINDS}


def fold(reason: str) -> str:
    """A reason with its values, codes and numbers replaced by "…", as data.build folds the top reasons."""
    return top_reasons(Report("", rejected=[Rejection("", 0, "", "", str(reason))]), 1)[0][0]


def rejected_rows(ctx: Context) -> pd.DataFrame:
    """Every rejected row of the dataset (rejected.csv); facility files' values blanked, their reasons folded."""
    if not (Path(ctx.dataset.path) / schema.REJECTED).exists():
        return pd.DataFrame(columns=schema.REJECTED_COLUMNS)
    table = ctx.dataset.rejected.reindex(columns=schema.REJECTED_COLUMNS, fill_value="")  # a copy
    hidden = ~table["file"].isin(open_files(ctx.dataset.manifest))
    table.loc[hidden, "value"] = ""
    table.loc[hidden, "reason"] = table.loc[hidden, "reason"].map(fold)
    table["row"] = pd.to_numeric(table["row"], errors="coerce").astype("Int64")
    return table


def rejected_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows per file and reason (reasons folded so that alike reasons count once), most first."""
    folded = rows.assign(reason=rows["reason"].map(fold))
    counts = folded.groupby(["file", "reason"], sort=False).size().rename("rows").reset_index()
    return counts.sort_values(["file", "rows"], ascending=[True, False], ignore_index=True)


def catalogue_frame() -> pd.DataFrame:
    """The indicator catalogue as a reader needs it: label, unit, direction in words, definition, standard."""
    known = standards()
    return pd.DataFrame([{"id": i.id, "label": i.label, "unit": i.unit, "direction": DIRECTIONS[i.direction],
                          "definition": i.definition,
                          "standard": f"{known[i.standard].value:g} {known[i.standard].unit}" if i.standard else ""}
                         for i in INDICATORS.values()])


def standards_frame() -> pd.DataFrame:
    return pd.DataFrame([{"id": s.id, "value": s.value, "unit": s.unit, "source": s.source, "edition": s.edition}
                         for s in standards().values()])


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


def section_heading(text: str, anchor: str, table: str | None = None, label: str | None = None) -> html.Div:
    parts = [html.H2(text, className="h4 mb-0", id=anchor)]
    if table:
        parts.append(export_buttons(table, label or text))
    return html.Div(parts, className="d-flex justify-content-between align-items-center flex-wrap mt-4 mb-2 gap-2")


def summary(ctx: Context) -> list:
    """The dataset in one glance; a synthetic dataset says so first, in large type."""
    manifest = ctx.dataset.manifest
    facts = [("Country", manifest.get("country") or "not given"), ("Built", ctx.built or "undated"),
             ("Rounds", ", ".join(ctx.rounds) or "none"), ("Synthetic", "yes" if manifest.get("synthetic") else "no")]
    parts = []
    if manifest.get("synthetic"):
        parts.append(dbc.Alert([html.Strong("Synthetic demo dataset. "), ctx.label], color="warning",
                               className="synthetic-note"))
    parts.append(html.Dl([item for name, value in facts for item in (html.Dt(name), html.Dd(value))],
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
        rowData=shown.astype(object).where(shown.notna(), None).to_dict("records"),
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        dashGridOptions={"suppressRowVirtualisation": True, "animateRows": False, "tooltipShowDelay": 300},
        className="rejected-table", style={"height": "420px"},
    )


def update_link(ctx: Context) -> html.P | None:
    """Coordinators replace files and rebuild the dataset on a page of its own (upload.py)."""
    if ctx.public:
        return None
    return html.P([html.A("Update the data", href="/data/update", id=ids.DATA_UPDATE, className="btn btn-outline-primary"),
                   html.Span(" send this round's files, check the build, then publish it.", className="ms-2")])


def contents() -> html.Nav:
    links = [("#data-made-of", "What the dataset is made of"), ("#data-rejected-rows", "Rejected rows"),
             ("#data-methodology-section", "Methodology"), ("#data-indicators", "Indicators"),
             ("#data-standards-section", "Standards")]
    return html.Nav(html.Ul([html.Li(html.A(text, href=href), className="list-inline-item") for href, text in links],
                            className="list-inline mb-2"),
                    className="data-contents", **{"aria-label": "On this page"})


def layout(ctx: Context, view: View) -> list:
    manifest = ctx.dataset.manifest
    rows = rejected_rows(ctx)
    shown = (f"The first {SHOWN_REJECTED:,} of {len(rows):,} rejected rows; the download holds all."
             if len(rows) > SHOWN_REJECTED else f"All {len(rows):,} rejected rows.")
    note = f"{shown} Rows of facility files have their value blanked and their reason shortened: {FACILITY_NOTE}."
    return [
        contents(),
        update_link(ctx),
        html.Section([
            section_heading("What the dataset is made of", "data-made-of"),
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
            section_heading("Rejected rows", "data-rejected-rows", "rejected", "the rejected rows"),
            html.H3("Per file and reason", className="h5"),
            plain_table(rejected_counts(rows), ids.DATA_REJECTED_COUNTS, "Rejected rows per file and reason")
            if len(rows) else html.P("No row was rejected.", id=ids.DATA_REJECTED_COUNTS),
            html.H3("The rows", className="h5"),
            html.P(note, className="caption"),
            rejected_grid(rows),
        ], className="data-section", **{"aria-label": "Rejected rows"}),
        html.Section([
            html.Div(dcc.Markdown(METHODOLOGY, id=ids.DATA_METHODOLOGY, className="methodology"),
                     id="data-methodology-section", className="mt-4"),
            section_heading("Indicators", "data-indicators", "catalogue", "the indicator catalogue"),
            plain_table(catalogue_frame(), ids.DATA_CATALOGUE, "Indicators"),
            section_heading("Standards and thresholds", "data-standards-section", "standards", "the standards"),
            html.P("Edit analysis/standards.csv to use a national norm instead of a default.", className="caption"),
            plain_table(standards_frame(), ids.DATA_STANDARDS, "Standards and thresholds"),
        ], className="data-section", **{"aria-label": "Methodology"}),
    ]
