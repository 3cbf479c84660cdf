"""Overview: a change of the view patches the map's values and refreshes the figures, table and caption."""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State, no_update

from context import Context
from pages import ids
from pages.controls import empty_state
from pages.downloads import table as downloadable
from pages.graph import png_config
from pages.maps import map_patch
from pages.overview import model
from pages.overview.layout import headline_cards, table_columns
from pages.wiring import Key, on_view, open_profile_on_click
from view import View

MAP, CONFIG, HELD = (ids.MAP, "figure"), (ids.MAP, "config"), (ids.MAP_HELD, "data")
NAMES, VALUES, COLUMNS = (ids.TABLE_NAMES, "data"), (ids.TABLE_VALUES, "data"), (ids.TABLE, "columnDefs")
CAPTION, HEADLINES, EMPTY = (ids.MAP_CAPTION, "children"), (ids.HEADLINES, "children"), (ids.EMPTY, "children")
OUTPUTS: list[Key] = [MAP, NAMES, VALUES, COLUMNS, CAPTION, HEADLINES, EMPTY, CONFIG, HELD]


@downloadable("districts", "district indicators", model.district_notes)
def district_export(ctx: Context, view: View, role: str):
    return model.district_table(ctx, view, role)


def overview_update(ctx: Context, view: View, role: str, shown: dict | None = None) -> dict:
    """The page's outputs for a view, keyed by (id, property) (OUTPUTS).

    `shown` is what the page holds (ids.MAP_HELD, model.held), sent back by the browser: where the view keeps
    its districts, their codes and names are not sent again (the map gets values, the table keeps its names);
    the view the page was just drawn with gets its headlines alone (the map is not redrawn). It is a hint:
    anything else gets everything. The facility points are filled only for a coordinator who turned them on
    (model.facility_points)."""
    indicator = model.indicator_of(view)
    table = model.district_table(ctx, view, role)
    figures = model.headline_figures(ctx, view, table)
    message = model.nothing_found(ctx, view, figures["facilities"])
    cards = {HEADLINES: headline_cards(figures), EMPTY: empty_state(message) if message else None}
    now = model.held(table, view)
    if shown == now:  # drawn by the router with this view: map, table, caption and config are there already
        return cards
    points = model.facility_points(ctx, view, role)
    same = isinstance(shown, dict) and shown.get("districts") == now["districts"]
    return {MAP: map_patch(table, indicator, view.present, facilities=points, names=not same),
            NAMES: no_update if same else model.table_names(table),
            VALUES: model.table_values(table, indicator, view.search()), COLUMNS: table_columns(indicator),
            CAPTION: model.caption(indicator, model.points_note(ctx, view, points)), **cards,
            CONFIG: png_config(model.map_title(indicator), ctx, view), HELD: now}


def register(app: Dash, ctx: Context) -> None:
    on_view(app, ctx, "overview", OUTPUTS, lambda view, role, shown: overview_update(ctx, view, role, shown),
            states=(State(*HELD),))
    # The table's rows are made in the browser from its names and the view's values (assets/district-rows.js).
    app.clientside_callback(ClientsideFunction("healthgaps", "districtRows"), Output(ids.TABLE, "rowData"),
                            Input(ids.TABLE_VALUES, "data"), Input(ids.TABLE_NAMES, "data"))

    open_profile_on_click(app, ids.MAP)
