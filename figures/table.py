"""The district table that stands beside every map: the same values, rounded as the map shows them."""

from __future__ import annotations

import math

import pandas as pd

from analysis.catalogue import Indicator
from analysis.suppression import SUPPRESSED, flags


def table_rows(table: pd.DataFrame, indicator: Indicator) -> list[dict]:
    """One record per district: names, p-code, the indicator's value (None where there is no data or it is
    withheld) and `suppressed` (true where a facility-based value is withheld from the public: the table then
    says "suppressed", not "no data")."""
    values, hidden = shown_values(table, indicator)
    return [{"adm2_name": name, "adm1_name": province, "adm2_pcode": code, "value": v, SUPPRESSED: h}
            for name, province, code, v, h in zip(table["adm2_name"], table["adm1_name"], table["adm2_pcode"],
                                                  values, hidden)]


def shown_values(table: pd.DataFrame, indicator: Indicator) -> tuple[list, list[bool]]:
    """Per district, the value as the table shows it (None where there is none or it is withheld) and whether
    it is withheld."""
    values = pd.to_numeric(table[indicator.id], errors="coerce").astype("float64").to_numpy()
    hidden = (flags(table, indicator.id) & indicator.facility_based).to_numpy().tolist()
    # Python's round, like the map's string formatting, rounds the exact binary value (numpy's does not).
    shown = [None if h or math.isnan(v) else round(v, indicator.decimals) for v, h in zip(values.tolist(), hidden)]
    return shown, hidden
