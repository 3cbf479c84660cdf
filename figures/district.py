"""Charts of the district profile: service availability against the province, and the trend across rounds."""

from __future__ import annotations

import json
from functools import cache

import pandas as pd
from plotly.subplots import make_subplots

from analysis.catalogue import INDICATORS
from figures.classes import format_value
from figures.style import base_layout, empty_figure, line_width, styled, typed
from figures.text import plain, plain_all, plain_lines

DISTRICT_COLOUR = "#253494"  # the district: dark blue; its province: grey, so the district stands out
PROVINCE_COLOUR = "#969696"
# Okabe-Ito colours (colour-blind safe), one per trend chart
TREND_COLOURS = {"facilities": "#0072B2", "functional": "#D55E00", "pct_fully_functional": "#009E73",
                 "availability_score": "#CC79A7"}
COUNTS = ("facilities", "functional")
WRAP = 24  # characters per line of a domain name on the axis

# The trend's marker sizes (other rounds, the round shown) by presentation mode: the round shown stands out.
TREND_MARKERS = {False: (7, 12), True: (10, 18)}


def services_spec(scores: pd.DataFrame, district: str, province: str, present: bool = False) -> dict:
    """Availability per service domain, the district's bar above its province's, as the plain dict plotly's
    Figure.to_dict() gives (what dcc.Graph takes): built without plotly's validation, which took most of the
    time of a profile's first opening.

    `scores` has columns name, district and province (scores 0-100, missing where nothing is expected).
    """
    if scores.empty or scores["district"].isna().all():
        return empty_figure(f"No service data for {district}", present).to_dict()
    names = [plain_lines(name, WRAP) for name in scores["name"]]
    traces = []
    for column, label, colour in (("district", plain(district), DISTRICT_COLOUR),
                                  ("province", f"{plain(province)} (province)", PROVINCE_COLOUR)):
        values = pd.to_numeric(scores[column], errors="coerce").astype("float64")
        traces.append({  # keys in the order plotly writes them (see figures.style.base_layout)
            "cliponaxis": False, "hovertemplate": f"{label}<br>%{{y}}: %{{x:.1f}}<extra></extra>",
            "marker": {"color": colour}, "name": label, "orientation": "h",
            "text": [format_value(v, 1) for v in values], "textposition": "outside", "x": typed(values),
            "y": list(names), "type": "bar",
        })
    height = (110 if present else 70) * len(scores) + 120
    layout = base_layout(present, barmode="group", height=height, bargap=0.25,
                     legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
                     xaxis={"title": {"text": "Availability score (0-100)"}, "range": [0, 110], "gridcolor": "#e9ecef",
                            "tickvals": [0, 20, 40, 60, 80, 100]},
                     yaxis={"autorange": "reversed"})
    return {"data": traces, "layout": layout}


def trend_spec(trend: pd.DataFrame, current: str, present: bool = False) -> dict:
    """One small chart per indicator (facilities, functional, % fully functional, availability), per round;
    each titled with its label and unit, so no legend is needed. The current round's marker is larger.
    As the plain dict plotly's Figure.to_dict() gives: the grid of charts, which does not depend on the
    data, is made by plotly once (_trend_layout); the lines are written as dicts, unvalidated.

    `trend` has a column round and one per indicator of TREND_COLOURS.
    """
    columns = [c for c in TREND_COLOURS if c in trend]
    if trend.empty or trend[columns].isna().all().all():
        return empty_figure("No facility data in any round", present).to_dict()
    rounds = trend["round"].astype(str).tolist()
    size = [TREND_MARKERS[present][r == current] for r in rounds]
    rounds = plain_all(rounds)  # round labels are data: the axis shows them as written
    traces = []
    for place, column in enumerate(columns):
        indicator, colour, axis = INDICATORS[column], TREND_COLOURS[column], "" if place == 0 else str(place + 1)
        traces.append({  # keys in the order plotly writes them (see figures.style.base_layout)
            "connectgaps": False,
            "hovertemplate": f"{indicator.label}<br>%{{x}}: %{{y:,.{indicator.decimals}f}} {indicator.unit}"
                             "<extra></extra>",
            "line": {"color": colour, "width": line_width(present, 2.5)},
            "marker": {"color": colour, "size": list(size)}, "mode": "lines+markers", "name": indicator.label,
            "showlegend": False, "x": list(rounds),
            "y": typed(pd.to_numeric(trend[column], errors="coerce").astype("float64")),
            "type": "scatter", "xaxis": f"x{axis}", "yaxis": f"y{axis}",
        })
    return {"data": traces, "layout": json.loads(_trend_layout(tuple(columns), present))}


def warm() -> None:
    """Make the charts' layouts of both modes now (plotly's first grid of charts takes a quarter of a second):
    once, before gunicorn forks, not in a user's first profile."""
    for present in (False, True):
        _trend_layout(tuple(TREND_COLOURS), present)
        base_layout(present)


@cache
def _trend_layout(columns: tuple[str, ...], present: bool) -> str:
    """The trend's styled layout (a 2 x 2 grid of charts, titled, shares and scores on 0-100) as JSON, made by
    plotly once per mode: it depends on the indicators shown, not on their values."""
    titles = [f"{INDICATORS[c].label} ({INDICATORS[c].unit})" for c in columns]
    figure = make_subplots(rows=2, cols=2, subplot_titles=titles, horizontal_spacing=0.12,
                           vertical_spacing=0.3 if present else 0.22)
    for place, column in enumerate(columns):
        if column not in COUNTS:  # shares and scores on their whole 0-100 scale
            figure.update_yaxes(range=[0, 105], row=place // 2 + 1, col=place % 2 + 1)
    figure.update_xaxes(type="category", gridcolor="#e9ecef")
    figure.update_yaxes(rangemode="tozero", gridcolor="#e9ecef")
    figure.update_annotations(font={"size": 20 if present else 14})
    return json.dumps(styled(figure, present, height=760 if present else 520).to_dict()["layout"])
