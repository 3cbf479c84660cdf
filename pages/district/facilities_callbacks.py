"""The facility list's download: coordinators only, refused to the public on the server."""

from __future__ import annotations

from dash import Dash

from pages.downloads import table
from context import Context
from pages.district.facilities import district_facilities
from view import View


@table("district-facilities", lambda ctx, view: f"facilities of {view.district}", coordinator_only=True)
def facility_export(ctx: Context, view: View, role: str | None = None):
    return district_facilities(ctx, view)


def register(app: Dash, ctx: Context) -> None:
    """Nothing to refresh: the list is drawn with the page, for coordinators."""
