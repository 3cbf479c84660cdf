"""Figure styling shared by every chart, normal and for a projector (presentation mode)."""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from _plotly_utils.utils import to_typed_array_spec

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


@cache
def _styled_layout(present: bool) -> str:
    """styled()'s layout of an empty figure (plotly's default template, font, margins, background) as JSON,
    made by plotly once per mode. Charts redrawn on every view change (priorities, district profile) are built
    as dicts on a copy of this: they skip plotly's validation of each property, which took most of their time."""
    return json.dumps(styled(go.Figure(), present).to_dict()["layout"])


def base_layout(present: bool, **layout) -> dict:
    """A fresh copy of the styled layout with `layout`'s keys set (none of them is one styled() sets), in the
    order plotly writes them: the template, annotations and shapes, then objects, then plain values; with
    traces' keys in alphabetical order and "type" last, the JSON sent is byte for byte what the figure object
    gave, so it compresses the same."""
    merged = {**json.loads(_styled_layout(present)), **layout}
    first = [key for key in ("template", "annotations", "shapes") if key in merged]
    objects = [key for key, value in merged.items() if isinstance(value, dict) and key not in first]
    return {key: merged[key] for key in [*first, *objects, *(key for key in merged if key not in first + objects)]}


def typed(values: pd.Series | np.ndarray) -> dict | np.ndarray:
    """Numbers as Figure.to_dict() writes them: a plotly.js typed array (base64), smaller than a list (an
    empty array stays as it is)."""
    return to_typed_array_spec(np.asarray(values, dtype=float))
