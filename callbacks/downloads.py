"""Every table download goes through here: the table is rebuilt on the server from the view, named and
headed by exports.py. Pages register their tables with `@table(name, title)`."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from dash import ALL, Dash, Input, Output, State, dcc, no_update
from dash import ctx as triggered

from context import Context
from exports import csv_bytes, excel_bytes, filename, header_lines
from layouts import ids
from layouts.view import View, from_dict

Builder = Callable[[Context, View], pd.DataFrame]
Notes = Callable[[Context, View], list[str]]
Title = str | Callable[[Context, View], str]
TABLES: dict[str, tuple[Title, Builder, Notes | None]] = {}
COORDINATOR_ONLY: set[str] = set()  # tables of facility rows: never sent to the public


class Refused(PermissionError):
    """A public request for a coordinator-only table."""


def table(name: str, title: Title, notes: Notes | None = None,
          coordinator_only: bool = False) -> Callable[[Builder], Builder]:
    """Register a downloadable table: `builder(ctx, view)` returns exactly what the page shows; `title` may
    depend on the view (e.g. name the district); `notes(ctx, view)` adds header lines (e.g. the ranking's
    method and weights)."""
    def register(builder: Builder) -> Builder:
        TABLES[name] = (title, builder, notes)
        if coordinator_only:
            COORDINATOR_ONLY.add(name)
        return builder
    return register


def download(ctx: Context, view: View, name: str, fmt: str) -> dict:
    """dcc.Download's data for a registered table in "csv" or "xlsx"."""
    if name in COORDINATOR_ONLY and ctx.public:
        raise Refused(f"{name} is shown to coordinators only")
    title, builder, notes = TABLES[name]
    title = title(ctx, view) if callable(title) else title
    frame = builder(ctx, view)
    lines = header_lines(title, ctx, view, notes(ctx, view) if notes else None)
    if fmt == "xlsx":
        return dcc.send_bytes(excel_bytes(frame, lines), filename(title, ctx, view, "xlsx"))
    return dcc.send_bytes(csv_bytes(frame, lines), filename(title, ctx, view, "csv"))


def register(app: Dash, ctx: Context) -> None:
    @app.callback(Output(ids.DOWNLOAD, "data"), Input(ids.export(ALL, ALL), "n_clicks"), State(ids.VIEW, "data"),
                  prevent_initial_call=True)
    def send(clicks, view):
        button = triggered.triggered_id
        if not button or not any(clicks) or button["table"] not in TABLES or button["format"] not in ("csv", "xlsx"):
            return no_update
        try:
            return download(ctx, from_dict(view), button["table"], button["format"])
        except Refused:
            return no_update
