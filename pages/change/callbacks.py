"""Change page: a change of the view patches the change map and refreshes the table, counts and captions."""

from __future__ import annotations

from dash import Dash

from context import Context
from pages import ids
from pages.change import model
from pages.change.layout import (
    before_options,
    caption,
    headline_cards,
    map_values,
    table_columns,
)
from pages.controls import empty_state
from pages.downloads import table as downloadable
from pages.graph import png_config
from pages.grid import grid_rows
from pages.maps import map_patch
from pages.wiring import Key, on_view, open_profile_on_click
from view import View

BEFORE_OPTIONS: Key = (ids.control("before"), "options")
OUTPUTS: list[Key] = [(ids.CHANGE_MAP, "figure"), (ids.CHANGE_TABLE, "rowData"), (ids.CHANGE_TABLE, "columnDefs"),
                      (ids.CHANGE_HEADLINES, "children"), (ids.CHANGE_EMPTY, "children"),
                      (ids.CHANGE_CAPTION, "children"), (ids.CHANGE_MAP, "config"),
                      BEFORE_OPTIONS]


@downloadable("change", model.change_title, notes=model.change_notes)
def change_export(ctx: Context, view: View, role: str):
    return model.change_export(ctx, view, role)


def change_update(ctx: Context, view: View, role: str) -> dict:
    """The page's outputs for a view, keyed by (id, property) (OUTPUTS)."""
    indicator, rounds = model.indicator_of(view), model.comparison(ctx, view)
    table = model.change_table(ctx, view, role)
    headlines = None if rounds.message else headline_cards(model.change_counts(table, indicator), rounds.before,
                                                           rounds.after)
    return {(ids.CHANGE_MAP, "figure"): map_patch(table, None, view.present, values=map_values(ctx, view, role, table)),
            (ids.CHANGE_TABLE, "rowData"): grid_rows(model.shown_table(table, indicator)),
            (ids.CHANGE_TABLE, "columnDefs"): table_columns(indicator, rounds, view.search()),
            (ids.CHANGE_HEADLINES, "children"): headlines,
            (ids.CHANGE_EMPTY, "children"): empty_state(rounds.message) if rounds.message else None,
            (ids.CHANGE_CAPTION, "children"): caption(indicator),
            (ids.CHANGE_MAP, "config"): png_config(model.map_title(ctx, view), ctx, view),
            BEFORE_OPTIONS: before_options(ctx, view)}


def register(app: Dash, ctx: Context) -> None:
    on_view(app, ctx, "change", OUTPUTS, lambda view, role: change_update(ctx, view, role))

    open_profile_on_click(app, ids.CHANGE_MAP)
