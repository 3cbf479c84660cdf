"""Data page: its downloads. The page itself depends on the dataset only, so the layout draws all of it."""

from __future__ import annotations

from dash import Dash

from context import Context
from pages.data import model
from pages.downloads import table as downloadable
from view import View


@downloadable("rejected", "rejected rows", notes=model.rejected_notes)
def rejected_export(ctx: Context, view: View, role: str):
    return model.rejected_rows(ctx)


@downloadable("catalogue", "indicator catalogue")
def catalogue_export(ctx: Context, view: View, role: str):
    return model.catalogue_frame()


@downloadable("standards", "standards and thresholds")
def standards_export(ctx: Context, view: View, role: str):
    return model.standards_frame()


def register(app: Dash, ctx: Context) -> None:
    """Nothing to refresh: the downloads above are served by pages/downloads.py."""
