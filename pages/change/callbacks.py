"""Change page: a change of the view patches the change map and refreshes the table, counts and captions."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Output, html

from analysis.suppression import SUPPRESSED, export_note, flags
from analysis.suppression import label as suppressed_label
from pages.downloads import table as downloadable
from pages.maps import map_patch
from pages.wiring import on_view, open_profile_on_click
from context import Context
from exports import filename
from figures.change import RULE, band_edge, counts
from figures.classes import format_value
from pages import ids
from pages.change.layout import (
    before_options,
    caption,
    change_table,
    comparison,
    indicator_of,
    map_values,
    records,
    shown_table,
    table_columns,
)
from pages.controls import empty_state
from pages.graph import graph_config
from view import View


def change_title(ctx: Context, view: View) -> str:
    """Names the indicator and the earlier round (the later one is the export's round)."""
    return f"change in {indicator_of(view).label} since {comparison(ctx, view).before or 'no earlier round'}"


@downloadable("change", change_title, notes=lambda ctx, view, role: change_notes(ctx, view, role))
def change_export(ctx: Context, view: View, role: str | None = None):
    return shown_table(change_table(ctx, view), indicator_of(view))


def change_notes(ctx: Context, view: View, role: str | None = None) -> list[str]:
    """The export's header: what was compared and how the bands are cut."""
    indicator, rounds = indicator_of(view), comparison(ctx, view)
    edge = band_edge(change_table(ctx, view)["change"], indicator.decimals)
    worse = "rise" if indicator.direction == "higher_is_worse" else "fall"
    return [f"indicator: {indicator.label} ({indicator.unit}); worse means a {worse}",
            f"earlier round: {rounds.before or 'none'}", f"later round: {rounds.after or 'none'}",
            f"bands: unchanged where the change shows as 0; {RULE}"
            + (f" ({format_value(edge, indicator.decimals)})" if edge is not None else ""),
            *([f"{export_note()}, in either round"] if ctx.public else [])]


def headline_cards(figures: dict[str, int], before: str, after: str) -> dbc.Row:
    """Districts worse, better, unchanged and without a value, from `before` to `after`; and, when the public
    view withholds any, the districts suppressed (counted apart from those without a value)."""
    cards = [("worse", f"Districts worse, {before} to {after}"), ("better", "Districts better"),
             ("unchanged", "Districts unchanged"), ("no data", "Districts without a value in a round")]
    if figures.get(SUPPRESSED):
        cards.append((SUPPRESSED, f"Districts {suppressed_label()} in a round"))
    width = 12 // len(cards) if len(cards) == 4 else True
    return dbc.Row([dbc.Col(html.Div([html.Div(format_value(figures[key], 0), className="headline-value"),
                                      html.Div(label, className="headline-label")],
                                     className=f"headline headline-{key.replace(' ', '-')}"), xs=6, md=width)
                    for key, label in cards], className="g-2")


def change_counts(table, indicator) -> dict[str, int]:
    """The headline counts; districts withheld from the public are counted as suppressed, not as no data."""
    figures = counts(table["change"], indicator.direction, indicator.decimals)
    hidden = int(flags(table).sum())
    return {**figures, "no data": figures["no data"] - hidden, SUPPRESSED: hidden}


def change_update(ctx: Context, view: View):
    """(map Patch, rows, columns, headlines, empty state, caption, map config, earlier-round options)."""
    indicator, rounds = indicator_of(view), comparison(ctx, view)
    table = change_table(ctx, view)
    headlines = None if rounds.message else headline_cards(change_counts(table, indicator), rounds.before,
                                                           rounds.after)
    title = f"change {indicator.label} from {rounds.before or 'none'}"
    return (map_patch(table, None, view.present, values=map_values(ctx, view, table)),
            records(shown_table(table, indicator)), table_columns(indicator, rounds, view.search()), headlines,
            empty_state(rounds.message) if rounds.message else None, caption(indicator),
            graph_config(filename(title, ctx, view, "png").removesuffix(".png")), before_options(ctx, view))


def register(app: Dash, ctx: Context) -> None:
    outputs = [Output(ids.CHANGE_MAP, "figure"), Output(ids.CHANGE_TABLE, "rowData"),
               Output(ids.CHANGE_TABLE, "columnDefs"), Output(ids.CHANGE_HEADLINES, "children"),
               Output(ids.CHANGE_EMPTY, "children"), Output(ids.CHANGE_CAPTION, "children"),
               Output(ids.CHANGE_MAP, "config"), Output(ids.control("before"), "options")]
    on_view(app, ctx, "change", outputs, lambda view, role: change_update(ctx, view))

    open_profile_on_click(app, ids.CHANGE_MAP)
