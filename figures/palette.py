"""Colour-blind-safe classed palettes (ColorBrewer 2.0, Cynthia Brewer, Apache 2.0), by indicator direction.

Darker always means "more need" where the indicator has a direction, so a map reads the same way
whatever is shown; a neutral indicator uses a blue sequence.
"""

from __future__ import annotations

from analysis.catalogue import Direction

NO_DATA = "#d9d9d9"
# Withheld from the public (fewer facilities than the configured threshold), a class of its own: a light purple,
# a hue neither sequential palette (YlOrRd, YlGnBu) nor the change bands (RdBu) use, and darker than the no-data
# grey, so the two stay apart in greyscale too. Not white: district outlines are white, so a white district would
# vanish.
SUPPRESSED = "#c2a5cf"
OUTLINE = "#ffffff"
PROVINCE_OUTLINE = "#252525"
# Facility points by functionality (coordinators' layer): hues neither sequential palette uses (white, the
# Okabe-Ito reddish purple, black, grey), apart in lightness and each with its own shape, so they differ for
# colour-blind readers and in greyscale; every marker has an outline of the opposite lightness, so it reads on
# any class. Light to dark: working to not working.
FACILITY_FULL = "#ffffff"  # white circle
FACILITY_PARTIAL = "#CC79A7"  # reddish purple diamond
FACILITY_NONE = "#000000"  # black cross
FACILITY_OTHER = "#8c8c8c"  # grey square: closed, planned or functionality unknown

_SEQUENTIAL = {
    # 5-class ColorBrewer schemes; fewer classes take an evenly spread subset.
    "neutral": ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],  # YlGnBu
    "higher_is_worse": ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],  # YlOrRd
}


def class_colours(direction: Direction, k: int) -> list[str]:
    """k colours from light to dark in the direction of need (low values darkest when higher is better)."""
    if k <= 0:
        return []
    base = _SEQUENTIAL["neutral" if direction == "neutral" else "higher_is_worse"]
    picks = [base[round(i * (len(base) - 1) / (k - 1))] for i in range(k)] if k > 1 else [base[-2]]
    return picks[::-1] if direction == "higher_is_better" else picks
