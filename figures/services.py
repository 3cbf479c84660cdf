"""The services page's charts: availability by domain, tracer services, barriers, district x service scores.

Statuses carry the HeRAMS colours AND a bar pattern each, so the bars read without colour (colour-blind
readers, grey print). Heat maps use the maps' palette: darker is worse; no data stays blank, never 0.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.services import NO_BARRIER, STATUS_LABELS, short_name
from analysis.suppression import SUPPRESSED, flags
from analysis.suppression import label as suppressed_label
from data.schema import SERVICE_STATUS
from figures.palette import SUPPRESSED as SUPPRESSED_COLOUR
from figures.palette import class_colours
from figures.style import FONT, PRESENT_FONT, empty_figure, line_width, styled
from figures.text import plain, plain_all, plain_lines

# HeRAMS colours, and a pattern per status (plotly marker.pattern.shape) for readers who cannot tell them apart.
STATUS_STYLE = {
    "available": ("#2e9e44", ""),
    "partial": ("#f5a623", "/"),
    "not_available": ("#d7301f", "x"),
    "not_normally_provided": ("#bdbdbd", "."),
    "stopped": ("#67000d", "-"),
}
LEGEND_LABELS = {**STATUS_LABELS, "stopped": "Stopped (facility not operating)"}
# Low scores darkest, as on the maps (ColorBrewer YlOrRd, reversed for "higher is better").
SCORE_COLOURS = class_colours("higher_is_better", 5)
SCORE_SCALE = [[i / (len(SCORE_COLOURS) - 1), c] for i, c in enumerate(SCORE_COLOURS)]


def wrap(text: str, width: int) -> str:
    """A name (data) broken into lines for an axis label, each line plain text (plotly does not wrap)."""
    return plain_lines(text, width, break_long_words=False)


def _font_size(present: bool) -> int:
    return PRESENT_FONT if present else FONT


def _empty(message: str, present: bool) -> go.Figure:
    """The sentence saying why there is nothing to draw, in a low figure (no tall blank box)."""
    return empty_figure(message, present).update_layout(height=220 if present else 180)


def _titled(figure: go.Figure, title: str, present: bool) -> go.Figure:
    """The chart's title (it names the chart in a PNG export too), with room above the plot for its lines."""
    size = _font_size(present) + 2
    lines = title.count("<br>") + 1
    figure.update_layout(title={"text": title, "font": {"size": size}, "x": 0, "xanchor": "left", "xref": "paper"},
                         margin={"t": 24 + round(lines * size * 1.35)})
    return figure


def domain_figure(table: pd.DataFrame, title: str, empty: str, present: bool = False) -> go.Figure:
    """One horizontal bar per domain, stacked by status as % of the domain's service answers."""
    if table.empty:
        return _empty(empty, present)
    names = [wrap(n, 22 if present else 26) for n in table["domain_name"]]
    figure = go.Figure()
    for status in SERVICE_STATUS:
        colour, shape = STATUS_STYLE[status]
        figure.add_bar(
            name=LEGEND_LABELS[status], y=names, x=table[f"pct_{status}"].tolist(), orientation="h",
            marker={"color": colour, "line": {"color": "#000", "width": line_width(present, 0.5)},
                    "pattern": {"shape": shape, "fgcolor": "#000" if status != "stopped" else "#fff",
                                "fgopacity": 0.45, "size": 9}},
            customdata=list(zip(table[status], table["service_answers"], plain_all(table["domain_name"]))),
            hovertemplate=(f"<b>%{{customdata[2]}}</b><br>{STATUS_LABELS[status]}: %{{customdata[0]:,}} of "
                           "%{customdata[1]:,} service answers (%{x:.1f} %)<extra></extra>"),
        )
    bottom = 240 if present else 150  # the axis, then the legend under it (the legend does not push margins)
    bars = (90 if present else 56) * len(table)
    figure.update_layout(barmode="stack", height=bars + bottom + 120, legend={
        "orientation": "h", "x": 0, "xref": "container", "y": 0, "yref": "container", "yanchor": "bottom",
        "traceorder": "normal"})
    figure.update_xaxes(title_text="% of service answers", range=[0, 100], ticksuffix=" %", gridcolor="#e9ecef")
    figure.update_yaxes(autorange="reversed", automargin=True)
    return _titled(styled(figure, present).update_layout(margin={"b": bottom}), title, present)


def heatmap(values: pd.DataFrame, rows: list[str], columns: list, title: str, hover: str, scale: str,
            present: bool = False, text: bool = True, customdata=None, height: int | None = None,
            suppressed: list[bool] | None = None) -> go.Figure:
    """A 0-100 heat map, low values darkest; missing cells stay blank (no data), never 0. Rows flagged in
    `suppressed` (withheld from the public: fewer facilities than the threshold) are filled with the maps'
    "suppressed" colour, say so on hover and carry "(suppressed)" in their axis label, so they never read as no data."""
    figure = go.Figure(go.Heatmap(
        z=values.astype("float64").to_numpy().tolist(), x=columns, y=rows, zmin=0, zmax=100, colorscale=SCORE_SCALE,
        hoverongaps=False, xgap=1, ygap=1, customdata=customdata, hovertemplate=hover,
        texttemplate="%{z:.0f}" if text else None, textfont={"size": _font_size(present) - 2},
        colorbar={"title": {"text": scale}, "thickness": 14 if not present else 22},
    ))
    figure.update_layout(plot_bgcolor="white", height=height)
    figure.update_yaxes(autorange="reversed", automargin=True, showgrid=False)
    figure.update_xaxes(automargin=True, showgrid=False, tickangle=0)
    hidden = list(suppressed or [])
    if any(hidden):
        width = values.shape[1]
        figure.add_heatmap(
            z=[[1] * width if h else [None] * width for h in hidden], x=columns, y=rows, zmin=0, zmax=1,
            colorscale=[[0, SUPPRESSED_COLOUR], [1, SUPPRESSED_COLOUR]], showscale=False, hoverongaps=False,
            xgap=1, ygap=1, name=SUPPRESSED, hovertemplate=f"<b>%{{y}}</b><br>{suppressed_label()}<extra></extra>")
        figure.update_yaxes(tickmode="array", tickvals=rows,
                            ticktext=[f"{row} ({SUPPRESSED})" if h else row for row, h in zip(rows, hidden)])
    return _titled(styled(figure, present), title, present)


