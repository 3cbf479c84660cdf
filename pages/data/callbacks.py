"""Data page: its downloads. The page itself depends on the dataset only, so the layout draws all of it."""

from __future__ import annotations

from dash import Dash

from pages.downloads import table as downloadable
from context import Context
from pages.data.layout import FACILITY_NOTE, catalogue_frame, rejected_rows, standards_frame
from view import View


@downloadable("rejected", "rejected rows", notes=lambda ctx, view, role: [
    f"{FACILITY_NOTE}: rows of facility files have their value blanked and their reason shortened"])
def rejected_export(ctx: Context, view: View, role: str | None = None):
    return rejected_rows(ctx)


@downloadable("catalogue", "indicator catalogue")
def catalogue_export(ctx: Context, view: View, role: str | None = None):
    return catalogue_frame()


@downloadable("standards", "standards and thresholds")
def standards_export(ctx: Context, view: View, role: str | None = None):
    return standards_frame()


def register(app: Dash, ctx: Context) -> None:
    """Nothing to refresh: the downloads above are served by callbacks/downloads.py."""
