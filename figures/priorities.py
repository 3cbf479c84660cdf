"""Figures of the priorities page: the priority class map's values, need against coverage, and stability.

Pure: data frames in, plotly figures (or map trace values) out.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from figures.choropleth import Category, categorical_values
from figures.palette import class_colours
from figures.style import line_width, styled
from figures.text import plain, plain_all

CLASS_TITLE = "Priority class"
TOP_COLOUR = class_colours("higher_is_worse", 5)[-1]  # the colour of class 5, for the top N everywhere
OTHER_COLOUR = "#969696"


def _class_label(number: int) -> str:
    return {1: "1 (lowest)", 5: "5 (highest)"}.get(number, str(number))


# Priority class 1-5 on ColorBrewer YlOrRd, 5 (highest priority) darkest; listed 1 to 5 so the legend
# reads upwards to the highest priority.
PRIORITY_CLASSES: list[Category] = [Category(number, _class_label(number), colour)
                                    for number, colour in zip(range(1, 6), class_colours("higher_is_worse", 5))]


def class_values(table: pd.DataFrame) -> list[dict]:
    """Map trace values of `priority_class` (blank for districts not ranked: shown as no data)."""
    return categorical_values(table, "priority_class", PRIORITY_CLASSES, CLASS_TITLE)


def quadrant_figure(points: pd.DataFrame, top_n: int, need_title: str, coverage_title: str, coverage_name: str,
                    present: bool = False) -> go.Figure:
    """Need (x) against coverage (y), one point per ranked district, lines at the medians, the top N labelled
    by rank (names in the hover).

    points: adm2_name, adm1_name, priority_rank, need, coverage; `coverage_name` names y in the hover. The lower
    right quadrant (more need than the median district, less coverage) is where a gap is most likely.
    """
    x_mid, y_mid = float(points["need"].median()), float(points["coverage"].median())
    top = points["priority_rank"] <= top_n
    scale = 1.4 if present else 1
    figure = go.Figure()
    for chosen, named in ((~top, False), (top, True)):
        part = points[chosen]
        figure.add_scatter(
            x=part["need"], y=part["coverage"], mode="markers",
            name=f"top {top_n} (numbers: rank)" if named else "other ranked districts",
            marker={"color": TOP_COLOUR if named else OTHER_COLOUR, "size": (10 if named else 7) * scale,
                    "opacity": 0.9 if named else 0.5, "line": {"color": "white", "width": line_width(present, 0.5)}},
            customdata=list(zip(plain_all(part["adm2_name"]), plain_all(part["adm1_name"]), part["priority_rank"])),
            hovertemplate=("<b>%{customdata[0]}</b><br>%{customdata[1]}<br>rank %{customdata[2]}<br>"
                           "need: %{x:.1f} points<br>" + coverage_name + ": %{y:,.0f}<extra></extra>"),
        )
    near = 0.04 * max(float(points["need"].max() - points["need"].min()), 1.0)  # 4% of the x range
    for label in rank_labels(points[top], near).itertuples():  # after the marker, on white, so a line never hides it
        figure.add_annotation(x=label.need, y=label.coverage, text=label.text, showarrow=False, xanchor="left",
                              xshift=5 * scale + 3, bgcolor="rgba(255,255,255,0.85)", font={"color": TOP_COLOUR},
                              borderpad=1)
    dash = {"color": "#495057", "width": line_width(present, 1), "dash": "dash"}
    figure.add_vline(x=x_mid, line=dash)
    figure.add_hline(y=y_mid, line=dash)
    styled(figure, present, legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0}, hovermode="closest",
           title={"text": "Lower right: more need, less coverage than the median district", "x": 0, "xanchor": "left",
                  "y": 0.99, "yanchor": "top", "font": {"size": (18 if present else 13)}},
           xaxis={"title": need_title, "gridcolor": "#eee", "zeroline": False},
           yaxis={"title": coverage_title, "gridcolor": "#eee", "zeroline": False})
    return figure.update_layout(margin={"t": 110 if present else 75})


def rank_labels(top: pd.DataFrame, near: float) -> pd.DataFrame:
    """One label per cluster of top-N points (same coverage, need less than `near` apart): their ranks,
    "1, 2, 4", at the cluster's right end, so points that sit on each other do not get overlapping labels."""
    ordered = top.astype({"coverage": float, "need": float}).sort_values(["coverage", "need"])
    cluster = (ordered["coverage"].ne(ordered["coverage"].shift()) | ordered["need"].diff().gt(near)).cumsum()
    groups = ordered.groupby(cluster.to_numpy())
    return pd.DataFrame({
        "need": groups["need"].max(),
        "coverage": groups["coverage"].first(),
        "text": groups["priority_rank"].agg(lambda ranks: ", ".join(map(str, sorted(ranks)))),
    })


def stability_figure(rows: pd.DataFrame, top_n: int, present: bool = False) -> go.Figure:
    """Horizontal bars: each district's share of weight draws in the top N, rank 1 at the top.

    rows: priority_rank, adm2_name, stability (0-1), for the top N and the few districts after it.
    """
    labels = [f"{rank}. {plain(name)}" for rank, name in zip(rows["priority_rank"], rows["adm2_name"])]
    inside = (rows["priority_rank"] <= top_n).to_numpy()
    figure = go.Figure()
    for chosen, name, colour in ((inside, f"in the top {top_n} now", TOP_COLOUR),
                                 (~inside, f"next after the top {top_n}", OTHER_COLOUR)):
        if not chosen.any():
            continue
        share = 100 * rows.loc[chosen, "stability"]
        figure.add_bar(x=share, y=[label for label, keep in zip(labels, chosen) if keep], orientation="h",
                       name=name, marker_color=colour, text=[f"{v:.0f}%" for v in share],
                       textposition=["inside" if v >= 25 else "outside" for v in share], insidetextanchor="end",
                       cliponaxis=False,
                       hovertemplate="<b>%{y}</b><br>in the top N in %{x:.1f}% of draws<extra></extra>")
    bar = 34 if present else 24
    return styled(figure, present, height=max(260, bar * len(rows) + 110), barmode="overlay",
                  xaxis={"title": f"% of draws in the top {top_n}", "range": [0, 105], "gridcolor": "#eee",
                         "tickvals": [0, 25, 50, 75, 100]},
                  yaxis={"categoryorder": "array", "categoryarray": labels[::-1], "automargin": True},
                  legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})
