"""The district table that stands beside every map: the same values, rounded as the map shows them."""

from __future__ import annotations

import pandas as pd

from analysis.catalogue import Indicator
from analysis.suppression import SUPPRESSED, flags


def table_rows(table: pd.DataFrame, indicator: Indicator) -> list[dict]:
    """One record per district: names, p-code, the indicator's value (None where there is no data or it is
    withheld) and `suppressed` (true where a facility-based value is withheld from the public: the table then
    says "suppressed", not "no data")."""
    values = pd.to_numeric(table[indicator.id], errors="coerce").astype("float64")
    hidden = flags(table) & indicator.facility_based
    # Python's round, like the map's string formatting, rounds the exact binary value (numpy's does not).
    return [
        {"adm2_name": name, "adm1_name": province, "adm2_pcode": code,
         "value": None if pd.isna(v) or h else round(float(v), indicator.decimals), SUPPRESSED: bool(h)}
        for name, province, code, v, h in zip(table["adm2_name"], table["adm1_name"], table["adm2_pcode"], values,
                                              hidden)
    ]
