"""Every table download goes through here: the table is rebuilt on the server from the view, named and
headed by exports/. Pages register their tables with `@table(name, title)`."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from dash import ALL, Dash, Input, Output, State, dcc, no_update
from dash import ctx as triggered

from analysis.access import is_public
from analysis.catalogue import INDICATORS
from context import Context
from exports import csv_bytes, excel_bytes, filename, header_lines
from pages import ids
from server import auth
from view import View, from_dict, sanitise

Builder = Callable[[Context, View, str], pd.DataFrame]  # (ctx, view, role)
Notes = Callable[[Context, View, str], list[str]]
Title = str | Callable[[Context, View], str]
TABLES: dict[str, tuple[Title, Builder, Notes | None]] = {}
COORDINATOR_ONLY: set[str] = set()  # tables of facility rows: never sent to the public
DISTRICT_TABLES = "district-"  # tables of one district (its profile's) are named so: sent for a known district only
FORMATS = ("csv", "xlsx")


class Refused(PermissionError):
    """A public request for a coordinator-only table."""


def table(name: str, title: Title, notes: Notes | None = None,
          coordinator_only: bool = False) -> Callable[[Builder], Builder]:
    """Register a downloadable table: `builder(ctx, view, role)` returns exactly what the page shows; `title`
    may depend on the view (e.g. name the district); `notes(ctx, view, role)` adds header lines (e.g. the ranking's
    method and weights). A table of one district is named `district-...`: it is sent only when the view
    names a district the dataset has."""
    def register(builder: Builder) -> Builder:
        TABLES[name] = (title, builder, notes)
        if coordinator_only:
            COORDINATOR_ONLY.add(name)
        return builder
    return register


def download(ctx: Context, view: View, name: str, fmt: str, role: str) -> dict:
    """dcc.Download's data for a registered table in "csv" or "xlsx", as `role` may have it."""
    if name in COORDINATOR_ONLY and is_public(role):
        raise Refused(f"{name} is shown to coordinators only")
    view = ctx.scoped(view, role)  # the public's files never break a district down (analysis/disclosure.py)
    title, builder, notes = TABLES[name]
    title = title(ctx, view) if callable(title) else title
    frame = builder(ctx, view, role)
    lines = header_lines(title, ctx, view, notes(ctx, view, role) if notes else None)
    if fmt == "xlsx":
        return dcc.send_bytes(excel_bytes(frame, lines), filename(title, ctx, view, "xlsx"))
    return dcc.send_bytes(csv_bytes(frame, lines), filename(title, ctx, view, "csv"))


def register(app: Dash, ctx: Context) -> None:
    @app.callback(Output(ids.DOWNLOAD, "data"), Input(ids.export(ALL, ALL), "n_clicks"), State(ids.VIEW, "data"),
                  prevent_initial_call=True)
    def send(clicks, stored):
        button = triggered.triggered_id
        if not isinstance(button, dict) or not any(clicks or ()):
            return no_update
        name, fmt = button.get("table"), button.get("format")
        if not isinstance(name, str) or name not in TABLES or fmt not in FORMATS:
            return no_update
        view = sanitise(from_dict(stored), ctx.dataset, set(INDICATORS))[0]  # the store is the browser's
        if name.startswith(DISTRICT_TABLES) and not view.district:
            return no_update
        try:
            return download(ctx, view, name, fmt, auth.role())
        except Refused:
            return no_update
