"""The district choropleth (plotly geo, SVG): geometry by URL, values and classes by trace properties.

`trace_values` holds everything that changes with the indicator or filter, so a callback can send it
alone (a `dash.Patch`) while the geometry stays a cached static file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analysis.catalogue import Indicator
from analysis.suppression import SUPPRESSED as SUPPRESSED_WORD
from analysis.suppression import flags
from analysis.suppression import label as suppressed_label
from figures.classes import classify, format_value
from figures.facility_layer import LEGEND_TITLE, POINT_CLASSES, facility_traces, facility_values, point_size
from figures.palette import NO_DATA, OUTLINE, PROVINCE_OUTLINE, SUPPRESSED, class_colours
from figures.style import font, line_width
from figures.text import plain_all

DISTRICTS, PROVINCES = 0, 1  # trace order
# The properties that only change with the set of districts drawn: a map already holding that set is sent
# the values alone (pages.maps.map_patch(names=False)).
NAMED = {DISTRICTS: ("locations", "text"), PROVINCES: ("locations", "z")}
# then one trace of facility points per functionality class (figures.facility_layer), empty unless shown
FACILITIES = tuple(range(2, 2 + len(POINT_CLASSES)))


def district_set(table: pd.DataFrame) -> str:
    """A short fingerprint of the districts a map (or its table) holds, in order: kept in the page beside the
    map, so the server knows whether the browser has their codes and names already (map_patch names=False)."""
    codes = "\n".join(table["adm2_pcode"].astype(str))
    return hashlib.blake2b(codes.encode(), digest_size=8).hexdigest()


def _step_colourscale(colours: list[str]) -> list[list]:
    """A colourscale with one flat band per class, for integer z from 0 to len(colours) - 1."""
    n = len(colours)
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def trace_values(table: pd.DataFrame, indicator: Indicator, names: bool = True) -> list[dict]:
    """Per trace, the properties that depend on the data: locations and names (NAMED), classes, legend, the value
    on hover. Without `names`, the districts' names are left out (for a map that holds them already).

    For a facility-based indicator, districts flagged `suppressed` (the public view's small cells) are a class
    of their own, "suppressed (fewer than <threshold> facilities)" (analysis.suppression.threshold), never "no
    data" and never 0."""
    values = table[indicator.id]
    hidden = (flags(table, indicator.id) if indicator.facility_based
              else pd.Series(False, index=table.index)).to_numpy()
    classes = classify(values.mask(hidden), indicator.decimals)
    missing = (classes.index < 0) & ~hidden
    extra = [(NO_DATA, "no data")] * bool(missing.any()) + [(SUPPRESSED, _legend_label())] * bool(hidden.any())
    colours = [c for c, _ in extra] + class_colours(indicator.direction, len(classes.labels))
    labels = [t for _, t in extra] + classes.labels
    z = classes.index + len(extra)
    z[missing] = 0
    z[hidden] = len(extra) - 1
    shown = [SUPPRESSED_WORD if h else format_value(v, indicator.decimals) for v, h in zip(values, hidden)]
    unit = indicator.unit if "(" in indicator.unit else f"({indicator.unit})"
    districts = {
        "locations": table["adm2_pcode"].tolist(),
        "z": z.tolist(),
        **({"text": _named(table)} if names else {}),
        "customdata": shown,
        "hovertemplate": f"%{{text}}<br>{indicator.titled}: %{{customdata}}<extra></extra>",
        "colorscale": _step_colourscale(colours) if colours else [[0, NO_DATA], [1, NO_DATA]],
        "zmin": -0.5,
        "zmax": max(len(colours), 1) - 0.5,
        "colorbar": {
            "title": {"text": f"{indicator.label}<br>{unit}"},
            "tickmode": "array",
            "tickvals": list(range(len(labels))),
            "ticktext": labels,
        },
    }
    provinces = sorted(table["adm1_pcode"].unique().tolist())
    return [districts, {"locations": provinces, "z": [0] * len(provinces)}]


@dataclass(frozen=True)
class Category:
    value: object  # the value in the table's column
    label: str  # what the legend and hover say
    colour: str


def categorical_values(table: pd.DataFrame, column: str, categories: list[Category], title: str) -> list[dict]:
    """Like trace_values, for fixed categories (priority class, gap / duplication, change bands).

    Every category keeps its place in the legend even when no district falls in it, so the legend reads the
    same for every filter; a value outside the categories is "no data". A district without a value because it
    is withheld (flag `suppressed`: the public view's small cells) gets the class "suppressed (fewer than
    <threshold> facilities)", shown only when any district is in it; a flagged district with a value keeps its category.
    """
    hidden = (flags(table) & table[column].map(_missing).astype(bool)).to_numpy()
    extra = [Category(SUPPRESSED_WORD, suppressed_label(), SUPPRESSED)] if hidden.any() else []
    chosen = extra + categories
    positions = {c.value: i + 1 for i, c in enumerate(categories, start=len(extra))}
    z = [positions.get(v, 0) if not _missing(v) else 0 for v in table[column]]
    z = [1 if h else v for v, h in zip(z, hidden)]
    colours = [NO_DATA] + [c.colour for c in chosen]
    shown = [(["no data"] + [c.label for c in chosen])[i] for i in z]
    labels = ["no data"] + [_legend_label() if c in extra else c.label for c in chosen]
    districts = {
        "locations": table["adm2_pcode"].tolist(),
        "z": z,
        "text": _named(table),
        "customdata": shown,
        "hovertemplate": f"%{{text}}<br>{title}: %{{customdata}}<extra></extra>",
        "colorscale": _step_colourscale(colours),
        "zmin": -0.5,
        "zmax": len(colours) - 0.5,
        "colorbar": {"title": {"text": title}, "tickmode": "array", "tickvals": list(range(len(labels))),
                     "ticktext": labels},
    }
    provinces = sorted(table["adm1_pcode"].astype(str).unique().tolist())
    return [districts, {"locations": provinces, "z": [0] * len(provinces)}]


def _named(table: pd.DataFrame) -> list[str]:
    """Each district's hover title: its name in bold over its province's, both plain text (never plotly HTML)."""
    names, provinces = (["" if _missing(v) else v for v in plain_all(table[c])] for c in ("adm2_name", "adm1_name"))
    return [f"<b>{name}</b><br>{province}" for name, province in zip(names, provinces)]


def _legend_label() -> str:
    """The suppressed class's legend entry on two lines, so the legend does not squeeze the map."""
    return suppressed_label().replace(" (", "<br>(", 1)


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def style_values(present: bool) -> dict:
    """What presentation mode changes on the map: type size and outline widths (patched like the values)."""
    return {"font": font(present), "district_line": line_width(present, 0.5), "province_line": line_width(present, 1.2),
            "point_size": point_size(present)}


def choropleth_figure(table: pd.DataFrame, indicator: Indicator | None, districts_url: str, provinces_url: str,
                      present: bool = False, values: list[dict] | None = None,
                      facilities: pd.DataFrame | None = None) -> go.Figure:
    """Districts coloured by class, province outlines on top, framed on the districts shown; then the facility
    point traces, filled only with `facilities` (a coordinator's layer, figures.facility_layer).

    `values` (from categorical_values) replaces the indicator's quantile classes."""
    if not values:
        if indicator is None:
            raise ValueError("a choropleth needs an indicator or the values of its classes")
        values = trace_values(table, indicator)
    style = style_values(present)
    figure = go.Figure(
        [
            go.Choropleth(geojson=districts_url, featureidkey="id",
                          marker={"line": {"color": OUTLINE, "width": style["district_line"]}},
                          name="districts", showlegend=False, **values[DISTRICTS]),
            go.Choropleth(geojson=provinces_url, featureidkey="id",
                          colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                          showscale=False, hoverinfo="skip", name="provinces", showlegend=False,
                          marker={"line": {"color": PROVINCE_OUTLINE, "width": style["province_line"]}},
                          **values[PROVINCES]),
            *(go.Scattergeo(**fixed, **points)
              for fixed, points in zip(facility_traces(present), facility_values(facilities))),
        ]
    )
    figure.update_geos(visible=False, fitbounds="locations", projection_type="mercator")
    # The top margin keeps the modebar clear of the legend title.
    figure.update_layout(margin={"l": 0, "r": 0, "t": 40, "b": 0}, dragmode="pan", uirevision="map",
                         font=style["font"], showlegend=True,
                         # the facility key, under the map (clear of the colour bar); drawn only with points
                         legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top",
                                 "title": {"text": LEGEND_TITLE, "side": "top"}})
    return figure
