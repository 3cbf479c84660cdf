"""The change page: where did things get worse between two rounds? A map of the change in bands, the
districts with the largest worsening first, and how many districts got worse, better or stayed the same."""

from __future__ import annotations

from dataclasses import dataclass, replace

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from analysis.catalogue import INDICATORS, Indicator
from analysis.filters import Filter
from analysis.indicators import NUMERIC, change_between_rounds
from analysis.disclosure import public_change
from analysis.suppression import SUPPRESSED, flags
from analysis.suppression import label as suppressed_label
from context import Context, per_dataset
from figures.change import band_labels, change_values, shown
from figures.choropleth import choropleth_figure
from pages import ids
from pages.controls import ALL, export_buttons, filter_bar, select
from pages.graph import graph
from pages.grid import district_column
from pages.overview.layout import GROUPS
from view import View

TITLE = "Change between rounds"
FILTERS = ("admin1", "tiers", "ownership", "domain")
# Facility and service indicators change from round to round; population and needs do not.
CHANGE_INDICATORS = [i for i in INDICATORS.values() if i.kind == "number" and i.group in ("facilities", "services")
                     and i.id in NUMERIC and i.direction != "neutral"]
DEFAULT = "availability_score"
COLUMNS = ["adm2_pcode", "adm2_name", "adm1_name", "before", "after", "change", "band"]


@dataclass(frozen=True)
class Comparison:
    """The two rounds compared, or why there is nothing to compare."""
    before: str | None
    after: str | None
    message: str | None = None


def indicator_of(view: View) -> Indicator:
    offered = {i.id: i for i in CHANGE_INDICATORS}
    return offered.get(view.indicator, INDICATORS[DEFAULT])


def previous_round(rounds: list[str], after: str) -> str | None:
    """The default earlier round: the one before the later round (None for the first)."""
    position = rounds.index(after)
    return rounds[position - 1] if position > 0 else None


def comparison(ctx: Context, view: View) -> Comparison:
    """The later round (default the latest) and the earlier one (default the round before it)."""
    rounds = ctx.rounds
    if len(rounds) < 2:
        have = f"one round ({rounds[0]})" if rounds else "no facility round"
        return Comparison(None, rounds[0] if rounds else None,
                          f"This dataset has {have}: a change needs two rounds of facility data.")
    after = view.round if view.round in rounds else rounds[-1]
    before = view.before if view.before in rounds else previous_round(rounds, after)
    if before is None:
        return Comparison(None, after, f"{after} is the first round: choose a later round to compare it with.")
    if before == after:
        return Comparison(before, after, f"The earlier and the later round are both {after}: choose two different "
                                         "rounds.")
    if rounds.index(before) > rounds.index(after):
        return Comparison(before, after, f"The earlier round ({before}) comes after the later round ({after}): "
                                         "choose an earlier round that comes first.")
    return Comparison(before, after)


def change_table(ctx: Context, view: View) -> pd.DataFrame:
    """Every district of the filter with the indicator in both rounds, its change and band, largest worsening
    first (for an indicator where higher is worse, largest rise first); empty when nothing can be compared.
    For the public, a district withheld in either round (fewer than 3 facilities) has blank values, the band
    "suppressed (fewer than 3 facilities)" and the flag `suppressed`; the bands are cut without it."""
    view = ctx.scoped(view)
    indicator, rounds = indicator_of(view), comparison(ctx, view)
    if rounds.message:
        return pd.DataFrame(columns=["adm1_pcode", *COLUMNS])
    if ctx.public:
        table = _public_changes(ctx, view.filter(), rounds.before, rounds.after, indicator.id)
    else:
        table = _changes(ctx, view.filter(), rounds.before, rounds.after, indicator.id)
    worse_first = -table["change"] if indicator.direction == "higher_is_worse" else table["change"]
    table = table.assign(order=worse_first).sort_values(["order", "adm2_pcode"], na_position="last")
    table = table.drop(columns="order").reset_index(drop=True)
    provinces = dict(zip(ctx.dataset.districts["adm2_pcode"].astype(str), ctx.dataset.districts["adm1_pcode"]))
    bands = band_labels(table["change"], indicator).mask(flags(table), suppressed_label())
    return table.assign(adm1_pcode=table["adm2_pcode"].astype(str).map(provinces), band=bands)


@per_dataset()
def _public_changes(ctx: Context, chosen: Filter, before: str, after: str, indicator: str) -> pd.DataFrame:
    """analysis.disclosure.public_change on the public district tables of both rounds, kept (read only)."""
    tables = tuple(ctx.districts(replace(chosen, round=name)) for name in (before, after))
    return public_change(ctx.dataset, chosen, before, after, indicator, tables)


@per_dataset()
def _changes(ctx: Context, chosen: Filter, before: str, after: str, indicator: str) -> pd.DataFrame:
    """change_between_rounds, kept: the layout, the callback and the downloads of one view share it (read only)."""
    return change_between_rounds(ctx.dataset, chosen, before, after, indicator)


