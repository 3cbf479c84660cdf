"""Figures of the priorities page: the priority class map's values, need against coverage, and stability.

Pure: data frames in, plotly figures as plain dicts (or map trace values) out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from figures.choropleth import Category, categorical_values
from figures.palette import class_colours
from figures.style import base_layout, line_width, typed
from figures.text import plain, plain_all

CLASS_TITLE = "Priority class"
TOP_COLOUR = class_colours("higher_is_worse", 5)[-1]  # the colour of class 5, for the top N everywhere
OTHER_COLOUR = "#969696"

QUADRANT_MARKERS = {False: 7, True: 10}  # a point's size: the top N larger than the rest
PRESENT_MARKER_SCALE = 1.4  # the quadrant's points on a projector: larger, still apart at 400 districts


def _class_label(number: int) -> str:
    return {1: "1 (lowest)", 5: "5 (highest)"}.get(number, str(number))


# Priority class 1-5 on ColorBrewer YlOrRd, 5 (highest priority) darkest; listed 1 to 5 so the legend
# reads upwards to the highest priority.
PRIORITY_CLASSES: list[Category] = [Category(number, _class_label(number), colour)
                                    for number, colour in zip(range(1, 6), class_colours("higher_is_worse", 5))]


def class_values(table: pd.DataFrame) -> list[dict]:
    """Map trace values of `priority_class` (blank for districts not ranked: shown as no data)."""
    return categorical_values(table, "priority_class", PRIORITY_CLASSES, CLASS_TITLE)


def quadrant_spec(points: pd.DataFrame, top_n: int, need_title: str, coverage_title: str, coverage_name: str,
                  present: bool = False) -> dict:
    """Need (x) against coverage (y), one point per ranked district, lines at the medians, the top N labelled
    by rank (names in the hover), as the plain dict plotly's Figure.to_dict() gives (what dcc.Graph takes).

    points: adm2_name, adm1_name, priority_rank, need, coverage; `coverage_name` names y in the hover. The lower
    right quadrant (more need than the median district, less coverage) is where a gap is most likely.
    """
    x_mid, y_mid = float(points["need"].median()), float(points["coverage"].median())
    top = (points["priority_rank"] <= top_n).to_numpy()
    hover = list(zip(plain_all(points["adm2_name"].tolist()), plain_all(points["adm1_name"].tolist()),
                     points["priority_rank"].tolist()))
    need, coverage = (points[c].to_numpy(dtype=float, na_value=np.nan) for c in ("need", "coverage"))
    scale = PRESENT_MARKER_SCALE if present else 1
    traces = []
    for chosen, named in ((~top, False), (top, True)):
        traces.append({  # keys in the order plotly writes them (see figures.style.base_layout)
            "customdata": [list(row) for row, keep in zip(hover, chosen) if keep],
            "hovertemplate": ("<b>%{customdata[0]}</b><br>%{customdata[1]}<br>rank %{customdata[2]}<br>"
                              "need: %{x:.1f} points<br>" + coverage_name + ": %{y:,.0f}<extra></extra>"),
            "marker": {"color": TOP_COLOUR if named else OTHER_COLOUR,
                       "line": {"color": "white", "width": line_width(present, 0.5)},
                       "opacity": 0.9 if named else 0.5, "size": QUADRANT_MARKERS[named] * scale},
            "mode": "markers", "name": f"top {top_n} (numbers: rank)" if named else "other ranked districts",
            "x": typed(need[chosen]), "y": typed(coverage[chosen]), "type": "scatter",
        })
    near = 0.04 * max(float(points["need"].max() - points["need"].min()), 1.0)  # 4% of the x range
    # after the markers, on white, so a line never hides a label
    labels = [{"bgcolor": "rgba(255,255,255,0.85)", "borderpad": 1, "font": {"color": TOP_COLOUR},
               "showarrow": False, "text": label.text, "x": float(label.need), "xanchor": "left",
               "xshift": 5 * scale + 3, "y": float(label.coverage)}
              for label in rank_labels(points[top], near).itertuples()]
    dash = {"color": "#495057", "dash": "dash", "width": line_width(present, 1)}
    medians = [{"line": dict(dash), "type": "line", "x0": x_mid, "x1": x_mid, "xref": "x", "y0": 0, "y1": 1,
                "yref": "y domain"},
               {"line": dash, "type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": y_mid, "y1": y_mid,
                "yref": "y"}]
    layout = base_layout(present, annotations=labels, shapes=medians, hovermode="closest",
                     legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
                     title={"font": {"size": 18 if present else 13},
                            "text": "Lower right: more need, less coverage than the median district", "x": 0,
                            "xanchor": "left", "y": 0.99, "yanchor": "top"},
                     xaxis={"title": {"text": need_title}, "gridcolor": "#eee", "zeroline": False},
                     yaxis={"title": {"text": coverage_title}, "gridcolor": "#eee", "zeroline": False})
    layout["margin"]["t"] = 110 if present else 75
    return {"data": traces, "layout": layout}


def rank_labels(top: pd.DataFrame, near: float) -> pd.DataFrame:
    """One label per cluster of top-N points (same coverage, need less than `near` apart): their ranks,
    "1, 2, 4", at the cluster's right end, so points that sit on each other do not get overlapping labels."""
    needs, coverages = (top[c].to_numpy(dtype=float, na_value=np.nan) for c in ("need", "coverage"))
    order = np.lexsort((needs, coverages))  # by coverage, then need; missing coverage last
    clusters: list[list] = []  # [need, coverage, ranks]; a loop over the N points is quicker than a groupby
    for need, coverage, rank in zip(needs[order].tolist(), coverages[order].tolist(),
                                    top["priority_rank"].to_numpy()[order].tolist()):
        if not clusters or coverage != clusters[-1][1] or need - clusters[-1][0] > near:
            clusters.append([need, coverage, []])
        clusters[-1][0] = max(clusters[-1][0], need)
        clusters[-1][2].append(rank)
    return pd.DataFrame([(need, coverage, ", ".join(map(str, sorted(ranks)))) for need, coverage, ranks in clusters],
                        columns=["need", "coverage", "text"])


