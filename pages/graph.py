"""The one way to place a plotly graph: offline topojson, no cloud button, PNG export named for the view."""

from __future__ import annotations

from dash import dcc

from context import Context
from exports import png_name
from view import View

TOPOJSON_URL = "/assets/topojson/"


def graph_config(filename: str) -> dict:
    return {
        "topojsonURL": TOPOJSON_URL,
        "displaylogo": False,
        "showSendToCloud": False,
        "modeBarButtonsToRemove": ["sendDataToCloud", "select2d", "lasso2d"],
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }


def graph(component_id: str, figure, filename: str, **kwargs) -> dcc.Graph:
    return dcc.Graph(id=component_id, figure=figure, config=graph_config(filename), **kwargs)


def png_config(title: str, ctx: Context, view: View) -> dict:
    """A chart's config with its PNG export named for `title` and the view (exports.png_name)."""
    return graph_config(png_name(title, ctx, view))
