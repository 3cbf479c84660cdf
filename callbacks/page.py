"""How a page's callbacks are wired: refresh on a view change while the page is shown; a map click opens the
district's profile. One place, so every page behaves the same."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from dash import Dash, Input, Output, State, no_update

from callbacks.maps import clicked_district
from context import Context
from layouts import ids
from layouts.view import View, from_dict


def on_view(app: Dash, ctx: Context, page: str, outputs: list[Output], update: Callable[..., tuple],
            shown: Callable[[View], bool] | None = None, states: tuple[State, ...] = ()) -> None:
    """outputs = update(view, *states' values) whenever the view changes and `page` is the one shown (else
    nothing is sent).

    The view comes from the browser's store, so it is not trusted: it is scoped to what the requester may ask
    (ctx.scoped), and `shown(view)` can refuse one the page cannot draw (e.g. a district the dataset lacks).
    Nor are the states: `update` must treat them as hints."""
    @app.callback(*outputs, Input(ids.VIEW, "data"), *states)
    def refresh(stored, *held):
        view = ctx.scoped(from_dict(stored))
        if view.page != page or (page == "district" and not view.district) or (shown and not shown(view)):
            return (no_update,) * len(outputs)
        return update(view, *held)


def open_profile_on_click(app: Dash, map_id: str) -> None:
    """A click on a district of this map opens /district/<pcode>, keeping the filters in the URL."""
    @app.callback(Output(ids.URL, "pathname", allow_duplicate=True), Input(map_id, "clickData"),
                  State(ids.VIEW, "data"), prevent_initial_call=True)
    def open_district(click, stored):
        code = clicked_district(click)
        if not code:
            return no_update
        return replace(from_dict(stored), page="district", district=code).path()
