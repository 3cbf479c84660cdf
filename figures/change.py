"""The change of an indicator between two rounds, in bands symmetric around 0 for the change map.

"Worse" is always the same colour, whatever the indicator's direction: a fall where higher is better, a
rise where higher is worse. Pure: no Dash.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from analysis.catalogue import Direction, Indicator
from analysis.suppression import SUPPRESSED, flags
from figures.choropleth import DISTRICTS, Category, categorical_values
from figures.classes import format_value
from figures.text import plain

# ColorBrewer RdBu, 5 classes (colour-blind safe): red is worse, blue is better, near-white unchanged.
WORSE_LARGE, WORSE, UNCHANGED, BETTER, BETTER_LARGE = "#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0"
# Band ids, in legend order from the bottom (plotly draws the first category lowest): worse ends on top.
BANDS = ("better_large", "better", "unchanged", "worse", "worse_large")
RULE = "split at the median size of change"
TITLE_WIDTH = 24  # characters per line of the legend title: the legend stays narrow beside the map


def worsening(change: pd.Series, direction: Direction) -> pd.Series:
    """The change signed so that a positive value is a worsening (a rise where higher is worse, else a fall)."""
    sign = 1.0 if direction == "higher_is_worse" else -1.0
    return sign * pd.to_numeric(change, errors="coerce").astype("float64")


def shown(values: pd.Series, decimals: int) -> pd.Series:
    """Values rounded as the table and hover show them (Python's round, like the string formatting)."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    return pd.Series([np.nan if pd.isna(v) else round(float(v), decimals) for v in numbers], index=values.index,
                     dtype="float64")


def band_edge(change: pd.Series, decimals: int) -> float | None:
    """The band rule, in one place: a change that shows as 0 at the indicator's decimals is "unchanged"; the
    others are "small" up to the median size of change of the districts that changed, "large" beyond it,
    on either side. The median keeps both bands filled whatever the indicator's unit. None: nothing changed."""
    sizes = shown(change, decimals).abs()
    sizes = sizes[sizes > 0]
    if sizes.empty:
        return None
    return round(float(sizes.median()), decimals)


def bands(change: pd.Series, direction: Direction, decimals: int, edge: float | None) -> pd.Series:
    """Each district's band id (BANDS); missing where either round has no value."""
    worse = shown(worsening(change, direction), decimals)
    limit = np.inf if edge is None else edge
    chosen = np.select([worse > limit, worse > 0, worse == 0, worse >= -limit, worse < -limit],
                       ["worse_large", "worse", "unchanged", "better", "better_large"], default="")
    return pd.Series(chosen, index=change.index, dtype="object").replace("", np.nan)


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


def band_labels(change: pd.Series, indicator: Indicator) -> pd.Series:
    """Each district's band in words (the table's and the export's column); "no data" where missing."""
    edge = band_edge(change, indicator.decimals)
    words = {c.value: c.label for c in categories(edge, indicator.decimals)}
    return bands(change, indicator.direction, indicator.decimals, edge).map(words).fillna("no data")


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


def change_values(table: pd.DataFrame, indicator: Indicator, before: str, after: str) -> list[dict]:
    """The change map's trace values (choropleth_figure(values=...), callbacks.maps.map_patch(values=...)).

    `table`: adm2_pcode, adm2_name, adm1_pcode, adm1_name, before, after, change (as change_between_rounds),
    and optionally the flag `suppressed` (withheld from the public: its own class, "suppressed" on hover)."""
    d = indicator.decimals
    hidden = flags(table)
    first, last = plain(before), plain(after)
    edge = band_edge(table["change"], d)
    banded = table.assign(band=bands(table["change"], indicator.direction, d, edge))
    values = categorical_values(banded, "band", categories(edge, d), legend_title(indicator, before, after, edge))
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


def counts(change: pd.Series, direction: Direction, decimals: int) -> dict[str, int]:
    """How many districts got worse, better, stayed the same (as shown), or lack a value in a round."""
    worse = shown(worsening(change, direction), decimals)
    return {"worse": int((worse > 0).sum()), "better": int((worse < 0).sum()), "unchanged": int((worse == 0).sum()),
            "no data": int(worse.isna().sum())}
