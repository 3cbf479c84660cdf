"""The district profile: key figures against the province and the standards, services, partners and the trend
across rounds of one district. Public view: district aggregates only, no facility list.

The layout draws the structure; pages/district/callbacks.py fills it on every change of the view with the
model's tables (pages/district/model.py). The coordinator's facility list is drawn with the page.
"""

from __future__ import annotations

from dataclasses import replace

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from analysis.access import is_public
from analysis.catalogue import INDICATORS
from analysis.suppression import SUPPRESSED, flags, threshold
from analysis.suppression import label as suppressed_label
from context import Context
from data.schema import ownership_words, tier_words
from figures.classes import format_value
from pages import ids
from pages.controls import export_buttons, filter_bar, section_heading
from pages.district import model
from pages.graph import graph
from view import View

TITLE = "District"
FILTERS = ("round", "tiers", "ownership", "domain")  # not the province: the district fixes it
BARRIER_LABELS = {"staff": "Staff", "training": "Training", "supplies": "Supplies", "equipment": "Equipment",
                  "finance": "Finance"}
FACILITY_NOTE = "The facility list is shown to coordinators after login."
FACILITY_GRID_HEIGHT = "50vh"  # half a projector's screen: the list scrolls inside, the page stays in view
FACILITY_COLUMN_WIDTH = 110  # px: a column's header and a code or date read whole


def table_names() -> tuple[str, str]:
    """The download names of the key figures and the trend (pages/downloads.py); the district is the view's."""
    return "district-key", "district-trend"


def back_href(view: View) -> str:
    """The overview with the same filters."""
    return replace(view, page="overview", district=None).href()


def _table(header: list[str], rows: list[list], numeric: set[int], kind: str = "") -> dbc.Table:
    """A short plain table; numeric columns right-aligned; scrolls sideways rather than overflow the page."""
    def cell(tag, value, index):
        return tag(value, className="text-end" if index in numeric else None)
    return dbc.Table([html.Thead(html.Tr([cell(html.Th, h, i) for i, h in enumerate(header)])),
                      html.Tbody([html.Tr([cell(html.Td, v, i) for i, v in enumerate(row)]) for row in rows])],
                     size="sm", striped=True, responsive=True, className=f"district-table-plain {kind}".strip())


def shown(value: float | None, decimals: int, withheld: bool = False) -> str:
    """A value as the profile's tables write it: "suppressed" where withheld from the public, else formatted
    ("no data" where missing)."""
    return SUPPRESSED if withheld else format_value(value, decimals)


def _flag(row, column: str) -> bool:
    return bool(getattr(row, column, False))


def key_table(figures: pd.DataFrame, province: str) -> dbc.Table:
    """The key figures as the page shows them: formatted values, "no data" where a value is missing,
    "suppressed" where it is withheld from the public."""
    with_notes = bool(figures["note"].astype(bool).any())
    header = ["Indicator", "District", f"{province} (province)", "Standard", "Against the standard"]
    rows = []
    for row in figures.itertuples(index=False):
        indicator = INDICATORS[row.indicator]
        label = html.Span([row.label, html.Span(f" ({row.unit})", className="unit")], title=indicator.definition)
        standard = html.Span(f"at least {row.standard:g}", className="nowrap") if pd.notna(row.standard) else ""
        verdict = html.Span(row.verdict, className="verdict-below" if row.verdict == "below the standard" else None)
        cells = [label, shown(row.district, row.decimals, _flag(row, SUPPRESSED)),
                 shown(row.province, row.decimals, _flag(row, f"province_{SUPPRESSED}")), standard, verdict]
        rows.append(cells + ([row.note] if with_notes else []))
    return _table(header + (["Note"] if with_notes else []), rows, {1, 2, 3})


def standards_note(sources: list[str]) -> list:
    """Where each standard comes from (the model's standard_sources)."""
    return [html.Span("Standards"), html.Ul([html.Li(line) for line in sources], className="mb-0")]