def shown_table(table: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """The table as the page and its exports show it: values rounded at the catalogue's decimals; the flag
    `suppressed` last for the public."""
    out = table[COLUMNS + [SUPPRESSED] * (SUPPRESSED in table)].copy()
    for column in ("before", "after", "change"):
        out[column] = shown(out[column], indicator.decimals)
    return out


def map_values(ctx: Context, view: View, table: pd.DataFrame) -> list[dict]:
    """The change map's values; with nothing to compare, every district of the filter is "no data"."""
    indicator, rounds = indicator_of(view), comparison(ctx, view)
    if rounds.message:
        districts = ctx.districts(view.filter())[["adm2_pcode", "adm2_name", "adm1_pcode", "adm1_name"]]
        table = districts.assign(before=float("nan"), after=float("nan"), change=float("nan"))
    return change_values(table, indicator, rounds.before or "", rounds.after or "")


def table_columns(indicator: Indicator, rounds: Comparison, search: str = "") -> list[dict]:
    """Grid columns: district (link to its profile), province, both rounds, the change and its band."""
    d = indicator.decimals

    def number(field: str, header: str, fmt: str) -> dict:  # minus as the map's hover and the exports write it
        return {"headerName": header, "field": field, "type": "rightAligned", "filter": False,  # no icon: room
                "wrapHeaderText": True, "autoHeaderHeight": True, "minWidth": 80,
                "valueFormatter": {"function": f"params.data.{SUPPRESSED} ? '{SUPPRESSED}' : "
                                              "params.value == null ? 'no data' : "
                                              f"d3.format('{fmt}')(params.value).replace('\\u2212', '-')"}}

    # DistrictLink (district_column) shows the name as text, linked to the path in "[name](path)".
    link = {"function": f"'[' + params.value + '](/district/' + params.data.adm2_pcode + '{search})'"}
    return [district_column(valueFormatter=link, minWidth=110),
            {"headerName": "Province", "field": "adm1_name", "minWidth": 100},
            number("before", rounds.before or "Earlier round", f",.{d}f"),
            number("after", rounds.after or "Later round", f",.{d}f"),
            number("change", "Change", f"+,.{d}f"),
            {"headerName": "Band", "field": "band", "minWidth": 160}]


def caption(indicator: Indicator) -> list:
    """What is compared, which way is worse, and the catalogue's definition folded away."""
    worse = "rise" if indicator.direction == "higher_is_worse" else "fall"
    return [f"{indicator.label}, in {indicator.unit}: worse means a {worse}. ",
            html.Details([html.Summary("Definition"), indicator.definition], className="d-inline")]


def indicator_options() -> list[tuple[str, str]]:
    return [(i.id, f"{GROUPS.get(i.group, i.group)}: {i.label}") for i in CHANGE_INDICATORS]


def before_default(ctx: Context, view: View) -> str:
    """The earlier round's first choice says which round "the round before" is for the later round."""
    rounds = ctx.rounds
    after = view.round if view.round in rounds else (rounds[-1] if rounds else None)
    return f"The round before ({(previous_round(rounds, after) if after else None) or 'none'})"


def before_options(ctx: Context, view: View) -> list[dict]:
    return [{"label": before_default(ctx, view), "value": ALL}] + [{"label": r, "value": r}
                                                                    for r in reversed(ctx.rounds)]


def records(table: pd.DataFrame) -> list[dict]:
    """Grid rows, None (null) where a value is missing."""
    return table.astype(object).where(table.notna(), None).to_dict("records")


def change_grid(rows: list[dict], columns: list[dict]) -> dag.AgGrid:
    return dag.AgGrid(
        id=ids.CHANGE_TABLE, columnDefs=columns, rowData=rows,
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "flex": 1},
        dashGridOptions={"suppressRowVirtualisation": True, "animateRows": False},
        getRowId="params.data.adm2_pcode", className="change-table", style={"height": "62vh"},
    )


def layout(ctx: Context, view: View, role: str | None = None) -> list:
    indicator, rounds = indicator_of(view), comparison(ctx, view)
    table = change_table(ctx, view)
    figure = choropleth_figure(table, None, ctx.geometry["adm2"], ctx.geometry["adm1"], view.present,
                               values=map_values(ctx, view, table))
    latest = ctx.rounds[-1] if ctx.rounds else "none"
    return [
        dbc.Row([
            dbc.Col(select("indicator", "Indicator", indicator_options(), indicator.id), xs=12, lg=6),
            dbc.Col(select("before", "Earlier round", [(r, r) for r in reversed(ctx.rounds)], view.before,
                           all_label=before_default(ctx, view)), xs=6, lg=3),
            dbc.Col(select("round", "Later round", [(r, r) for r in reversed(ctx.rounds)], view.round,
                           all_label=f"Latest ({latest})"), xs=6, lg=3),
        ], className="g-2 mb-2"),
        filter_bar(ctx, view, FILTERS, role),
        html.Div(caption(indicator), id=ids.CHANGE_CAPTION, className="caption mb-2"),
        html.Div(id=ids.CHANGE_EMPTY),
        html.Section(id=ids.CHANGE_HEADLINES, className="headlines mb-2",
                     **{"aria-label": "Districts worse and better"}),
        dbc.Row([
            dbc.Col(html.Section(graph(ids.CHANGE_MAP, figure, "healthgaps-change-map", className="map"),
                                 **{"aria-label": "Map of the change; the table beside it holds the same values"}),
                    lg=6, className="change-col"),
            dbc.Col(html.Section([
                html.Div([html.H2("Districts, largest worsening first", className="h5 mb-0"),
                          export_buttons("change", "the change table")],
                         className="d-flex justify-content-between align-items-center mb-1 flex-wrap"),
                change_grid(records(shown_table(table, indicator)),
                            table_columns(indicator, rounds, view.search()))],
                **{"aria-label": "Change table"}), lg=6, className="change-col"),
        ], className="g-3 change-layout"),
    ]
