"""Figure styling shared by every chart, normal and for a projector (presentation mode)."""

from __future__ import annotations

import plotly.graph_objects as go

from figures.text import plain

FONT = 14
PRESENT_FONT = 22  # readable from the back of a room at 1280x720
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"  # no web fonts


def font(present: bool) -> dict:
    return {"size": PRESENT_FONT if present else FONT, "family": FONT_FAMILY, "color": "#000" if present else "#212529"}


def line_width(present: bool, normal: float) -> float:
    """Outlines twice as thick in presentation mode."""
    return normal * 2 if present else normal


def styled(figure: go.Figure, present: bool, **layout) -> go.Figure:
    """Font, margins and plain background for a chart (not the map), in the mode asked for."""
    figure.update_layout(font=font(present), plot_bgcolor="white", paper_bgcolor="white",
                         margin={"l": 10, "r": 10, "t": 40, "b": 10}, **layout)
    return figure


def empty_figure(message: str, present: bool = False) -> go.Figure:
    """A chart with nothing to draw says why, in words, instead of showing blank axes. The sentence often
    names a district or province, so it is shown as plain text (no plotly HTML)."""
    figure = go.Figure()
    figure.add_annotation(text=plain(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                          font={"size": (PRESENT_FONT if present else FONT) + 2})
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return styled(figure, present)
