"""Small-cell suppression for the public view: an indicator of a district built from fewer than
`small_cell_facilities` facilities is withheld, and marked so ("suppressed"), never shown as 0.

Complementary suppression: a province total is public, so a province with one withheld district would give
it away (the total minus the districts shown). In each province the withheld districts together must hold
at least the threshold of facilities and be at least two; the next smallest districts are withheld until
they are (the way statistical offices protect small cells).

Which indicators are built from facility answers is the catalogue's `facility_based`; the threshold is in
analysis/standards.csv. Every page reads the rule, its words and its flag from here.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis import standards
from analysis.catalogue import INDICATORS

SUPPRESSED = "suppressed"  # the flag column, and the word a page shows in place of the value
FACILITY_BASED = [i.id for i in INDICATORS.values() if i.facility_based]


def threshold() -> float:
    """The least number of facilities a public figure may be built from."""
    return standards.value("small_cell_facilities")


def label() -> str:
    """What a legend, a band or a reason says for a withheld value: "suppressed (small numbers)"."""
    return f"{SUPPRESSED} (small numbers)"


def export_note() -> str:
    """The header line of a public export whose table has the `suppressed` column."""
    return (f"facility-based values of districts with fewer than {threshold():g} facilities are withheld, with "
            f"the next smallest district of the province where one alone would be given away by the province "
            f"total (column {SUPPRESSED})")


def complementary(table: pd.DataFrame, primary: pd.Series) -> pd.Series:
    """`primary` plus, per province, the districts with the fewest facilities needed so that the withheld
    districts of a province are none, or at least two holding at least the threshold of facilities together."""
    hidden = primary.copy()
    facilities = table["facilities"].fillna(0)
    groups = table["adm1_pcode"].astype(str) if "adm1_pcode" in table else pd.Series("", index=table.index)
    for province in groups[primary].unique():
        inside = groups == province
        while hidden[inside].sum() < 2 or facilities[inside & hidden].sum() < threshold():
            others = facilities[inside & ~hidden & (facilities > 0)]
            if others.empty:
                break  # nothing left to withhold beside it: the province figure itself is small
            order = pd.DataFrame({"n": others, "code": table.loc[others.index, "adm2_pcode"].astype(str)})
            hidden[order.sort_values(["n", "code"]).index[0]] = True
    return hidden


def too_few(facilities: float | None) -> bool:
    """A figure built from 1 to threshold - 1 facilities: withheld from the public (0 facilities is "no data")."""
    return facilities is not None and not pd.isna(facilities) and 0 < facilities < threshold()


def suppress(table: pd.DataFrame, flag: str = "small_cell") -> pd.DataFrame:
    """A copy with every facility-based column blanked on the rows where `flag` is true (and on their
    complementary districts), and a boolean `suppressed` column saying which rows were. Rows without a facility (0 facilities) have no value anyway
    and are not marked: "no data" is not "suppressed"."""
    out = table.copy()
    facilities = out["facilities"].fillna(0) if "facilities" in out else pd.Series(1, index=out.index)
    primary = out[flag].fillna(False).astype(bool) & (facilities > 0) if flag in out else pd.Series(False, index=out.index)
    hidden = complementary(out, primary) if primary.any() else primary
    for column in (c for c in FACILITY_BASED if c in out.columns):
        out[column] = out[column].mask(hidden)
    out[SUPPRESSED] = hidden.to_numpy()
    return out


def suppress_rows(table: pd.DataFrame, hidden: pd.Series | Iterable[bool], columns: Iterable[str]) -> pd.DataFrame:
    """A copy with `columns` blanked where `hidden` is true, and the `suppressed` flag: for tables that are
    not the district table (a district x service grid, two rounds' change) whose rows the district table's
    flags decide."""
    out = table.copy()
    mask = pd.Series(list(hidden), index=out.index, dtype="boolean").fillna(False).astype(bool)
    for column in columns:
        out[column] = out[column].mask(mask)
    out[SUPPRESSED] = mask.to_numpy()
    return out


def flags(table: pd.DataFrame) -> pd.Series:
    """The `suppressed` flag of a table as plain booleans (all False where the table has none: a coordinator's)."""
    if SUPPRESSED not in table:
        return pd.Series(False, index=table.index)
    return table[SUPPRESSED].astype("boolean").fillna(False).astype(bool)


def flagged(table: pd.DataFrame) -> set[str]:
    """The p-codes of the suppressed districts of a district table."""
    return set(table.loc[flags(table), "adm2_pcode"].astype(str))
