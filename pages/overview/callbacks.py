"""Overview: a change of the view patches the map's values and refreshes the figures, table and caption."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Dash, Input, Output, State, html, no_update

from analysis.headlines import headlines
from analysis.suppression import SUPPRESSED, export_note
from pages.downloads import table as downloadable
from pages.maps import map_patch
from pages.wiring import on_view, open_profile_on_click
from context import Context
from figures.classes import format_value
from pages import ids
from pages.controls import TIER_LABELS, empty_state
from pages.graph import graph_config
from pages.overview.layout import (
    caption,
    facility_points,
    held,
    indicator_of,
    map_filename,
    points_note,
    table_columns,
    table_names,
    table_values,
)
from view import View


def district_notes(ctx: Context, view: View, role: str | None = None) -> list[str]:
    """The public export says which values it withholds (the blank cells, flagged in column `suppressed`)."""
    return [export_note()] if ctx.public else []


@downloadable("districts", "district indicators", district_notes)
def district_export(ctx: Context, view: View, role: str | None = None):
    return ctx.districts(view.filter())


def headline_cards(figures: dict, present: bool = False) -> list:
    """Five figures with their labels; a missing figure says so."""
    pin = format_value(figures["pin"], 0) if figures["pin"] is not None else "no data"
    if figures["pin"] is not None and figures["pin_missing"]:
        pin += f" ({figures['pin_missing']} districts without a figure)"
    withheld = figures.get("functional_withheld", 0)
    share = (format_value(figures["pct_functional"], 0) + " %" if figures["pct_functional"] is not None
             else SUPPRESSED if withheld else "no data")
    functional = "Functional"
    if withheld and figures["pct_functional"] is not None:
        functional += f" (without the {withheld:,} facilities of suppressed districts)"
    cards = [("Facilities", format_value(figures["facilities"], 0)), (functional, share),
             ("People in need", pin),
             ("Districts below 1 primary facility per 10,000",
              f"{figures['below_standard']:,} of {figures['districts']:,}"),
             ("Partners", format_value(figures["partners"], 0))]
    return dbc.Row([dbc.Col(html.Div([html.Div(value, className="headline-value"),
                                      html.Div(label, className="headline-label")], className="headline"),
                            xs=6, md=True) for label, value in cards], className="g-2")


def nothing_found(ctx: Context, view: View, facilities: int) -> str | None:
    """A sentence when the filter leaves no facility, naming the filter ("no primary facility in Kandahar...")."""
    if facilities or not len(ctx.dataset.facilities):
        return None
    provinces = dict(zip(ctx.dataset.provinces["adm1_pcode"].astype(str), ctx.dataset.provinces["adm1_name"]))
    where = ", ".join(provinces.get(p, p) for p in view.admin1) or "the country"
    kinds = " or ".join(TIER_LABELS.get(t, t).lower() for t in view.tiers) or "any"
    owners = f" ({' or '.join(view.ownership)} ownership)" if view.ownership else ""
    rounds = ctx.rounds
    return (f"No facility of {kinds} type{owners} in {where} in round {view.round or rounds[-1]}: facility "
            "indicators show no data.")


def overview_update(ctx: Context, view: View, shown: dict | None = None):
    """(map Patch, table names, table values, columns, caption, headlines, empty state, map config, what the
    page then holds) for a view.

    `shown` is what the page holds (ids.MAP_HELD, layouts.overview.held), sent back by the browser: where the
    view keeps its districts, their codes and names are not sent again (the map gets values, the table keeps
    its names); the view the page was just drawn with gets its headlines alone (the map is not redrawn). It is
    a hint: anything else gets everything. The facility points are filled only for a coordinator who turned
    them on (facility_points)."""
    indicator = indicator_of(view)
    table = ctx.districts(view.filter())
    figures = headlines(ctx.dataset, view.filter(), table)
    message = nothing_found(ctx, view, figures["facilities"])
    cards, empty = headline_cards(figures, view.present), empty_state(message) if message else None
    config = graph_config(map_filename(ctx, view, indicator))
    now = held(table, view)
    if shown == now:  # drawn by the router with this view: map, table, caption and config are there already
        return (no_update,) * 5 + (cards, empty, no_update, no_update)
    points = facility_points(ctx, view)
    same = isinstance(shown, dict) and shown.get("districts") == now["districts"]
    return (map_patch(table, indicator, view.present, facilities=points, names=not same),
            no_update if same else table_names(table), table_values(table, indicator, view.search()),
            table_columns(indicator), caption(indicator, points_note(ctx, view, points)), cards, empty, config, now)


def register(app: Dash, ctx: Context) -> None:
    outputs = [Output(ids.MAP, "figure"), Output(ids.TABLE_NAMES, "data"), Output(ids.TABLE_VALUES, "data"),
               Output(ids.TABLE, "columnDefs"), Output(ids.MAP_CAPTION, "children"), Output(ids.HEADLINES, "children"),
               Output(ids.EMPTY, "children"), Output(ids.MAP, "config"), Output(ids.MAP_HELD, "data")]
    on_view(app, ctx, "overview", outputs, lambda view, role, shown: overview_update(ctx, view, shown),
            states=(State(ids.MAP_HELD, "data"),))
    # The table's rows are made in the browser from its names and the view's values (assets/district-rows.js).
    app.clientside_callback(ClientsideFunction("healthgaps", "districtRows"), Output(ids.TABLE, "rowData"),
                            Input(ids.TABLE_VALUES, "data"), Input(ids.TABLE_NAMES, "data"))

    open_profile_on_click(app, ids.MAP)