def tracer_figure(table: pd.DataFrame, name_column: str, tracers: dict[str, str], title: str, empty: str,
                  present: bool = False) -> go.Figure:
    """% of facilities offering each tracer service (columns pct_with_<tracer>), one row per area."""
    columns = [f"pct_with_{t}" for t in tracers]
    hidden = flags(table)
    if table.empty or (table[columns].isna().all().all() and not hidden.any()):
        return _empty(empty, present)
    labels = [wrap(label[0].upper() + label[1:], 12 if present else 14) for label in tracers.values()]
    full = [[[plain(label)] for label in tracers.values()] for _ in range(len(table))]
    height = 120 + (34 if not present else 48) * len(table) + 90
    return heatmap(table[columns].astype("float64"), plain_all(table[name_column]), labels, title,
                   "<b>%{y}</b><br>%{customdata[0]}: %{z:.1f} % of facilities expecting it<extra></extra>", "%",
                   present, customdata=full, height=max(height, 320), suppressed=hidden.tolist())


def barrier_figure(table: pd.DataFrame, title: str, empty: str, present: bool = False) -> go.Figure:
    """How often each barrier is given, most frequent on top; "no barrier given" apart, in grey, last."""
    if table.empty or not table["service_answers"].sum():
        return _empty(empty, present)
    labels = [wrap(label, 16 if present else 28) for label in table["label"]]
    none = table["barrier"] == NO_BARRIER
    figure = go.Figure(go.Bar(
        y=labels, x=table["pct_of_unavailable"].tolist(), orientation="h",
        marker={"color": ["#bdbdbd" if n else "#08519c" for n in none],
                "pattern": {"shape": ["." if n else "" for n in none], "fgcolor": "#000", "fgopacity": 0.5},
                "line": {"color": "#000", "width": line_width(present, 0.5)}},
        text=[f"{v:.0f} %" for v in table["pct_of_unavailable"].fillna(0)], textposition="outside",
        customdata=table["service_answers"].tolist(),
        hovertemplate="<b>%{y}</b><br>%{customdata:,} service answers (%{x:.1f} % of those not fully "
                      "available)<extra></extra>",
    ))
    figure.update_layout(showlegend=False,
                         height=(380 if not present else 520))
    top = float(table["pct_of_unavailable"].max() or 0)
    figure.update_xaxes(title_text="% of services not fully available", ticksuffix=" %",
                        range=[0, min(100, top * 1.25 + 5)], gridcolor="#e9ecef")
    figure.update_yaxes(autorange="reversed", automargin=True)
    return _titled(styled(figure, present), title, present)


def matrix_figure(scores: pd.DataFrame, title: str, present: bool = False) -> go.Figure:
    """District x service HeRAMS scores; services grouped under their domain when several domains show."""
    services = scores.drop_duplicates("service")
    districts = plain_all(scores.drop_duplicates("adm2_pcode")["adm2_name"])
    wide = scores.pivot(index="adm2_pcode", columns="service", values="availability_score")
    wide = wide.reindex(index=scores.drop_duplicates("adm2_pcode")["adm2_pcode"], columns=services["service"])
    expected = scores.pivot(index="adm2_pcode", columns="service", values="expected").reindex_like(wide)
    names = dict(zip(services["service"], plain_all(services["service_name"])))
    customdata = [[[names[s], None if pd.isna(e) else int(e)] for s, e in zip(wide.columns, row)]
                  for row in expected.to_numpy()]
    hidden = flags(scores.drop_duplicates("adm2_pcode")).tolist()
    short = plain_all(short_name(n) for n in services["service_name"])
    grouped = services["domain"].nunique() > 1
    columns = [[wrap(d, 14) for d in services["domain_name"]], short] if grouped else short
    hover = ("<b>%{y}</b><br>%{customdata[0]}<br>Availability score: %{z:.0f} "
             "(%{customdata[1]} facilities expecting it)<extra></extra>")
    per_row = 30 if not present else 42
    figure = heatmap(wide, districts, columns, title, hover, "score", present, text=not grouped, customdata=customdata,
                     height=420 + per_row * len(districts) + (120 if grouped else 0), suppressed=hidden)
    figure.update_xaxes(tickangle=-90 if grouped else -45, tickfont={"size": _tick_size(present)},
                        tickmode="linear", dtick=1)  # every service named: plotly would skip some
    return figure


def _tick_size(present: bool) -> int:
    return _font_size(present) - (6 if present else 3)


def matrix_width(services: int, present: bool = False) -> int:
    """The least width (px) at which a column per service keeps its rotated label apart from the next."""
    return 320 + (_tick_size(present) + 2) * services
