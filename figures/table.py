"""The district table that stands beside every map: the same values, rounded as the map shows them (the
browser joins them to the names: assets/district-rows.js)."""

from __future__ import annotations

import math

import pandas as pd

from analysis.catalogue import Indicator
from analysis.suppression import flags


def shown_values(table: pd.DataFrame, indicator: Indicator) -> tuple[list, list[bool]]:
    """Per district, the value as the table shows it (None where there is none or it is withheld) and whether
    it is withheld."""
    values = pd.to_numeric(table[indicator.id], errors="coerce").astype("float64").to_numpy()
    hidden = (flags(table, indicator.id) & indicator.facility_based).to_numpy().tolist()
    # Python's round, like the map's string formatting, rounds the exact binary value (numpy's does not).
    shown = [None if h or math.isnan(v) else round(v, indicator.decimals) for v, h in zip(values.tolist(), hidden)]
    return shown, hidden
