"""Priorities: a change of the view (filter, weights, top N) re-ranks the districts and refreshes the list,
the map's classes, the charts and the method text. The weights reach the view through the router (the
weight inputs are view controls); nothing here writes the URL except a click on the map.

Thin: the ranking and its tables are model.py's, the components layout.py's, the charts figures/priorities.py's.
"""

from __future__ import annotations

import pandas as pd
from dash import Dash, Input, Output, State, no_update

from analysis.priority import DEFAULT_WEIGHTS
from context import Context
from figures.priorities import class_values
from pages import ids
from pages.downloads import table as downloadable
from pages.graph import png_config
from pages.maps import map_patch
from pages.priorities import model
from pages.priorities.layout import (
    excluded_list,
    grid_columns,
    message_box,
    method_items,
    quadrant,
    ranked_rows,
    stability,
    weight_inputs,
)
from pages.wiring import on_view, open_profile_on_click
from view import View, from_dict

ALWAYS_SHOWN = (*DEFAULT_WEIGHTS, *model.EXTRA_CANDIDATES)  # the weight inputs every priorities page has
OUTPUTS = [  # what priorities_update sends, keyed by (id, property)
    (ids.PRIORITY_TABLE, "rowData"), (ids.PRIORITY_TABLE, "columnDefs"), (ids.PRIORITY_SUMMARY, "children"),
    (ids.PRIORITY_MESSAGE, "children"), (ids.PRIORITY_EXCLUDED, "children"),
    (ids.PRIORITY_MAP, "figure"), (ids.PRIORITY_MAP, "config"),
    (ids.PRIORITY_QUADRANT, "figure"), (ids.PRIORITY_QUADRANT, "config"), (ids.PRIORITY_QUADRANT_TABLE, "children"),
    (ids.PRIORITY_STABILITY, "figure"), (ids.PRIORITY_STABILITY, "config"),
    (ids.PRIORITY_STABILITY_TEXT, "children"), (ids.PRIORITY_STABILITY_TABLE, "children"),
    (ids.PRIORITY_METHOD, "children"), (ids.PRIORITY_METHOD_FULL, "children"), (ids.PRIORITY_RESET, "href"),
]


@downloadable("priorities", "priority ranking", notes=model.export_notes)
def priority_export(ctx: Context, view: View, role: str) -> pd.DataFrame:
    return model.export_table(ctx, view, role)


def priorities_update(ctx: Context, view: View, role: str) -> dict:
    """Every output of the page for a view, keyed by (id, property)."""
    result = model.ranking(ctx, view, role)
    table = model.map_table(ctx, view, role, result)
    quadrant_chart, quadrant_alt = quadrant(ctx, view, role, result)
    stability_chart, stability_alt = stability(ctx, view, result)
    return {
        (ids.PRIORITY_TABLE, "rowData"): ranked_rows(result),
        (ids.PRIORITY_TABLE, "columnDefs"): grid_columns(result, view.search(), view.present),
        (ids.PRIORITY_SUMMARY, "children"): model.summary(ctx, view, result),
        (ids.PRIORITY_MESSAGE, "children"): message_box(model.message(ctx, view, result)),
        (ids.PRIORITY_EXCLUDED, "children"): excluded_list(result),
        (ids.PRIORITY_MAP, "figure"): map_patch(table, None, view.present, values=class_values(table)),
        (ids.PRIORITY_MAP, "config"): png_config("priority map", ctx, view),
        (ids.PRIORITY_QUADRANT, "figure"): quadrant_chart,
        (ids.PRIORITY_QUADRANT, "config"): png_config("need against coverage", ctx, view),
        (ids.PRIORITY_QUADRANT_TABLE, "children"): quadrant_alt,
        (ids.PRIORITY_STABILITY, "figure"): stability_chart,
        (ids.PRIORITY_STABILITY, "config"): png_config("priority stability", ctx, view),
        (ids.PRIORITY_STABILITY_TEXT, "children"): model.stability_sentence(result, view.top),
        (ids.PRIORITY_STABILITY_TABLE, "children"): stability_alt,
        (ids.PRIORITY_METHOD, "children"): model.method_line(result),
        (ids.PRIORITY_METHOD_FULL, "children"): method_items(result),
        (ids.PRIORITY_RESET, "href"): model.reset_href(view),
    }


def weights_shown(view: View, shown: list) -> list | None:
    """Fresh weight inputs when they all say 0 while the view fell back to the defaults; else None."""
    if view.weights == DEFAULT_WEIGHTS and not any(value for value in shown):
        return weight_inputs(view)
    return None


def register(app: Dash, ctx: Context) -> None:
    on_view(app, ctx, "priorities", OUTPUTS, lambda view, role: priorities_update(ctx, view, role))

    @app.callback(Output(ids.PRIORITY_WEIGHTS, "children"), Input(ids.VIEW, "data"),
                  *(State(ids.control(f"weight:{name}"), "value") for name in ALWAYS_SHOWN))
    def show_default_weights(stored, *shown):
        """All weights 0 means the defaults (the router's rule): show them in the inputs too."""
        view = from_dict(stored)
        if view.page != "priorities":
            return no_update
        inputs = weights_shown(view, list(shown))
        return no_update if inputs is None else inputs

    open_profile_on_click(app, ids.PRIORITY_MAP)
