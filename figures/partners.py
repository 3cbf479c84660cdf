"""The partners page's charts: the gap / duplication map's categories, partners by activity and organisation
type, reached against targeted, and the sex and age breakdown. Pure: the page model's tables in, figures out.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from data.schema import ORG_TYPES
from figures.choropleth import Category, categorical_values
from figures.style import empty_figure, line_width, styled
from figures.text import plain, plain_all, plain_lines

# Gap and duplication on one map: ColorBrewer PuOr (colour-blind safe). Orange: no partner (dark: a need);
# purple: partners (dark: too many on one activity).
GAP, DUPLICATION, COVERED, NO_NEED = "gap", "duplication", "covered", "no need"
COVERAGE_TITLE = "Gaps and duplication"
LEGEND_WIDTH, LEGEND_TITLE_WIDTH = 16, 12  # characters a line of the map's legend holds: two short lines


def coverage_categories(duplication_partners: float) -> list[Category]:
    """The map's categories, the duplication threshold (analysis/standards.csv) in the label."""
    return [
        Category(GAP, "need, no partner", "#e66101"),
        Category(DUPLICATION, f"duplication: {duplication_partners:g}+ partners on one activity", "#5e3c99"),
        Category(COVERED, "partners, no duplication", "#b2abd2"),
        Category(NO_NEED, "no need identified, no partner", "#fee0b6"),
    ]


def coverage_values(table: pd.DataFrame, column: str, duplication_partners: float) -> list[dict]:
    """The gap / duplication map's trace values: `column` of `table` holds each district's category."""
    values = categorical_values(table, column, coverage_categories(duplication_partners), COVERAGE_TITLE)
    # Legend labels on two lines, so the legend leaves the map its width (the hover keeps them on one).
    colorbar = values[0]["colorbar"]
    colorbar["ticktext"] = [wrapped(text, LEGEND_WIDTH) for text in colorbar["ticktext"]]
    colorbar["title"] = {"text": wrapped(COVERAGE_TITLE, LEGEND_TITLE_WIDTH)}
    return values


# Organisation types: Okabe-Ito, colour-blind safe, one colour per type in data.schema.ORG_TYPES order.
ORG_TYPE_COLOURS = dict(zip(ORG_TYPES, ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9",
                                        "#999999"]))
REACHED_COLOUR, TARGETED_COLOUR = "#08519c", "#9ecae1"  # ColorBrewer Blues: reached dark, targeted light


def wrapped(label: str, width: int = 24) -> str:
    """Long labels of ours on several lines, so the legend does not eat the map (markup in them is kept)."""
    return "<br>".join(textwrap.wrap(str(label), width)) or str(label)


def activity_label(name: object) -> str:
    """An activity name (data) on several lines as plain text, so the axis does not eat the chart."""
    return plain_lines(name, 24)


def by_activity_figure(counts: pd.DataFrame, present: bool, empty: str) -> go.Figure:
    """Stacked bars: each activity's distinct organisations, one segment per organisation type."""
    if counts.empty:
        return empty_figure(empty, present)
    figure = go.Figure([
        go.Bar(y=[activity_label(a) for a in counts.index], x=counts[org_type], name=plain(org_type), orientation="h",
               marker={"color": ORG_TYPE_COLOURS.get(org_type, "#999999"),
                       "line": {"color": "white", "width": line_width(present, 0.5)}},
               hovertemplate=f"%{{y}}<br>{plain(org_type)}: %{{x}} organisations<extra></extra>")
        for org_type in counts.columns])
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(title_text="organisations (distinct)", gridcolor="#e9ecef", rangemode="tozero")
    return styled(figure, present, barmode="stack", height=_height(len(counts), present),
                  legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "traceorder": "normal"})


def reach_figure(reach: pd.DataFrame, present: bool, empty: str) -> go.Figure:
    """Grouped bars per activity, targeted and reached, the share reached written at the reached bar."""
    if reach.empty or reach["targeted"].fillna(0).sum() == 0 and reach["reached"].fillna(0).sum() == 0:
        return empty_figure(empty, present)
    labels = [activity_label(a) for a in reach["activity"]]
    shares = [f"{p:.0f}%" if pd.notna(p) else "" for p in reach["pct_reached"]]
    targeted = reach["targeted"].astype("Float64").fillna(0).astype(float)
    reached = reach["reached"].astype("Float64").fillna(0).astype(float)
    figure = go.Figure([
        go.Bar(y=labels, x=targeted, name="targeted", orientation="h", marker={"color": TARGETED_COLOUR},
               hovertemplate="%{y}<br>targeted: %{x:,} people<extra></extra>"),
        go.Bar(y=labels, x=reached, name="reached", orientation="h", marker={"color": REACHED_COLOUR},
               text=shares, textposition="outside", cliponaxis=False,
               hovertemplate="%{y}<br>reached: %{x:,} people (%{text} of targeted)<extra></extra>"),
    ])
    top = max(float(targeted.max()), float(reached.max()), 1.0)
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(title_text="people", gridcolor="#e9ecef", range=[0, top * 1.15], tickformat="~s")
    return styled(figure, present, barmode="group", height=_height(len(reach), present), bargap=0.25,
                  legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "traceorder": "normal"})


def age_sex_figure(groups: pd.DataFrame, present: bool) -> go.Figure:
    """Grouped bars by sex and age: the measures the 5W breaks down (reached, targeted or both)."""
    measures = [(m, c) for m, c in (("targeted", TARGETED_COLOUR), ("reached", REACHED_COLOUR)) if m in groups]
    figure = go.Figure([
        go.Bar(x=plain_all(groups["group"]), y=groups[m].astype("Float64").fillna(0).astype(float), name=m,
               marker={"color": colour}, hovertemplate=f"%{{x}}<br>{m}: %{{y:,}} people<extra></extra>")
        for m, colour in measures])
    figure.update_yaxes(title_text="people", gridcolor="#e9ecef", tickformat="~s", rangemode="tozero")
    return styled(figure, present, barmode="group", height=360 if not present else 420,
                  legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})


def _height(rows: int, present: bool) -> int:
    """Room for each activity's (wrapped) label, a little more on a projector."""
    return max(260, (70 if present else 52) * rows + 120)