def score_table(scores: pd.DataFrame, province: str, first: str) -> dbc.Table:
    """Scores or shares (one decimal) of the district against its province."""
    rows = [[row.name, shown(row.district, 1, _flag(row, SUPPRESSED)),
             shown(row.province, 1, _flag(row, f"province_{SUPPRESSED}"))] for row in scores.itertuples(index=False)]
    return _table([first, "District", f"{province} (province)"], rows, {1, 2})


def barrier_list(counts: pd.Series, top: str | None, withheld: bool = False) -> list:
    """The main barrier in words, then how often each barrier is given first; for a district whose facility
    answers are withheld from the public, only that they are."""
    if withheld:
        return [html.P(f"Barriers: {suppressed_label()}.")]
    if not counts.sum():
        return [html.P("No barrier reported: no service partially or not available, or no cause given.")]
    lead = html.P(["Main barrier: ", html.Strong(BARRIER_LABELS.get(top, top) if isinstance(top, str) else "no data"),
                   f" (given first for {counts.get(top, 0):,} of {counts.sum():,} services partially or not "
                   "available)."])
    rows = [[BARRIER_LABELS.get(name, name), f"{count:,}"] for name, count in counts.items()]
    return [lead, _table(["Barrier given first", "Services"], rows, {1})]


def need_text(row: pd.Series, severity: float) -> html.P:
    """Why the district has a need (`severity`: the HNO severity that flags one), and whether any partner
    covers it."""
    if not bool(row["need"]):
        return html.P(f"No need flagged: HNO severity below {severity:g} and no facility shortfall.")
    partners = int(row["partners"]) if pd.notna(row["partners"]) else 0
    if bool(row["uncovered"]):
        covered = html.Strong("No partner reports an activity here: an uncovered need.", className="verdict-below")
    else:
        covered = f"{partners:,} partner{'s' if partners != 1 else ''} report activities here."
    return html.P(["Need: ", html.Strong(str(row["need_reason"])), ". ", covered])


def partner_table(coverage: pd.DataFrame) -> dbc.Table:
    """Activities in the district, their organisations and the people they reached and targeted."""
    rows = [[row.activity, f"{row.partners:,}", row.organisations, format_value(row.reached, 0),
             format_value(row.targeted, 0)] for row in coverage.itertuples(index=False)]
    return _table(["Activity", "Partners", "Organisations", "Reached", "Targeted"], rows, {1, 3, 4})


def trend_table(trend: pd.DataFrame) -> dbc.Table | html.Div:
    """The trend chart's numbers: one row per round; "suppressed" for the facility-based values of a round
    withheld from the public (a gap in the chart's lines), with a line saying so."""
    columns = [c for c in trend.columns if c not in ("round", SUPPRESSED)]
    header = ["Round"] + [f"{INDICATORS[c].label} ({INDICATORS[c].unit})" for c in columns]
    hidden = flags(trend)
    rows = [[row["round"], *(shown(row[c], INDICATORS[c].decimals, h and INDICATORS[c].facility_based)
                             for c in columns)]
            for (_, row), h in zip(trend.iterrows(), hidden)]
    table = _table(header, rows, set(range(1, len(header))), "district-trend")
    if not hidden.any():
        return table
    note = (f"suppressed: small numbers in that round (fewer than {threshold():g} facilities, or protecting a "
            "district that has), so withheld in the public view (a gap in the chart).")
    return html.Div([table, html.P(note, className="caption")])


def empty_messages(name: str, round_name: str, tiers: tuple[str, ...], ownership: tuple[str, ...],
                   no_population: bool, no_facility: bool) -> list[str]:
    """Sentences for what the filter leaves the district without (the model's `missing`)."""
    messages = []
    if no_population:
        messages.append(f"No population figure for {name}: the rates per population (facilities per 10,000, "
                        "hospitals per 250,000, people per facility) show no data.")
    if no_facility:
        kinds, owners = tier_words(tiers) or "any", ownership_words(ownership)
        messages.append(f"No facility of {kinds} type{owners} in {name} in round {round_name}: facility and "
                        "service indicators show no data.")
    return messages


