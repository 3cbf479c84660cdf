"""Small-cell suppression for the public view: an indicator of a district built from fewer than
`small_cell_facilities` facilities is withheld, and marked so ("suppressed"), never shown as 0.

Which indicators are built from facility answers is the catalogue's `facility_based`; the threshold is in
analysis/standards.csv.
"""

from __future__ import annotations

import pandas as pd

from analysis.catalogue import INDICATORS

SUPPRESSED = "suppressed"  # the flag column, and the word a page shows in place of the value
FACILITY_BASED = [i.id for i in INDICATORS.values() if i.facility_based]


def suppress(table: pd.DataFrame, flag: str = "small_cell") -> pd.DataFrame:
    """A copy with every facility-based column blanked on the rows where `flag` is true, and a boolean
    `suppressed` column saying which rows were. Rows without a facility (0 facilities) have no value anyway
    and are not marked: "no data" is not "suppressed"."""
    out = table.copy()
    facilities = out["facilities"].fillna(0) if "facilities" in out else pd.Series(1, index=out.index)
    hidden = out[flag].fillna(False).astype(bool) & (facilities > 0) if flag in out else pd.Series(False, index=out.index)
    for column in (c for c in FACILITY_BASED if c in out.columns):
        out[column] = out[column].mask(hidden)
    out[SUPPRESSED] = hidden.to_numpy()
    return out
