"""The one way a district map is updated: a Patch with the values, classes, legend and style, never the
geometry (that stays a cached file the figure refers to by URL)."""

from __future__ import annotations

import pandas as pd
from dash import Patch

from analysis.catalogue import Indicator
from figures.choropleth import DISTRICTS, FACILITIES, NAMED, PROVINCES, style_values, trace_values
from figures.facility_layer import facility_values


def map_patch(table: pd.DataFrame, indicator: Indicator | None, present: bool,
              values: list[dict] | None = None, facilities: pd.DataFrame | None = None, names: bool = True) -> Patch:
    """Values of `indicator.id` in `table` (adm2_pcode, adm2_name, adm1_pcode, adm1_name, the value), or
    precomputed `values` (figures.choropleth.categorical_values). The facility points are `facilities` (a
    coordinator's layer: the caller decides) or, by default, none: the point traces are emptied.

    `names=False` when the map holds these districts already (district_set): their codes and names are not
    sent again, only what changes with the values."""
    patch = Patch()
    traces = enumerate(values or trace_values(table, indicator, names))
    for trace, properties in [*traces, *zip(FACILITIES, facility_values(facilities))]:
        for key, value in properties.items():
            if names or key not in NAMED.get(trace, ()):
                patch["data"][trace][key] = value
    style = style_values(present)
    patch["layout"]["font"] = style["font"]
    patch["data"][DISTRICTS]["marker"]["line"]["width"] = style["district_line"]
    patch["data"][PROVINCES]["marker"]["line"]["width"] = style["province_line"]
    for trace in FACILITIES:
        patch["data"][trace]["marker"]["size"] = style["point_size"]
    return patch


def clicked_district(click: dict | None) -> str | None:
    """The p-code of the district a map click landed on (None for anything else: the browser may send any)."""
    points = click.get("points") if isinstance(click, dict) else None
    point = points[0] if isinstance(points, list) and points and isinstance(points[0], dict) else {}
    location = point.get("location")
    return location if isinstance(location, str) and location else None
