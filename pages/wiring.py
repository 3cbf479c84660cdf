"""How a page's callbacks are wired: refresh on a view change while the page is shown; a map click opens the
district's profile. One place, so every page behaves the same."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from dash import Dash, Input, Output, State, no_update

from context import Context
from pages import ids
from pages.maps import clicked_district
from server import auth
from view import View, from_dict

Key = tuple[str | dict, str]  # (component id, property): how a page's update names what it sends


def on_view(app: Dash, ctx: Context, page: str, outputs: Sequence[Key], update: Callable[..., dict],
            shown: Callable[[View], bool] | None = None, states: tuple[State, ...] = ()) -> None:
    """The `outputs` (component id, property) = update(view, role, *states' values) whenever the view changes
    and `page` is the one shown (else nothing is sent). `update` returns its values keyed by (id, property);
    a key it leaves out is not updated. The role is the request's, read here: the one place a page's
    callbacks learn it.

    The view comes from the browser's store, so it is not trusted: it is scoped to what the requester may ask
    (ctx.scoped), and `shown(view)` can refuse one the page cannot draw (e.g. a district the dataset lacks).
    Nor are the states: `update` must treat them as hints."""
    outputs = list(outputs)

    @app.callback([Output(*key) for key in outputs], Input(ids.VIEW, "data"), *states)  # a list: even one output
    def refresh(stored, *held):
        role = auth.role()
        view = ctx.scoped(from_dict(stored), role)
        if view.page != page or (page == "district" and not view.district) or (shown and not shown(view)):
            return (no_update,) * len(outputs)
        values = update(view, role, *held)
        unknown = set(values) - set(outputs)
        if unknown:  # a key the page does not declare would never reach the browser: say so, loudly
            raise KeyError(f"{page} sends outputs it does not declare: {sorted(map(str, unknown))}")
        return tuple(values.get(key, no_update) for key in outputs)


def open_profile_on_click(app: Dash, map_id: str) -> None:
    """A click on a district of this map opens /district/<pcode>, keeping the filters in the URL."""
    @app.callback(Output(ids.URL, "pathname", allow_duplicate=True), Input(map_id, "clickData"),
                  State(ids.VIEW, "data"), prevent_initial_call=True)
    def open_district(click, stored):
        code = clicked_district(click)
        if not code:
            return no_update
        return replace(from_dict(stored), page="district", district=code).path()
