"""The services page: which services are missing where, and why.

Four views of the same service answers: availability by domain, tracer services by district, the barriers
behind unavailability, and a province's districts service by service. Each chart has its numbers as a
table beside it or under "Show the numbers". The callback (pages/services/callbacks.py) fills every part from
the model (pages/services/model.py); here are the components and the sentences they hold.
"""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from analysis.services import STATUS_LABELS
from analysis.suppression import SUPPRESSED, flags, label, threshold
from context import Context
from data.schema import SERVICE_STATUS, ownership_words, tier_words
from figures.classes import format_value
from figures.style import empty_figure
from pages import ids
from pages.controls import empty_state, export_buttons, filter_bar, section_heading
from pages.graph import graph
from pages.services.model import SCORE_TERMS
from view import View

TITLE = "Services"
FILTERS = ("round", "admin1", "tiers", "ownership", "domain")
ASK_PROVINCE = "Choose a province to see its districts service by service."
STOPPED = ("Stopped: the facility is closed, destroyed, not functioning or inaccessible, so its questionnaire "
           "stopped; its services count as not available.")
MATRIX_CAPTION = f"Cell: HeRAMS availability score, {SCORE_TERMS}; blank where no facility expects it"
# The matrix grid's height: 8 vh of header and margins plus 3 vh a district, at most 60 vh (the page scrolls
# past it on a projector), never below 320 px (a province of few districts still shows its header).
GRID_BASE_VH, GRID_ROW_VH, GRID_MAX_VH, GRID_MIN_HEIGHT = 8, 3, 60, "320px"
DISTRICT_WIDTH, SERVICE_WIDTH = 150, 110  # px: the pinned district column, a service column (its wrapped name)


def _heading(text: str, table: str | None = None, label: str = "") -> html.Div:
    """A section heading, with the section's CSV/Excel buttons."""
    return section_heading(text, table, label, class_name="services-heading")


def described(where: str, round_name: str, tiers: tuple[str, ...], ownership: tuple[str, ...]) -> str:
    """The filter in words, e.g. "secondary (hospital) facilities in Ghor in round 2026-12-31"."""
    kinds, owners = tier_words(tiers), ownership_words(ownership)
    return f"{kinds + ' ' if kinds else ''}facilities{owners} in {where} in round {round_name}"


def nothing_found(filter_words: str, domain_name: str | None, what: str = "service answers") -> str:
    """The empty state's sentence, naming the filter (`described`) and the domain."""
    domain = f" for {domain_name}" if domain_name else ""
    return f"No {what}{domain} from {filter_words}."


def withheld_text(filter_words: str) -> str:
    """Why the public's summaries of the whole filter are empty."""
    return (f"Suppressed: in every district of {filter_words}, the facilities, or those offering a "
            f"service domain, are fewer than {threshold():g} (or protect a district that has), too few to show "
            "their services in the public view.")


def barrier_caption(shares: tuple[dict[str, int], float] | None) -> str:
    """How many answers the barriers explain, and how many give none (stopped ones are never asked);
    `shares` is the model's barrier_shares."""
    if shares is None:
        return ""
    counts, none = shares
    total = sum(counts.values())
    return (f"Of {total:,} service answers partially available ({counts['partial']:,}), not available "
            f"({counts['not_available']:,}) or stopped ({counts['stopped']:,}), {none:.0f} % give no barrier "
            "(a stopped questionnaire asks none). A service may give up to 3 barriers: shares add to more "
            "than 100 %.")


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
    columns = [{"headerName": "District", "field": "adm2_name", "pinned": "left", "minWidth": DISTRICT_WIDTH}]
    columns += [{"headerName": name, "field": f"c{i}", "headerTooltip": name, "valueFormatter": blank,
                 "type": "rightAligned", "minWidth": SERVICE_WIDTH, "wrapHeaderText": True, "autoHeaderHeight": True}
                for i, name in enumerate(services)]
    rows = [{"adm2_name": name, SUPPRESSED: h,
             **{f"c{i}": None if pd.isna(v) else float(v) for i, v in enumerate(matrix.loc[index, services])}}
            for index, name, h in zip(matrix.index, matrix["adm2_name"], hidden)]
    return dag.AgGrid(id=ids.SERVICES_MATRIX_TABLE, columnDefs=columns, rowData=rows,
                      defaultColDef={"sortable": True, "resizable": True},
                      dashGridOptions={"suppressRowVirtualisation": True, "suppressColumnVirtualisation": True,
                                       "animateRows": False},
                      style={"height": f"{min(GRID_MAX_VH, GRID_BASE_VH + GRID_ROW_VH * len(rows))}vh",
                             "minHeight": GRID_MIN_HEIGHT})


def matrix_box(figure, png: str, width: int, matrix: pd.DataFrame) -> list:
    """The district x service chart (`png`: its PNG name, `width`: its least width in px), with its caption,
    downloads and grid (`matrix`: the scores one column per service)."""
    withheld = f"; {label()} in purple" if flags(matrix).any() else ""
    return [
        html.Div([html.P(MATRIX_CAPTION + withheld + ".", className="caption mb-0"),
                  export_buttons("services-matrix", "the district by service table")],
                 className="d-flex justify-content-between align-items-center flex-wrap gap-1"),
        html.Div(graph(ids.SERVICES_MATRIX_GRAPH, figure, png, style={"minWidth": f"{width}px"}),
                 className="services-scroll"),
        details(matrix_grid(matrix)),
    ]


def matrix_empty(message: str) -> list:
    """The matrix's place when it has nothing to draw: a sentence."""
    return [empty_state(message)]


def layout(ctx: Context, view: View, role: str) -> list:
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
