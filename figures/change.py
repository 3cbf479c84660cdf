"""The change map: an indicator's change between two rounds, in bands symmetric around 0.

The bands are cut by the change page's model (pages/change/model.py); here they get their colours, legend and
hover. "Worse" is always the same colour, whatever the indicator's direction: a fall where higher is better, a
rise where higher is worse. Pure: no Dash.
"""

from __future__ import annotations

import textwrap

import pandas as pd

from analysis.catalogue import Indicator
from analysis.suppression import SUPPRESSED, flags
from figures.choropleth import DISTRICTS, Category, categorical_values
from figures.classes import format_value
from figures.text import plain

# ColorBrewer RdBu, 5 classes (colour-blind safe): red is worse, blue is better, near-white unchanged.
WORSE_LARGE, WORSE, UNCHANGED, BETTER, BETTER_LARGE = "#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0"
# Band ids, in legend order from the bottom (plotly draws the first category lowest): worse ends on top.
BANDS = ("better_large", "better", "unchanged", "worse", "worse_large")
TITLE_WIDTH = 24  # characters per line of the legend title: the legend stays narrow beside the map


def categories(edge: float | None, decimals: int) -> list[Category]:
    """The five bands with their legend labels, "worse" always red."""
    if edge is None:
        labels = ["better", "better", "unchanged", "worse", "worse"]
    else:
        size = format_value(edge, decimals)
        labels = [f"better by over {size}", f"better by up to {size}", "unchanged", f"worse by up to {size}",
                  f"worse by over {size}"]
    colours = [BETTER_LARGE, BETTER, UNCHANGED, WORSE, WORSE_LARGE]
    return [Category(band, label, colour) for band, label, colour in zip(BANDS, labels, colours)]


def legend_title(indicator: Indicator, before: str, after: str, edge: float | None) -> str:
    """What the legend says: the indicator, the rounds (data: shown as plain text), the unit and the band rule."""
    rule = ([f"split at ±{format_value(edge, indicator.decimals)}, the", "median size of change"]
            if edge is not None else ["no district changed"])
    return "<br>".join([*textwrap.wrap(f"Change in {indicator.label}, {indicator.unit}", TITLE_WIDTH),
                        f"{plain(before)} to {plain(after)}", *rule])


def signed(value: float | None, decimals: int) -> str:
    """A change with its sign, as the table shows it."""
    if value is None or pd.isna(value):
        return "no data"
    return ("+" if round(float(value), decimals) > 0 else "") + format_value(value, decimals)


def change_values(table: pd.DataFrame, indicator: Indicator, before: str, after: str,
                  edge: float | None) -> list[dict]:
    """The change map's trace values (choropleth_figure(values=...), pages.maps.map_patch(values=...)).

    `table`: adm2_pcode, adm2_name, adm1_pcode, adm1_name, before, after, change (as change_between_rounds),
    `band` (each district's band id, BANDS; missing where a round has no value) and optionally the flag
    `suppressed` (withheld from the public: its own class, "suppressed" on hover). `edge`: where the small
    bands end (None: no district changed)."""
    d = indicator.decimals
    hidden = flags(table)
    first, last = plain(before), plain(after)
    values = categorical_values(table, "band", categories(edge, d), legend_title(indicator, before, after, edge))
    districts = values[DISTRICTS]
    withheld = [SUPPRESSED, SUPPRESSED, "not shown"]
    districts["customdata"] = [
        [band, *(withheld if h else [format_value(b, d), format_value(a, d), signed(c, d)])]
        for band, b, a, c, h in zip(districts["customdata"], table["before"], table["after"], table["change"],
                                    hidden)]
    districts["hovertemplate"] = (
        f"%{{text}}<br>{indicator.label} ({indicator.unit})<br>"
        f"{first}: %{{customdata[1]}}<br>{last}: %{{customdata[2]}}<br>change: %{{customdata[3]}} "
        "(%{customdata[0]})<extra></extra>")
    return values