def facility_section(rows: pd.DataFrame | None) -> html.Div | html.P:
    """The facility list (the model's facility_list) and its download for a coordinator; the note for
    everyone else (`rows` None)."""
    if rows is None:
        return html.P(FACILITY_NOTE, id=ids.DISTRICT_FACILITIES)
    columns = [{"field": c, "headerName": c.replace("_", " ").capitalize()} for c in rows.columns]
    return html.Div([
        html.Div([html.P(f"{len(rows):,} facilities in the round and filter. Coordinator view: keep this list "
                         "inside the cluster.", className="mb-1"),
                  export_buttons("district-facilities", "the facility list")],
                 className="d-flex justify-content-between align-items-center"),
        dag.AgGrid(id=ids.DISTRICT_FACILITIES, columnDefs=columns, rowData=rows.to_dict("records"),
                   defaultColDef={"sortable": True, "filter": True, "resizable": True,
                                  "minWidth": FACILITY_COLUMN_WIDTH},
                   dashGridOptions={"suppressRowVirtualisation": True}, style={"height": FACILITY_GRID_HEIGHT}),
    ])


def _heading(text: str, table: str | None = None, label: str = "") -> html.Div:
    """A section's h2, with its download buttons when it has a table to export."""
    return section_heading(text, table, label, size="h4")


def _section(label: str, children: list) -> html.Section:
    return html.Section(children, className="district-section mb-3", **{"aria-label": label})


def layout(ctx: Context, view: View, role: str) -> list:
    key_name, trend_name = table_names()
    facilities = None if is_public(role) else model.facility_list(ctx, view, role)
    blank = {"layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}}}
    return [
        dcc.Link("← Back to the overview", href=back_href(view), id=ids.DISTRICT_BACK, className="back-link"),
        filter_bar(ctx, view, FILTERS, role),
        html.Div(id=ids.DISTRICT_EMPTY),
        dbc.Row([
            dbc.Col(_section("Key figures", [
                _heading("Key figures", key_name, "the key figures"),
                html.Div(id=ids.DISTRICT_KEY),
                html.Div(id=ids.DISTRICT_STANDARDS, className="caption"),
            ]), xxl=7),
            dbc.Col(_section("Partners", [
                _heading("Partners"),
                html.Div(id=ids.DISTRICT_NEED),
                html.Div(id=ids.DISTRICT_PARTNERS),
            ]), xxl=5),
        ], className="g-4"),
        dbc.Row([
            dbc.Col(_section("Service availability by domain; the table below holds the same values", [
                _heading("Services"),
                graph(ids.DISTRICT_SERVICES, blank, "healthgaps-district-services"),
                html.Details([html.Summary("The chart's numbers"), html.Div(id=ids.DISTRICT_SERVICES_TABLE)]),
            ]), xxl=7),
            dbc.Col(_section("Tracer services and barriers", [
                html.H3("Tracer services: facilities offering them (%)", className="h5"),
                html.Div(id=ids.DISTRICT_TRACERS),
                html.H3("Barriers", className="h5"),
                html.Div(id=ids.DISTRICT_BARRIERS),
            ]), xxl=5),
        ], className="g-4"),
        _section("Trend across rounds", [
            _heading("Trend across rounds", trend_name, "the trend table"),
            dbc.Row([
                dbc.Col(graph(ids.DISTRICT_TREND, blank, "healthgaps-district-trend"), xxl=7),
                dbc.Col(html.Div(id=ids.DISTRICT_TREND_TABLE), xxl=5),
            ], className="g-4"),
        ]),
        _section("Facilities", [_heading("Facilities"), facility_section(facilities)]),
    ]
