"""Priorities: a change of the view (filter, weights, top N) re-ranks the districts and refreshes the list,
the map's classes, the charts and the method text. The weights reach the view through the router (the
weight inputs are view controls); nothing here writes the URL except a click on the map."""

from __future__ import annotations

import pandas as pd
from dash import Dash, Input, Output, State, no_update

from analysis.priority import DEFAULT_WEIGHTS, method_text
from pages.downloads import table as downloadable
from pages.maps import map_patch
from pages.wiring import on_view, open_profile_on_click
from context import Context
from exports import filename
from figures.priorities import class_values
from pages import ids
from pages.controls import empty_state
from pages.graph import graph_config
from pages.priorities.layout import (
    EXTRA_CANDIDATES,
    Ranking,
    excluded_list,
    grid_columns,
    grid_rows,
    map_table,
    message,
    method_items,
    method_line,
    quadrant,
    ranking,
    reset_href,
    stability,
    stability_sentence,
    summary,
    weight_inputs,
)
from view import View, from_dict

ALWAYS_SHOWN = (*DEFAULT_WEIGHTS, *EXTRA_CANDIDATES)  # the weight inputs every priorities page has
# What priorities_update returns, in this order.
OUTPUTS = [
    (ids.PRIORITY_TABLE, "rowData"), (ids.PRIORITY_TABLE, "columnDefs"), (ids.PRIORITY_SUMMARY, "children"),
    (ids.PRIORITY_MESSAGE, "children"), (ids.PRIORITY_EXCLUDED, "children"),
    (ids.PRIORITY_MAP, "figure"), (ids.PRIORITY_MAP, "config"),
    (ids.PRIORITY_QUADRANT, "figure"), (ids.PRIORITY_QUADRANT, "config"), (ids.PRIORITY_QUADRANT_TABLE, "children"),
    (ids.PRIORITY_STABILITY, "figure"), (ids.PRIORITY_STABILITY, "config"),
    (ids.PRIORITY_STABILITY_TEXT, "children"), (ids.PRIORITY_STABILITY_TABLE, "children"),
    (ids.PRIORITY_METHOD, "children"), (ids.PRIORITY_METHOD_FULL, "children"), (ids.PRIORITY_RESET, "href"),
]


def weights_text(weights: dict[str, float]) -> str:
    """As the URL and the command line write them: severity=0.25,pin=0.2."""
    return ",".join(f"{name}={weight:g}" for name, weight in weights.items() if weight > 0)


def export_table(result: Ranking) -> pd.DataFrame:
    """The ranked list as shown, scores and points to 2 decimals and stability to 3 (as the command line)."""
    points = ["priority_score", *(c for c in result.ranked.columns if c.startswith("contribution_"))]
    return result.ranked.round({**dict.fromkeys(points, 2), "stability": 3})


def export_notes(ctx: Context, view: View, role: str | None = None) -> list[str]:
    """The export's header: the weights, the method line by line, and the districts not ranked."""
    result = ranking(ctx, view)
    if result.error:
        return [f"weights: {weights_text(view.weights)}", f"no ranking: {result.error}"]
    lines = [f"weights: {weights_text(result.method.weights)}", *method_text(result.method),
             "scores and contributions rounded to 2 decimals, stability to 3"]
    return lines + [f"not ranked: {row.adm2_name} ({row.adm1_name}, {row.adm2_pcode}): {row.reason}"
                    for row in result.excluded.itertuples()]


@downloadable("priorities", "priority ranking", notes=export_notes)
def priority_export(ctx: Context, view: View, role: str | None = None) -> pd.DataFrame:
    return export_table(ranking(ctx, view))


def priorities_update(ctx: Context, view: View) -> tuple:
    """Every output of the page (OUTPUTS order) for a view: rows, columns, summary, message, not ranked, map
    Patch and config, quadrant figure, config and numbers, stability figure, config, sentence and numbers,
    method line, method lines, reset href."""
    result = ranking(ctx, view)
    problem = message(ctx, view, result)
    table = map_table(ctx, view, result)
    quadrant_chart, quadrant_alt = quadrant(ctx, view, result)
    stability_chart, stability_alt = stability(ctx, view, result)

    def config(title: str) -> dict:
        return graph_config(filename(title, ctx, view, "png").removesuffix(".png"))

    return (grid_rows(result), grid_columns(result, view.search(), view.present), summary(ctx, view, result),
            empty_state(problem) if problem else None, excluded_list(result),
            map_patch(table, None, view.present, values=class_values(table)), config("priority map"),
            quadrant_chart, config("need against coverage"), quadrant_alt,
            stability_chart, config("priority stability"), stability_sentence(result, view.top), stability_alt,
            method_line(result), method_items(result), reset_href(view))


def weights_shown(view: View, shown: list) -> list | None:
    """Fresh weight inputs when they all say 0 while the view fell back to the defaults; else None."""
    if view.weights == DEFAULT_WEIGHTS and not any(value for value in shown):
        return weight_inputs(view)
    return None


def register(app: Dash, ctx: Context) -> None:
    on_view(app, ctx, "priorities", [Output(c, p) for c, p in OUTPUTS], lambda view, role: priorities_update(ctx, view))

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
