"""The URL is the view. The router draws the page the URL names; the view writer turns any control's change
into a new URL (history entry) without redrawing the page, so maps are patched, not rebuilt.

Back and forward change the URL without a control: the router sees a URL that differs from the stored view
and redraws the page from it.
"""

from __future__ import annotations

from dataclasses import replace

from dash import ALL, Dash, Input, Output, State, no_update
from dash import ctx as triggered

from analysis.catalogue import INDICATORS
from analysis.priority import DEFAULT_WEIGHTS
from context import Context
from layouts import ids
from layouts.controls import ALL as ALL_OPTION
from layouts.frame import frame, nav_href
from layouts.pages import PAGES, title
from layouts.view import LISTS, View, from_dict, parse, sanitise

WEIGHT = "weight:"


def route(ctx: Context, pathname: str | None, search: str | None, stored: dict | None):
    """(page components, view dict) for a URL, or (no_update, no_update) when the page already shows it."""
    view, notes = sanitise(parse(pathname, search), ctx.dataset, set(INDICATORS))
    if stored is not None and from_dict(stored) == view:
        return no_update, no_update
    page_title, layout = PAGES[view.page]
    return frame(ctx, view, title(ctx, view), layout(ctx, view), notes), view.to_dict()


def apply_controls(view: View, controls: dict[str, object]) -> View:
    """The view with the controls' values: "" from a select means none, lists become tuples, weights merge."""
    changes: dict = {}
    weights = dict(view.weights)
    for key, value in controls.items():
        if key.startswith(WEIGHT):
            name = key.removeprefix(WEIGHT)
            weights[name] = float(value) if value not in (None, "") else 0.0
        elif key in LISTS.values():
            changes[key] = tuple(value or ())
        elif key == "present":
            changes[key] = bool(value)
        elif key == "top":
            changes[key] = int(value) if value else view.top
        elif key in View.__dataclass_fields__:
            changes[key] = None if value in (None, ALL_OPTION) else value
    if any(k.startswith(WEIGHT) for k in controls):
        changes["weights"] = {k: w for k, w in weights.items() if w > 0} or dict(DEFAULT_WEIGHTS)
    if changes.get("indicator") is None and "indicator" in changes:
        changes.pop("indicator")
    return replace(view, **changes)


def register(app: Dash, ctx: Context) -> None:
    @app.callback(Output(ids.PAGE, "children"), Output(ids.VIEW, "data"),
                  Input(ids.URL, "pathname"), Input(ids.URL, "search"), State(ids.VIEW, "data"))
    def draw(pathname, search, stored):
        return route(ctx, pathname, search, stored)

    @app.callback(Output(ids.URL, "search"), Output(ids.VIEW, "data", allow_duplicate=True),
                  Input(ids.control(ALL), "value"), State(ids.control(ALL), "id"), State(ids.VIEW, "data"),
                  prevent_initial_call=True)
    def write(values, controls, stored):
        if not triggered.triggered_id or stored is None:
            return no_update, no_update
        view = apply_controls(from_dict(stored), {c["key"]: v for c, v in zip(controls, values)})
        if view == from_dict(stored):
            return no_update, no_update
        return view.search(), view.to_dict()

    @app.callback(Output(ids.nav(ALL), "href"), Output(ids.SHELL, "className"), Input(ids.VIEW, "data"),
                  State(ids.nav(ALL), "id"))
    def links(stored, navs):
        view = from_dict(stored)
        return [nav_href(view, n["page"]) for n in navs], "present" if view.present else ""
