"""The facility points over the district map (coordinators only): one Scattergeo trace per functionality class,
so the legend is the key. The traces are always in the map figure; hidden, they are empty, so a Patch can
fill or empty them and the public is sent no point, name or coordinate.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from figures.palette import FACILITY_FULL, FACILITY_NONE, FACILITY_OTHER, FACILITY_PARTIAL, PROVINCE_OUTLINE
from figures.text import plain_all

LEGEND_TITLE = "Facilities (coordinators only)"

POINT_SIZES = {False: 6, True: 7}  # marker size by presentation mode: thousands of points must not hide districts


@dataclass(frozen=True)
class PointClass:
    key: str  # what functionality_class gives
    label: str
    colour: str
    symbol: str
    outline: str


# In drawing order: the facilities not working are drawn last, on top of the others.
POINT_CLASSES = (
    PointClass("full", "Fully functional", FACILITY_FULL, "circle", PROVINCE_OUTLINE),
    PointClass("other", "Closed, planned or unknown", FACILITY_OTHER, "square", PROVINCE_OUTLINE),
    PointClass("partial", "Partially functional", FACILITY_PARTIAL, "diamond", PROVINCE_OUTLINE),
    PointClass("none", "Not functional", FACILITY_NONE, "x", "#ffffff"),
)
LEGEND_ORDER = ("full", "partial", "none", "other")
HOVER = ("<b>%{customdata[0]}</b><br>%{customdata[1]}<br>Functionality: %{customdata[2]}<br>"
         "%{customdata[3]}<extra></extra>")


def functionality_class(status: object, functionality: object) -> str:
    """An existing facility's functionality (full, partial, none); "other" when it is closed or planned, or
    its functionality is not reported."""
    if str(status) != "existing" or pd.isna(functionality) or str(functionality) not in ("full", "partial", "none"):
        return "other"
    return str(functionality)


def _text(value: object, fallback: str = "not given") -> str:
    return fallback if pd.isna(value) or str(value) == "" else str(value)


def point_size(present: bool) -> int:
    """Marker size, a little larger on a projector (patched with the presentation mode); not more, as
    thousands of points would hide the districts."""
    return POINT_SIZES[present]


def facility_values(facilities: pd.DataFrame | None) -> list[dict]:
    """Per class (POINT_CLASSES order), the trace properties that depend on the data: points with
    coordinates, hover text escaped for plotly (names may hold "<b>"), the legend entry with its count.
    None: every trace empty and out of the legend.

    `facilities` holds the columns of dataset.facilities; `adm2_name` and `adm1_name`, when present, name the
    district in the hover text, else its p-code."""
    if facilities is None:
        return [{"lon": [], "lat": [], "customdata": [], "name": c.label, "showlegend": False} for c in POINT_CLASSES]
    located = facilities[facilities["lat"].notna() & facilities["lon"].notna()]
    names = located["adm2_name"] if "adm2_name" in located else located["adm2_pcode"]
    if "adm1_name" in located:
        names = [f"{_text(d)}, {_text(p)}" for d, p in zip(names, located["adm1_name"])]
    points = pd.DataFrame({
        "class": [functionality_class(s, f) for s, f in zip(located["status"], located["functionality"])],
        "lon": located["lon"].astype(float).to_numpy(), "lat": located["lat"].astype(float).to_numpy(),
        "name": plain_all(map(_text, located["name"])),
        "kind": plain_all(f"{_text(k)}, {_text(t)}" for k, t in zip(located["type"], located["tier"])),
        "state": plain_all(_text(f, "unknown") + ("" if str(s) == "existing" else f" ({_text(s, 'status unknown')})")
                           for f, s in zip(located["functionality"], located["status"])),
        "district": plain_all(map(_text, names)),
    })
    values = []
    for point_class in POINT_CLASSES:
        chosen = points[points["class"] == point_class.key]
        values.append({"lon": chosen["lon"].tolist(), "lat": chosen["lat"].tolist(),
                       "customdata": chosen[["name", "kind", "state", "district"]].to_numpy().tolist(),
                       "name": f"{point_class.label} ({len(chosen):,})", "showlegend": True})
    return values


def facility_traces(present: bool) -> list[dict]:
    """The fixed properties of the point traces (colour, shape, outline, hover); only the size is patched."""
    return [{"mode": "markers", "hovertemplate": HOVER, "legendrank": 1000 + LEGEND_ORDER.index(c.key),
             "marker": {"color": c.colour, "symbol": c.symbol, "size": point_size(present), "opacity": 0.9,
                        "line": {"color": c.outline, "width": 0.8}}}
            for c in POINT_CLASSES]
