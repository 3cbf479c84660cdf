"""Callbacks of the district page (to be built)."""

from __future__ import annotations

from dash import Dash

from context import Context


def register(app: Dash, ctx: Context) -> None:
    pass