def stability_spec(rows: pd.DataFrame, top_n: int, present: bool = False) -> dict:
    """Horizontal bars: each district's share of weight draws in the top N, rank 1 at the top, as the plain
    dict plotly's Figure.to_dict() gives (what dcc.Graph takes).

    rows: priority_rank, adm2_name, stability (0-1), for the top N and the few districts after it.
    """
    labels = [f"{rank}. {plain(name)}" for rank, name in zip(rows["priority_rank"], rows["adm2_name"])]
    inside = (rows["priority_rank"] <= top_n).to_numpy()
    traces = []
    for chosen, name, colour in ((inside, f"in the top {top_n} now", TOP_COLOUR),
                                 (~inside, f"next after the top {top_n}", OTHER_COLOUR)):
        if not chosen.any():
            continue
        share = 100 * rows.loc[chosen, "stability"].to_numpy(float)
        traces.append({  # keys in the order plotly writes them (see figures.style.base_layout)
            "cliponaxis": False, "hovertemplate": "<b>%{y}</b><br>in the top N in %{x:.1f}% of draws<extra></extra>",
            "insidetextanchor": "end", "marker": {"color": colour}, "name": name, "orientation": "h",
            "text": [f"{v:.0f}%" for v in share], "textposition": ["inside" if v >= 25 else "outside" for v in share],
            "x": typed(share), "y": [label for label, keep in zip(labels, chosen) if keep], "type": "bar",
        })
    bar = 34 if present else 24
    layout = base_layout(present, height=max(260, bar * len(rows) + 110), barmode="overlay",
                     xaxis={"title": {"text": f"% of draws in the top {top_n}"}, "range": [0, 105],
                            "gridcolor": "#eee", "tickvals": [0, 25, 50, 75, 100]},
                     yaxis={"categoryorder": "array", "categoryarray": labels[::-1], "automargin": True},
                     legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})
    return {"data": traces, "layout": layout}
