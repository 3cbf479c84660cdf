"""Charts of the district profile: service availability against the province, and the trend across rounds."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.catalogue import INDICATORS
from figures.classes import format_value
from figures.style import empty_figure, line_width, styled
from figures.text import plain, plain_all, plain_lines

DISTRICT_COLOUR = "#253494"  # the district: dark blue; its province: grey, so the district stands out
PROVINCE_COLOUR = "#969696"
# Okabe-Ito colours (colour-blind safe), one per trend chart
TREND_COLOURS = {"facilities": "#0072B2", "functional": "#D55E00", "pct_fully_functional": "#009E73",
                 "availability_score": "#CC79A7"}
COUNTS = ("facilities", "functional")
WRAP = 24  # characters per line of a domain name on the axis


def services_figure(scores: pd.DataFrame, district: str, province: str, present: bool = False) -> go.Figure:
    """Availability per service domain, the district's bar above its province's.

    `scores` has columns name, district and province (scores 0-100, missing where nothing is expected).
    """
    if scores.empty or scores["district"].isna().all():
        return empty_figure(f"No service data for {district}", present)
    names = [plain_lines(name, WRAP) for name in scores["name"]]
    figure = go.Figure()
    for column, label, colour in (("district", plain(district), DISTRICT_COLOUR),
                                  ("province", f"{plain(province)} (province)", PROVINCE_COLOUR)):
        values = pd.to_numeric(scores[column], errors="coerce").astype("float64")
        figure.add_bar(y=names, x=values, name=label, orientation="h", marker_color=colour,
                       text=[format_value(v, 1) for v in values], textposition="outside", cliponaxis=False,
                       hovertemplate=f"{label}<br>%{{y}}: %{{x:.1f}}<extra></extra>")
    height = (110 if present else 70) * len(scores) + 120
    styled(figure, present, barmode="group", height=height, bargap=0.25,
           legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
           xaxis={"title": "Availability score (0-100)", "range": [0, 110], "gridcolor": "#e9ecef",
                  "tickvals": [0, 20, 40, 60, 80, 100]},
           yaxis={"autorange": "reversed"})
    return figure


def trend_figure(trend: pd.DataFrame, current: str, present: bool = False) -> go.Figure:
    """One small chart per indicator (facilities, functional, % fully functional, availability), per round;
    each titled with its label and unit, so no legend is needed. The current round's marker is larger.

    `trend` has a column round and one per indicator of TREND_COLOURS.
    """
    columns = [c for c in TREND_COLOURS if c in trend]
    if trend.empty or trend[columns].isna().all().all():
        return empty_figure("No facility data in any round", present)
    titles = [f"{INDICATORS[c].label} ({INDICATORS[c].unit})" for c in columns]
    figure = make_subplots(rows=2, cols=2, subplot_titles=titles, horizontal_spacing=0.12,
                           vertical_spacing=0.3 if present else 0.22)
    rounds = trend["round"].astype(str).tolist()
    size = [(18 if present else 12) if r == current else (10 if present else 7) for r in rounds]
    rounds = plain_all(rounds)  # round labels are data: the axis shows them as written
    for place, column in enumerate(columns):
        indicator = INDICATORS[column]
        colour = TREND_COLOURS[column]
        figure.add_scatter(
            x=rounds, y=pd.to_numeric(trend[column], errors="coerce").astype("float64"), name=indicator.label,
            mode="lines+markers", line={"color": colour, "width": line_width(present, 2.5)},
            marker={"size": size, "color": colour}, connectgaps=False, showlegend=False,
            hovertemplate=f"{indicator.label}<br>%{{x}}: %{{y:,.{indicator.decimals}f}} {indicator.unit}<extra></extra>",
            row=place // 2 + 1, col=place % 2 + 1)
        if column not in COUNTS:  # shares and scores on their whole 0-100 scale
            figure.update_yaxes(range=[0, 105], row=place // 2 + 1, col=place % 2 + 1)
    figure.update_xaxes(type="category", gridcolor="#e9ecef")
    figure.update_yaxes(rangemode="tozero", gridcolor="#e9ecef")
    figure.update_annotations(font={"size": 20 if present else 14})
    return styled(figure, present, height=760 if present else 520)
