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
from analysis.disclosure import breakdown_note
from analysis.priority import DEFAULT_WEIGHTS
from context import Context
from pages import ids
from pages.controls import ALL as ALL_OPTION
from pages.frame import frame, nav_href
from pages.registry import PAGES, heading, navigation
from server import auth
from view import LISTS, View, checked, from_dict, parse, sanitise

WEIGHT = "weight:"
FIXED = {"page", "district", "weights"}  # set by the URL's path or the weight:<id> controls, never a control


def route(ctx: Context, pathname: str | None, search: str | None, stored: dict | None, role: str,
          user: tuple[str | None, str | None] = (None, None)):
    """(page components, view dict) for a URL as `role` may see it (`user`: the coordinator's name and form
    token, for the header), or (no_update, no_update) when the page already shows it."""
    view, notes = sanitise(parse(pathname, search), ctx.dataset, set(INDICATORS))
    if ctx.scoped(view, role) != view:
        view, notes = ctx.scoped(view, role), [*notes, "ignored facility type and ownership: " + breakdown_note()]
    if stored is not None and from_dict(stored) == view:
        return no_update, no_update
    body = PAGES[view.page].layout(ctx, view, role)
    return frame(ctx, view, heading(ctx, view), body, notes, role, user), view.to_dict()


def apply_controls(view: View, controls: dict[str, object]) -> View:
    """The view with the controls' values: "" from a select means none, lists become tuples, weights merge.
    Values come from the browser: a key no control has (page, district), a weight of an unknown indicator
    or a value of the wrong type is ignored, never an error."""
    changes: dict = {}
    weights = dict(view.weights)
    for key, value in controls.items():
        if not isinstance(key, str) or key in FIXED:
            continue
        if key.startswith(WEIGHT):
            weight = _number(value if value not in (None, "") else 0.0)
            if key.removeprefix(WEIGHT) in INDICATORS and weight is not None and 0 <= weight < float("inf"):
                weights[key.removeprefix(WEIGHT)] = weight
            continue
        if key == "present":
            value = bool(value)
        elif key == "top":
            number = _number(value)
            value = int(number) if number is not None and number.is_integer() and number >= 1 else view.top
        elif key not in LISTS.values():
            value = None if value in (None, ALL_OPTION) else value
        try:
            changes[key] = checked(key, value)
        except ValueError:
            pass
    if any(isinstance(k, str) and k.startswith(WEIGHT) for k in controls):
        changes["weights"] = {k: w for k, w in weights.items() if w > 0} or dict(DEFAULT_WEIGHTS)
    if changes.get("indicator") is None and "indicator" in changes:
        changes.pop("indicator")
    return replace(view, **changes)


def _number(value: object) -> float | None:
    """A weight typed in a box: a number or its text; None for anything else."""
    try:
        return float(value) if isinstance(value, (int, float, str)) and not isinstance(value, bool) else None
    except ValueError:
        return None


def register(app: Dash, ctx: Context) -> None:
    @app.callback(Output(ids.PAGE, "children"), Output(ids.VIEW, "data"),
                  Input(ids.URL, "pathname"), Input(ids.URL, "search"), State(ids.VIEW, "data"))
    def draw(pathname, search, stored):
        name = auth.user()
        return route(ctx, pathname, search, stored, auth.role(), (name, auth.csrf_token() if name else None))

    @app.callback(Output(ids.URL, "search"), Output(ids.VIEW, "data", allow_duplicate=True),
                  Input(ids.control(ALL), "value"), State(ids.control(ALL), "id"), State(ids.VIEW, "data"),
                  prevent_initial_call=True)
    def write(values, controls, stored):
        if not triggered.triggered_id or stored is None:
            return no_update, no_update
        chosen = {c["key"]: v for c, v in zip(controls or (), values or ()) if isinstance(c, dict) and "key" in c}
        view = ctx.scoped(sanitise(apply_controls(from_dict(stored), chosen), ctx.dataset, set(INDICATORS))[0],
                          auth.role())
        if view == from_dict(stored):
            return no_update, no_update
        return view.search(), view.to_dict()

    @app.callback(Output(ids.nav(ALL), "href"), Output(ids.SHELL, "className"), Input(ids.VIEW, "data"),
                  State(ids.nav(ALL), "id"))
    def links(stored, navs):
        view = from_dict(stored)
        pages = [n.get("page") if isinstance(n, dict) else None for n in navs or ()]
        linked = {page.name for page in navigation()}
        hrefs = [nav_href(view, p) if isinstance(p, str) and p in linked else "/" for p in pages]
        return hrefs, "present" if view.present else ""
